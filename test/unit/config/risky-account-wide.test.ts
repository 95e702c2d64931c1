import { describe, expect, test } from 'vitest';
import { validateText } from '../../../src/config/validate.js';

const file = (actions: string) =>
  ['version: 1', 'stack: demo', 'policies:', '  lister:', '    document:', '      Version: "2012-10-17"', '      Statement:', `        - {Effect: Allow, Action: ${actions}, Resource: "*"}`, 'users:', '  app: {policies: [lister]}', ''].join('\n');

describe('RC9005 (every resource) is for actions that could name one', () => {
  test('s3:ListAllMyBuckets and sts:GetCallerIdentity work only with "*": no warning, so --strict passes', async () => {
    const result = await validateText('storage.yaml', file('[s3:ListAllMyBuckets, sts:GetCallerIdentity]'));
    expect(result.diagnostics.filter((d) => d.code === 'RC9005')).toEqual([]);
  });
  test('mixed with an action that has a resource, "*" is still flagged', async () => {
    const result = await validateText('storage.yaml', file('[s3:ListAllMyBuckets, s3:GetObject]'));
    expect(result.diagnostics.map((d) => d.code)).toContain('RC9005');
  });
});
