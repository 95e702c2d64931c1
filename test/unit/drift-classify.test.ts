import { describe, expect, test } from 'vitest';
import { classifyDrift } from '../../src/drift/classify.js';
import { desiredDigest, groupChanges, parentPointer } from '../../src/drift/groups.js';
import type { Action, Change, Plan } from '../../src/plan/model.js';
import type { ToolTags } from '../../src/resources/tool-tags.js';

function change(address: string, kind: Change['kind'], source: string, action: Action = 'no-op', after: unknown = { v: address }): Change {
  return { address, kind, name: address.split('.')[1] as string, action, before: action === 'create' ? null : after, after, patch: [], details: [], desired: after, dependsOn: [], source };
}

function plan(changes: Change[], errors: Plan['errors'] = []): Plan {
  return { formatVersion: 2, toolVersion: 't', stack: 'web', fileHash: 'h', file: 'storage.yaml', createdAt: 'now', changes, errors, summary: { add: 0, change: 0, destroy: 0 }, fingerprints: {} };
}

const bucket = (action: Action = 'no-op') => change('bucket.b', 's3.bucket', '/buckets/b', action);
const cors = (action: Action = 'no-op', after: unknown = { rules: ['GET'] }) => change('bucket.b.cors', 's3.bucket.cors', '/buckets/b/cors', action, after);

describe('drift classification (pure)', () => {
  test('groups: a bucket with its settings; the digest covers them and ignores declaration order', () => {
    expect(parentPointer('/buckets/b/cors')).toBe('/buckets/b');
    expect(parentPointer('/users/u/policies/0')).toBe('/users/u');
    const groups = groupChanges([cors(), bucket(), change('user.u', 'iam.user', '/users/u')]);
    expect(groups.map((g) => [g.parent.address, g.members.map((m) => m.address)])).toEqual([
      ['bucket.b', ['bucket.b.cors', 'bucket.b']],
      ['user.u', ['user.u']],
    ]);
    const [b] = groups;
    expect(desiredDigest(b!)).toBe(desiredDigest({ parent: b!.parent, members: [...b!.members].reverse() }));
    expect(desiredDigest(b!)).not.toBe(desiredDigest(groupChanges([bucket(), cors('no-op', { rules: ['PUT'] })])[0]!));
  });

  const cases: { reason: string; changes: Change[]; tags: ToolTags | undefined; expected: string | undefined }[] = [
    { reason: 'in sync: nothing to do', changes: [bucket(), cors()], tags: { stack: 'web', digest: 'x' }, expected: undefined },
    { reason: 'the sub-resource differs and the digest is the file’s: drifted', changes: [bucket(), cors('update')], tags: { stack: 'web', digest: 'DIGEST' }, expected: 'drifted' },
    { reason: 'the digest is another file’s: pending', changes: [bucket(), cors('update')], tags: { stack: 'web', digest: 'old' }, expected: 'pending' },
    { reason: 'no digest recorded: pending', changes: [bucket(), cors('update')], tags: { stack: 'web' }, expected: 'pending' },
    { reason: 'the parent is absent: missing', changes: [bucket('create'), cors('create')], tags: undefined, expected: 'missing' },
    { reason: 'no stack tag: unmanaged, even when it matches', changes: [bucket(), cors()], tags: {}, expected: 'unmanaged' },
    { reason: 'another stack: unmanaged', changes: [bucket('update'), cors()], tags: { stack: 'api', digest: 'DIGEST' }, expected: 'unmanaged' },
  ];
  for (const c of cases) {
    test(c.reason, () => {
      const digest = desiredDigest(groupChanges(c.changes)[0]!);
      const tags = c.tags && c.tags.digest === 'DIGEST' ? { ...c.tags, digest } : c.tags;
      const report = classifyDrift(plan(c.changes), new Map([['bucket.b', tags]]));
      expect(report.items.map((i) => i.status)).toEqual(c.expected ? [c.expected] : []);
      expect(report.inSync).toBe(c.expected ? 0 : 1);
      if (c.expected === 'drifted') expect(report.items[0]?.details).toEqual(['bucket.b.cors: differs']);
    });
  }

  test('a key rotation that is simply due is pending, not drift; anything else changed beside it is still drift', () => {
    const user = change('user.u', 'iam.user', '/users/u');
    const key = (scheduled: boolean): Change => ({
      ...change('user.u.access-key', 'iam.access-key', '/users/u/accessKey', 'update', { user: 'u', keySteps: [] }),
      observed: { user: 'u', keySteps: ['create a new key (...)', 'deactivate A (...)'], ...(scheduled ? { scheduled: true } : {}) },
    });
    const classify = (changes: Change[]) => {
      const digest = desiredDigest(groupChanges(changes)[0]!);
      return classifyDrift(plan(changes), new Map([['user.u', { stack: 'web', digest }]])).items.map((i) => [i.status, i.reason]);
    };
    expect(classify([user, key(true)])).toEqual([['pending', expect.stringContaining('a key rotation is due')]]);
    expect(classify([user, key(false)])).toEqual([['drifted', 'changed outside reconcile since the last apply']]);
    const attachment = change('user.u.policy[p]', 'iam.user.policy-attachment', '/users/u/policies/0', 'create');
    expect(classify([user, attachment, key(true)]).map(([s]) => s)).toEqual(['drifted']);
  });

  test('a plan error in the group counts as a difference; orphans are reported as orphaned', () => {
    const changes = [bucket(), cors()];
    const digest = desiredDigest(groupChanges(changes)[0]!);
    const orphan = { ...change('bucket.old', 's3.bucket', '', 'no-op', null), orphan: true } as Change;
    const report = classifyDrift(plan(changes, [{ address: 'bucket.b', source: '/buckets/b', message: 'region differs' }]), new Map([['bucket.b', { stack: 'web', digest }]]), [orphan]);
    expect(report.items.map((i) => [i.address, i.status])).toEqual([['bucket.b', 'drifted'], ['bucket.old', 'orphaned']]);
    expect(report.items[0]?.details).toEqual(['bucket.b: region differs']);
    expect(report.counts).toEqual({ drifted: 1, pending: 0, missing: 0, orphaned: 1, unmanaged: 0 });
  });

  test('an orphan marked deletion: retain is not said to be deleted by --prune', () => {
    const kept = { ...change('bucket.keep', 's3.bucket', '', 'no-op', null), orphan: true, observed: { tags: { 'reconcile:deletion': 'retain' } } } as Change;
    const plain = { ...change('bucket.old', 's3.bucket', '', 'no-op', null), orphan: true, observed: { tags: {} } } as Change;
    const report = classifyDrift(plan([]), new Map(), [kept, plain]);
    expect(report.items[0]?.reason).toContain('deletion: retain, so even apply --prune keeps it');
    expect(report.items[1]?.reason).toContain('apply --prune deletes it');
  });

  test('an attachment re-created because its policy is replaced (a file change) is pending, never drift', () => {
    const user = change('user.u', 'iam.user', '/users/u');
    const attachment = { ...change('user.u.policy[p]', 'iam.user.policy-attachment', '/users/u/policies/0', 'create'), recreatedFor: 'policy.p' } as Change;
    const digest = desiredDigest(groupChanges([user, attachment])[0]!);
    const report = classifyDrift(plan([user, attachment]), new Map([['user.u', { stack: 'web', digest }]]));
    expect(report.items.map((i) => [i.address, i.status])).toEqual([['user.u', 'pending']]);
    expect(report.items[0]?.reason).toContain('follows the pending replace of policy.p');
  });
});
