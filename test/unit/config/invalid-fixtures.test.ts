import { mkdtemp, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CODES } from '../../../src/config/codes.js';
import { MAX_BYTES } from '../../../src/config/load.js';
import { validateFile } from '../../../src/config/validate.js';
import type { Diagnostic } from '../../../src/core/diagnostics.js';
import { renderDiagnostics } from '../../../src/cli/render-diagnostics.js';
import type { Style } from '../../../src/plan/render/style.js';
import { repoRoot, runCli } from '../../support/aws.js';

/**
 * The invalid-file corpus: each test/fixtures/invalid/<case>.yaml says what it must produce in
 * header comments: `# expect: RC4002 5:3` (one line per expected error) and optionally
 * `# args: --strict` (for risky-but-legal cases, which are warnings without it).
 */
const dir = join(repoRoot, 'test/fixtures/invalid');

interface Expectation {
  code: string;
  line: number;
  col: number;
}

interface Fixture {
  name: string;
  file: string;
  strict: boolean;
  expected: Expectation[];
}

function readFixture(name: string): Fixture {
  const file = join(dir, name);
  const head = readFileSync(file).toString('latin1');
  const expected = [...head.matchAll(/^(?:\ufeff|\xef\xbb\xbf)?# expect: (RC\d{4}) (\d+):(\d+)$/gm)].map((m) => ({ code: m[1] as string, line: Number(m[2]), col: Number(m[3]) }));
  return { name, file, strict: /^# args: .*--strict/m.test(head), expected };
}

const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map(readFixture);

const same = (text: string): string => text;
const plain: Style = { green: same, red: same, yellow: same, cyan: same, bold: same, dim: same };

function located(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.at?.line}:${d.at?.col}`);
}

describe('invalid fixture corpus', () => {
  test('holds at least 60 cases, each with an expectation', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
    for (const fixture of fixtures) expect(fixture.expected.length, fixture.name).toBeGreaterThan(0);
  });

  test('covers every diagnostic code (except those generated below or unreachable from a file)', () => {
    const covered = new Set(fixtures.flatMap((f) => f.expected.map((e) => e.code)));
    const elsewhere = new Set(['RC1001', 'RC1002', 'RC2001']); // missing file, > 8 MiB (generated below), schema fallback
    const missing = Object.keys(CODES).filter((code) => !covered.has(code) && !elsewhere.has(code));
    expect(missing).toEqual([]);
  });

  test.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    const validated = await validateFile(fixture.file, { strict: fixture.strict });
    const errors = located(validated.diagnostics.filter((d) => d.severity === 'error'));
    for (const e of fixture.expected) expect(errors).toContain(`error ${e.code} ${e.line}:${e.col}`);
    expect(validated.config).toBeUndefined();
    if (fixture.strict) {
      // Without --strict the same finding is a warning at the same place.
      const lenient = located((await validateFile(fixture.file)).diagnostics);
      for (const e of fixture.expected) expect(lenient).toContain(`warning ${e.code} ${e.line}:${e.col}`);
    }
  });

  test('each fixture renders as `file:line:col error CODE message`, source line and caret', async () => {
    for (const fixture of fixtures) {
      const validated = await validateFile(fixture.file, { strict: fixture.strict });
      const text = renderDiagnostics(validated.diagnostics, validated.source, plain);
      for (const e of fixture.expected) expect(text, fixture.name).toContain(`${fixture.file}:${e.line}:${e.col} error ${e.code} `);
    }
  });

  // The built CLI on one fixture per rule family (every fixture costs a process; the suite shares 2 cores).
  const sample = [...new Map(fixtures.map((f) => [f.name.split('-')[0], f])).values()];
  test.each(sample.map((f) => [f.name, f] as const))('reconcile validate %s: located error, exit 1', async (_name, fixture) => {
    const result = await runCli(['validate', '-f', fixture.file, ...(fixture.strict ? ['--strict'] : [])]);
    expect(result.code, result.stderr).toBe(1);
    for (const e of fixture.expected) expect(result.stderr).toContain(`${fixture.file}:${e.line}:${e.col} error ${e.code} `);
  });
});

describe('generated pathological files: a clear error in bounded time', () => {
  async function fileWith(content: string | Buffer): Promise<string> {
    const file = join(await mkdtemp(join(tmpdir(), 'reconcile-invalid-')), 'storage.yaml');
    await writeFile(file, content);
    return file;
  }

  const cases: { name: string; content: () => string | Buffer; code: string; line: number; col: number }[] = [
    { name: 'an empty file (0 bytes)', content: () => '', code: 'RC1005', line: 1, col: 1 },
    { name: 'a file over the size limit', content: () => Buffer.alloc(MAX_BYTES + 1, 0x20), code: 'RC1002', line: 1, col: 1 },
    { name: '100,000 nested flow brackets', content: () => 'version: 1\nstack: a\nx: ' + '['.repeat(100_000), code: 'RC1012', line: 3, col: 68 },
    {
      name: '2,000 levels of block nesting',
      content: () => 'version: 1\nstack: a\n' + Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join(''),
      code: 'RC1012',
      line: 67,
      col: 65,
    },
    {
      name: 'a billion-laughs alias bomb',
      content: () =>
        'version: 1\nstack: a\n' +
        Array.from({ length: 9 }, (_, i) => `l${i}: &l${i} [${Array(10).fill(i === 0 ? 'lol' : `*l${i - 1}`).join(', ')}]`).join('\n') +
        '\n',
      code: 'RC1008',
      line: 11,
      col: 55,
    },
  ];

  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const file = await fileWith(c.content());
    const started = performance.now();
    const validated = await validateFile(file);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(located(validated.diagnostics)).toContain(`error ${c.code} ${c.line}:${c.col}`);
  });

  // A device or pipe has no size to check up front; /dev/urandom once ran the process out of memory.
  test.skipIf(!existsSync('/dev/urandom'))('an endless device (/dev/urandom) is read only up to the size limit', async () => {
    const validated = await validateFile('/dev/urandom');
    expect(validated.diagnostics.map((d) => d.code)).toEqual(['RC1002']);
    expect(validated.diagnostics[0]?.message).toContain('more than');
  });

  test('a directory is refused by name, not with a system error', async () => {
    const validated = await validateFile(tmpdir());
    expect(validated.diagnostics.map((d) => [d.code, d.message])).toEqual([['RC1001', `${tmpdir()} is a directory, not a file`]]);
  });
});
