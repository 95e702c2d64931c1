import { describe, expect, test } from 'vitest';
import { stableStringify } from '../../src/core/canonical.js';
import { canonicalPolicy } from '../../src/resources/iam/policy-document.js';

const withCondition = (Condition: object) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition }] });
const same = (a: object, b: object) => stableStringify(canonicalPolicy(a)) === stableStringify(canonicalPolicy(b));

describe('condition keys that differ only in case', () => {
  test('one key in another case is the same condition', () => {
    expect(same(withCondition({ StringEquals: { 'aws:PrincipalTag/team': ['blue', 'red'] } }), withCondition({ StringEquals: { 'AWS:principaltag/TEAM': ['red', 'blue'] } }))).toBe(true);
  });
  test('two spellings in one operator are two conditions (AND), never merged into one list (OR)', () => {
    const or = withCondition({ StringEquals: { 'aws:PrincipalTag/team': ['blue', 'red'] } });
    const and = withCondition({ StringEquals: { 'aws:PrincipalTag/team': 'blue', 'aws:principaltag/TEAM': 'red' } });
    expect(same(or, and)).toBe(false);
    // the AND form is canonical whichever spelling carries which value, and stays so
    const swapped = withCondition({ StringEquals: { 'aws:PrincipalTag/team': 'red', 'aws:principaltag/TEAM': 'blue' } });
    expect(same(and, swapped)).toBe(true);
    const once = canonicalPolicy(and);
    expect(stableStringify(canonicalPolicy(once))).toBe(stableStringify(once));
  });
  test('the same values under both spellings are one condition (A and A = A)', () => {
    expect(same(withCondition({ Bool: { 'aws:SecureTransport': 'true', 'AWS:securetransport': true } }), withCondition({ Bool: { 'aws:SecureTransport': 'true' } }))).toBe(true);
  });
});
