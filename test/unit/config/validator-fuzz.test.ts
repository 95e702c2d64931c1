import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { fastParse } from '../../../src/config/fast-parse.js';
import { CODES } from '../../../src/config/codes.js';
import { validateText, type Validated } from '../../../src/config/validate.js';
import { repoRoot } from '../../support/aws.js';

/**
 * Random mutations of valid files never crash the validator, and each run either passes or
 * yields only located diagnostics with known codes.
 */
const seeds = ['storage.yaml', ...readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`)].map((f) =>
  readFileSync(join(repoRoot, f), 'utf8'),
);

function checkOutcome(text: string | Buffer, validated: Validated): void {
  const lines = (typeof text === 'string' ? text : text.toString('latin1')).split('\n').length;
  const errors = validated.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) expect(validated.config).toBeDefined();
  else expect(validated.config).toBeUndefined();
  for (const d of validated.diagnostics) {
    expect(Object.keys(CODES)).toContain(d.code);
    expect(d.at, `${d.code} ${d.message}`).toBeDefined();
    expect(d.at?.line).toBeGreaterThanOrEqual(1);
    expect(d.at?.line).toBeLessThanOrEqual(lines + 1);
    expect(d.at?.col).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
}

const yamlNoise = fc.constantFrom(':', ': ', '-', '- ', ' ', '  ', '\t', '[', ']', '{', '}', ',', '&a ', '*a', '!!str ', '#', "'", '"', '\n', '\n---\n', '?', '|', '>', '%', '@', '`', 'é', '\u00a0', '\ufeff', 'x', 'A_B', '0', '-1', '1.5', 'null', 'true', '~', '<<: *a');

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), noise: fc.array(fc.oneof(yamlNoise, fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);

type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function mutateText(text: string, m: TextMutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'delete': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.noise.join('') + text.slice(at);
    }
    case 'duplicate-line': {
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i] as string);
      return lines.join('\n');
    }
    case 'swap-lines': {
      const [i, j] = [m.a % lines.length, m.b % lines.length];
      [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
      return lines.join('\n');
    }
    case 'indent': {
      const i = m.at % lines.length;
      const line = lines[i] as string;
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
  }
}

/** Replace the value at a random path of the parsed document with something arbitrary. */
function replaceAt(value: unknown, choices: number[], replacement: unknown): unknown {
  if (choices.length === 0 || typeof value !== 'object' || value === null) return replacement;
  const [choice, ...rest] = choices as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const i = choice % value.length;
    return value.map((v, j) => (j === i ? replaceAt(v, rest, replacement) : v));
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[choice % keys.length] as string;
  return { ...value, [key]: replaceAt((value as Record<string, unknown>)[key], rest, replacement) };
}

const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('*', 'GET', 'Allow', 'arn:aws:s3:::x', 'us-east-1', '', 'aws:x', 'A_B', '2012-10-17', 'reconcile:stack'),
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('Effect', 'Action', 'Resource', 'Principal', 'AllowedOrigins', 'tags', 'grants', 'policies', 'region'), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('validator robustness (fast-check)', () => {
  test('text mutations of valid files: never a crash, only located diagnostics', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(textMutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
        const text = mutations.reduce(mutateText, seed);
        checkOutcome(text, validateText('storage.yaml', text));
      }),
      { numRuns: 400 },
    );
  });

  test('value mutations (any JSON at any path): rules tolerate every shape', () => {
    const parsed = seeds.map((s) => (validateText('storage.yaml', s).config as unknown));
    fc.assert(
      fc.property(fc.constantFrom(...parsed), fc.array(fc.nat(), { maxLength: 7 }), jsonish, (value, path, replacement) => {
        const text = stringify(replaceAt(value, path, replacement));
        checkOutcome(text, validateText('storage.yaml', text));
      }),
      { numRuns: 400 },
    );
  });

  test('the fast parser (valid files) reads exactly what the careful parser reads', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(textMutation, { maxLength: 3 }), (seed, mutations) => {
        const text = mutations.reduce(mutateText, seed);
        const fast = fastParse(text);
        if (fast === undefined) return;
        expect(fast).toEqual(parse(text, { uniqueKeys: false }) as unknown);
      }),
      { numRuns: 400 },
    );
  });

  test('byte mutations (invalid UTF-8, BOM, NUL): never a crash', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.nat(), fc.constantFrom(0x00, 0x80, 0xc3, 0xe9, 0xef, 0xfe, 0xff), (seed, at, byte) => {
        const bytes = Buffer.from(seed, 'utf8');
        const i = at % bytes.length;
        const mutated = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
        checkOutcome(mutated, validateText('storage.yaml', mutated));
      }),
      { numRuns: 200 },
    );
  });
});
