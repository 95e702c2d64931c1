import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseDocument } from 'yaml';
import { fastParse } from '../../../src/config/fast-parse.js';
import { narrowToPath } from '../../../src/config/narrow.js';
import { eagerSource, joinPointer, lazySource, lineCounterOf, locate, type SourceFile } from '../../../src/config/source.js';
import { repoRoot } from '../../support/aws.js';

/**
 * Locating a diagnostic through the narrowed tree (only the pointed-to entry parsed) must give
 * exactly the position the whole-file tree gives, for every path in real files, for paths that
 * do not exist, and for randomly edited files.
 */
const files = [
  'storage.yaml',
  ...readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`),
  ...readdirSync(join(repoRoot, 'test/fixtures/invalid')).map((f) => `test/fixtures/invalid/${f}`),
];

const parse = (text: string) => parseDocument(text, { uniqueKeys: false, prettyErrors: false });

function sources(text: string): { lazy: SourceFile; whole: SourceFile } {
  return { lazy: lazySource('f.yaml', text, parse), whole: eagerSource('f.yaml', text, parse(text), lineCounterOf(text)) };
}

/** Every pointer in the value, plus a missing child of each mapping. */
function pointers(value: unknown, prefix: (string | number)[] = []): string[] {
  const here = joinPointer(prefix);
  if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => pointers(v, [...prefix, i]))];
  if (value && typeof value === 'object') {
    return [here, joinPointer([...prefix, 'no-such-key']), ...Object.entries(value).flatMap(([k, v]) => pointers(v, [...prefix, k]))];
  }
  return [here];
}

function expectAgreement(text: string): number {
  const value = fastParse(text);
  if (value === undefined) return 0;
  const { lazy, whole } = sources(text);
  const all = pointers(value);
  for (const p of all) {
    expect(locate(lazy, p), `${p} in\n${text}`).toEqual(locate(whole, p));
    expect(locate(lazy, p, { key: true }), `${p} (key) in\n${text}`).toEqual(locate(whole, p, { key: true }));
  }
  return all.length;
}

describe('narrowed location', () => {
  test('agrees with the whole-file tree on every path of storage.yaml, examples/ and the invalid corpus', () => {
    let checked = 0;
    for (const f of files) checked += expectAgreement(readFileSync(join(repoRoot, f), 'utf8'));
    expect(checked).toBeGreaterThan(2000);
  });

  test('keeps offsets: the narrowed text has the same length and line breaks', () => {
    const text = readFileSync(join(repoRoot, 'examples/web-app.yaml'), 'utf8');
    const narrowed = narrowToPath(text, ['buckets', Object.keys(fastParse(text)?.buckets as object)[1] ?? '', 'lifecycle']);
    expect(narrowed).toBeDefined();
    expect(narrowed?.text.length).toBe(text.length);
    expect(narrowed?.text.split('\n').length).toBe(text.split('\n').length);
    const ink = (t: string) => t.replace(/\s/g, '').length;
    expect(ink(narrowed?.text ?? '')).toBeLessThan(ink(text) / 2);
  });

  test('what it is unsure of is parsed whole: flow style, sequences, quoted and colon keys, documents', () => {
    expect(narrowToPath('{buckets: {a: 1}}\n', ['buckets'])).toBeUndefined();
    expect(narrowToPath('- a\n- b\n', ['0'])).toBeUndefined();
    expect(narrowToPath('"buckets":\n  a: 1\n', ['buckets'])).toBeUndefined();
    expect(narrowToPath('---\nbuckets:\n  a: 1\n', ['buckets'])).toBeUndefined();
    // a flow mapping that goes on below stops the descent before its continuation lines
    const text = 'buckets:\n  x:\n    tags: {a: 1,\n    b: 2}\n    b: 3\n';
    expect(expectAgreement(text)).toBeGreaterThan(0);
  });

  test('random edits of real files (fast-check): narrowed and whole agree wherever the file still parses', () => {
    const seeds = files.slice(0, 4).map((f) => readFileSync(join(repoRoot, f), 'utf8'));
    const noise = fc.constantFrom(' ', '  ', '\n', '#', ': ', '- ', '{', '}', '[', ']', '"', "'", 'k: v\n', '  k:\n', '|\n', 'x', ',');
    fc.assert(
      fc.property(fc.nat(seeds.length - 1), fc.array(fc.tuple(fc.nat(), noise), { minLength: 1, maxLength: 3 }), (seed, edits) => {
        let text = seeds[seed] as string;
        for (const [at, s] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + s + text.slice(i);
        }
        expectAgreement(text);
      }),
      { numRuns: 300 },
    );
  });
});
