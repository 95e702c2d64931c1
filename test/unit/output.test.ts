import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { neutraliseCommands, Output } from '../../src/cli/output.js';
import { escapeControl } from '../../src/core/text.js';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('the output host inside GitHub Actions', () => {
  test('a report line whose trimmed start is :: is never a workflow command; the tool\'s own commands are', () => {
    const out = capture();
    const err = capture();
    const output = new Output({ color: false, actions: true, stdout: out.stream, stderr: err.stream });
    output.out('ok\n::stop-commands::tok\n   ::add-mask::x\nnot :: at start');
    output.err('\t::warning::forged');
    output.command('::error file=storage.yaml,line=3::real');
    expect(out.text()).toBe('ok\n\\::stop-commands::tok\n   \\::add-mask::x\nnot :: at start\n::error file=storage.yaml,line=3::real\n');
    expect(err.text()).toBe('\t\\::warning::forged\n');
    for (const line of out.text().split('\n').slice(0, -2)) expect(line.trimStart().startsWith('::')).toBe(false);
  });

  test('outside Actions the text is written as it is', () => {
    const out = capture();
    new Output({ color: false, stdout: out.stream }).out('::x::y');
    expect(out.text()).toBe('::x::y\n');
    expect(neutraliseCommands('a\r\n::b')).toBe('a\r\n\\::b');
    expect(neutraliseCommands('a\r::b')).toBe('a\r\\::b');
  });

  test('control characters in user strings are shown escaped, on one line', () => {
    expect(escapeControl('http://a\n::stop-commands::tok\r\t\u001b[2J\u007f')).toBe('http://a\\n::stop-commands::tok\\r\\t\\u001b[2J\\u007f');
    expect(escapeControl('plain ünïcode')).toBe('plain ünïcode');
  });
});
