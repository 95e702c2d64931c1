import { describe, expect, test } from 'vitest';
import { describePolicyChange } from '../../src/resources/iam/policy-diff.js';
import { canonicalPolicy } from '../../src/resources/iam/policy-document.js';

const B = 'arn:aws:s3:::acme-uploads';
const doc = (...Statement: object[]) => canonicalPolicy({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[], extra: object = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[], extra: object = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });

/** Does going from `before` to `after` flag any line as broadening? */
function flagged(before: object[], after: object[]): boolean {
  return describePolicyChange(doc(...before), doc(...after)).some((d) => d.broadens === true);
}

describe('broadening flags: what grants more, and only that', () => {
  const cases: { reason: string; before: object[]; after: object[]; broadens: boolean }[] = [
    { reason: 'an action added to an Allow', before: [allow('s3:GetObject', `${B}/*`)], after: [allow(['s3:GetObject', 's3:DeleteObject'], `${B}/*`)], broadens: true },
    { reason: 'a new Allow statement', before: [allow('s3:GetObject', `${B}/*`)], after: [allow('s3:GetObject', `${B}/*`), allow('s3:ListBucket', B)], broadens: true },
    { reason: 'a Deny removed', before: [allow('s3:*', `${B}/*`), deny('s3:DeleteObject', `${B}/*`)], after: [allow('s3:*', `${B}/*`)], broadens: true },
    { reason: 'a resource widened to every bucket', before: [allow('s3:GetObject', `${B}/*`)], after: [allow('s3:GetObject', 'arn:aws:s3:::*')], broadens: true },
    { reason: 'a resource narrowed back from every bucket', before: [allow('s3:GetObject', 'arn:aws:s3:::*')], after: [allow('s3:GetObject', `${B}/*`)], broadens: false },
    { reason: 'a wildcard action narrowed to one action', before: [allow('s3:Get*', `${B}/*`)], after: [allow('s3:GetObject', `${B}/*`)], broadens: false },
    { reason: 'a narrowed statement whose action and resource both shrink', before: [allow('s3:*', 'arn:aws:s3:::*')], after: [allow(['s3:GetObject', 's3:PutObject'], `${B}/*`)], broadens: false },
    { reason: 'only the Sid renamed', before: [allow('s3:GetObject', `${B}/*`, { Sid: 'Old' })], after: [allow('s3:GetObject', `${B}/*`, { Sid: 'New' })], broadens: false },
    { reason: 'a statement split in two', before: [allow(['s3:GetObject', 's3:PutObject'], `${B}/*`)], after: [allow('s3:GetObject', `${B}/*`, { Sid: 'Read' }), allow('s3:PutObject', `${B}/*`, { Sid: 'Write' })], broadens: false },
    { reason: 'a condition dropped (the statement then applies always)', before: [allow('s3:GetObject', `${B}/*`, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })], after: [allow('s3:GetObject', `${B}/*`)], broadens: true },
    { reason: 'a Deny widened to more actions', before: [deny('s3:DeleteObject', `${B}/*`)], after: [deny(['s3:DeleteObject', 's3:PutObject'], `${B}/*`)], broadens: false },
    { reason: 'a Deny action removed', before: [deny(['s3:DeleteObject', 's3:PutObject'], `${B}/*`)], after: [deny('s3:DeleteObject', `${B}/*`)], broadens: true },
    { reason: 'a Deny action removed that its wildcard still covers', before: [deny(['s3:Delete*', 's3:DeleteObject'], `${B}/*`)], after: [deny('s3:Delete*', `${B}/*`)], broadens: false },
    { reason: 'a public grant narrowed back to one account', before: [allow('s3:GetObject', `${B}/*`, { Principal: '*' })], after: [allow('s3:GetObject', `${B}/*`, { Principal: { AWS: 'arn:aws:iam::123456789012:root' } })], broadens: false },
    { reason: 'one account widened to everyone', before: [allow('s3:GetObject', `${B}/*`, { Principal: { AWS: 'arn:aws:iam::123456789012:root' } })], after: [allow('s3:GetObject', `${B}/*`, { Principal: '*' })], broadens: true },
    { reason: '`?` in the wider pattern never covers a `*` of the narrower', before: [allow('s3:Get?bject', `${B}/*`)], after: [allow('s3:Get*bject', `${B}/*`)], broadens: true },
  ];
  for (const c of cases) {
    test(`${c.reason} → ${c.broadens ? 'flagged' : 'not flagged'}`, () => {
      expect(flagged(c.before, c.after)).toBe(c.broadens);
    });
  }
});
