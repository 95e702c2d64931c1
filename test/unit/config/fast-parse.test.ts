import { describe, expect, test } from 'vitest';
import { fastParse } from '../../../src/config/fast-parse.js';

describe('fast parse', () => {
  test('wildcards in actions and ARNs are plain scalars: the fast path reads them', () => {
    expect(fastParse('version: 1\nstack: s\npolicies:\n  p:\n    document: {Statement: [{Action: s3:*, Resource: "arn:aws:s3:::b/*"}]}\n')).toBeDefined();
  });
  test('anchors and aliases take the careful path, also where the text check cannot see them', () => {
    expect(fastParse('a: &x [1]\nb: *x\n')).toBeUndefined();
    // JSON-style `"k":&x` has no space before the anchor; the shared collection gives it away
    expect(fastParse('a: {"k":&x [1], "l":*x}\n')).toBeUndefined();
  });
  test('an alias bomb hidden from the text check is refused at the first shared node, without expanding it', () => {
    const levels = ['a0: {"v":&a0 [x, x, x, x, x, x, x, x, x]}'];
    for (let i = 1; i < 30; i++) levels.push(`a${i}: {"v":&a${i} {${Array.from({ length: 9 }, (_, k) => `"k${k}":*a${i - 1}`).join(',')}}}`);
    const text = levels.join('\n') + '\n';
    expect(/(?:^|[\s[\]{},])[&*]/m.test(text.replace(/^a\d+: /gm, ''))).toBe(false);
    expect(fastParse(text)).toBeUndefined();
  });
});

describe('fast parse: quoted scalars over several lines', () => {
  test('take the careful path, where the two parsers would disagree (found by the fuzz test)', () => {
    expect(fastParse('version: 1\nstack: s\npolicies:\n  p:\n    document:\n      Version: "\n2012-10-17"\n')).toBeUndefined();
    expect(fastParse("version: 1\nstack: 'a\n  b'\n")).toBeUndefined();
  });
  test('quotes that pair up on their line, and apostrophes in comments, keep the fast path', () => {
    expect(fastParse('# the app\'s file\nversion: 1\nstack: "s"\ntags: {a: \'x\', b: "y \\" z"}\n')).toBeDefined();
  });
});
