import { describe, expect, test } from 'vitest';
import { compileGrants } from '../../src/resources/iam/grants.js';
import type { PolicyStatement } from '../../src/config/types.js';

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const resources = (statements: PolicyStatement[]) => [...new Set(statements.flatMap((s) => list(s.Resource)))].sort();
const actions = (statements: PolicyStatement[]) => [...new Set(statements.flatMap((s) => list(s.Action)))].sort();

function statementsOf(grants: Parameters<typeof compileGrants>[0]): PolicyStatement[] {
  const doc = compileGrants(grants);
  expect(doc.Version).toBe('2012-10-17');
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

describe('grants compile to least-privilege documents', () => {
  test('full access covers the bucket ARN and its objects, and nothing else', () => {
    const statements = statementsOf([{ bucket: 'acme-uploads', access: 'full' }]);
    expect(resources(statements)).toEqual(['arn:aws:s3:::acme-uploads', 'arn:aws:s3:::acme-uploads/*']);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  test('read grants no write action', () => {
    const statements = statementsOf([{ bucket: 'b1', access: 'read' }]);
    expect(actions(statements)).toContain('s3:GetObject');
    expect(actions(statements)).toContain('s3:ListBucket');
    expect(actions(statements).filter((a) => /Put|Delete|\*/.test(a))).toEqual([]);
  });

  test('write grants no read of objects', () => {
    const statements = statementsOf([{ bucket: 'b1', access: 'write' }]);
    expect(actions(statements)).toContain('s3:PutObject');
    expect(actions(statements)).not.toContain('s3:GetObject');
    expect(actions(statements)).not.toContain('s3:*');
  });

  test('read-write is the union of read and write', () => {
    const rw = actions(statementsOf([{ bucket: 'b1', access: 'read-write' }]));
    const union = [...new Set([...actions(statementsOf([{ bucket: 'b1', access: 'read' }])), ...actions(statementsOf([{ bucket: 'b1', access: 'write' }]))])].sort();
    expect(rw).toEqual(union);
  });

  test('a prefix scopes objects and listing to the prefix', () => {
    const statements = statementsOf([{ bucket: 'b1', access: 'read', prefix: 'uploads/' }]);
    expect(resources(statements)).toEqual(['arn:aws:s3:::b1', 'arn:aws:s3:::b1/uploads/*']);
    const listing = statements.find((s) => list(s.Action).includes('s3:ListBucket'));
    expect(listing?.Condition).toEqual({ StringLike: { 's3:prefix': ['uploads/*'] } });
  });

  test('several grants keep each bucket separate', () => {
    const statements = statementsOf([
      { bucket: 'b1', access: 'read' },
      { bucket: 'b2', access: 'full' },
    ]);
    expect(resources(statements)).toEqual(['arn:aws:s3:::b1', 'arn:aws:s3:::b1/*', 'arn:aws:s3:::b2', 'arn:aws:s3:::b2/*']);
  });
});
