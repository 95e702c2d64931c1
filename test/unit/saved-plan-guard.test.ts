import { describe, expect, test } from 'vitest';
import { consentFlagsNeeded, requireApplyConsent, tamperedChanges, withLiveObserved } from '../../src/apply/guard.js';
import type { Desired } from '../../src/core/types.js';
import { FORMAT_VERSION, summarize, type Change, type Plan } from '../../src/plan/model.js';

const desired: Desired[] = [
  { address: 'bucket.b', kind: 's3.bucket', name: 'b', spec: { region: 'us-east-1' }, dependsOn: [], source: '/buckets/b', region: 'us-east-1' },
  { address: 'bucket.b.cors', kind: 's3.bucket.cors', name: 'b', spec: { rules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://a'] }] }, dependsOn: ['bucket.b'], source: '/buckets/b/cors', region: 'us-east-1' },
];

function changeOf(d: Desired, extra: Partial<Change> = {}): Change {
  return { address: d.address, kind: d.kind, name: d.name, action: 'create', before: null, after: d.spec, patch: [], details: [], desired: d.spec, dependsOn: d.dependsOn, source: d.source, ...(d.region ? { region: d.region } : {}), ...extra };
}

function planOf(changes: Change[]): Plan {
  return { formatVersion: FORMAT_VERSION, toolVersion: 't', stack: 's', file: 'storage.yaml', fileHash: 'x', createdAt: 'now', changes, errors: [], summary: summarize(changes), fingerprints: {} };
}

describe('a saved plan must say what the file expands to', () => {
  const cases: { reason: string; changes: Change[]; expected: string[] }[] = [
    { reason: 'untouched plan', changes: desired.map((d) => changeOf(d)), expected: [] },
    {
      reason: 'CORS origins edited',
      changes: [changeOf(desired[0]!), changeOf(desired[1]!, { desired: { rules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } })],
      expected: ['bucket.b.cors: desired spec differs from the file at /rules/0/AllowedOrigins/0'],
    },
    { reason: 'dependency removed', changes: [changeOf(desired[0]!), changeOf(desired[1]!, { dependsOn: [] })], expected: ['bucket.b.cors: dependsOn differs from the file'] },
    { reason: 'kind changed', changes: [changeOf(desired[0]!, { kind: 'iam.user' }), changeOf(desired[1]!)], expected: ['bucket.b: kind: iam.user in the plan, s3.bucket in the file'] },
    { reason: 'a declared resource deleted', changes: [changeOf(desired[0]!, { action: 'delete', orphan: true }), changeOf(desired[1]!)], expected: ['bucket.b: the plan deletes a resource the file declares'] },
    { reason: 'a declared resource cut out of the plan', changes: [changeOf(desired[0]!)], expected: ['bucket.b.cors: the file declares it, but the plan has no change for it (the plan was edited)'] },
    { reason: 'an undeclared resource changed', changes: [...desired.map((d) => changeOf(d)), changeOf({ ...desired[0]!, address: 'bucket.x', name: 'x' })], expected: ['bucket.x: the plan changes a resource the file does not declare'] },
  ];
  for (const c of cases) {
    test(c.reason, () => {
      const found = tamperedChanges(planOf(c.changes), desired, 's').map((s) => (s.details.length ? s.details.map((d) => `${s.subject}: ${d}`) : [`${s.subject}: ${s.message}`])).flat();
      expect(found).toEqual(c.expected);
    });
  }

  test('a detach the user\'s exclusive policies list implies passes; one for a user the file does not declare is refused', () => {
    const user: Desired = { address: 'user.u', kind: 'iam.user', name: 'u', spec: { tags: {} }, dependsOn: [], source: '/users/u' };
    const detach = (u: string): Change => ({
      address: `user.${u}.policy[p]`, kind: 'iam.user.policy-attachment', name: `${u}/p`, action: 'delete', before: {}, after: null, patch: [], details: [],
      desired: { user: u, policy: 'arn:aws:iam::123456789012:policy/p', policyPath: '/' }, dependsOn: [`user.${u}`], source: `/users/${u}/policies`,
    });
    const files = [...desired, user];
    expect(tamperedChanges(planOf([...files.map((d) => changeOf(d)), detach('u')]), files, 's')).toEqual([]);
    expect(tamperedChanges(planOf([...files.map((d) => changeOf(d)), detach('admin')]), files, 's').map((x) => x.message)).toEqual(['the plan deletes a resource without marking it as no longer declared']);
  });

  test('another stack', () => {
    expect(tamperedChanges(planOf([]), desired, 'other')[0]?.message).toContain('the plan is for stack "s", the file declares stack "other"');
  });

  test('apply works from the live observed state, not the plan file\'s copy', () => {
    const plan = planOf([changeOf(desired[0]!, { action: 'update', observed: { edited: true } })]);
    const live = withLiveObserved(plan, new Map([['bucket.b', { exists: true as const, spec: { region: 'us-east-1' } }]]));
    expect(live.changes[0]?.observed).toEqual({ region: 'us-east-1' });
    expect(plan.changes[0]?.observed).toEqual({ edited: true });
  });
});

describe('a saved plan cannot consent on its own', () => {
  const orphan = (extra: Partial<Change> = {}): Change => ({
    address: 'bucket.old', kind: 's3.bucket', name: 'old', action: 'delete', before: {}, after: null, patch: [], details: [], desired: { region: 'us-east-1', tags: {} }, dependsOn: [], source: '', orphan: true, ...extra,
  });
  const none = { adopt: false, prune: false, allowReplace: false, allowDataLoss: false };
  const live = (tags: Record<string, string>) => new Map([['bucket.old', { exists: true as const, spec: { region: 'us-east-1', tags } }]]);

  test('an orphan deletion needs --prune at apply', () => {
    expect(requireApplyConsent(planOf([orphan()]), none, desired, live({})).plan.changes[0]?.blocked).toContain('apply it with --prune as well');
    expect(requireApplyConsent(planOf([orphan()]), { ...none, prune: true }, desired, live({})).plan.changes[0]?.blocked).toBeUndefined();
  });
  test('destroying data needs --prune, --allow-data-loss and the live destroy-data tag', () => {
    const destroy = orphan({ desired: { region: 'us-east-1', tags: {}, destroyData: true } });
    const all = { ...none, prune: true, allowDataLoss: true };
    expect(requireApplyConsent(planOf([destroy]), all, desired, live({ 'reconcile:deletion': 'destroy-data' })).plan.changes[0]?.blocked).toBeUndefined();
    expect(requireApplyConsent(planOf([destroy]), all, desired, live({})).plan.changes[0]?.blocked).toContain('reconcile:deletion=destroy-data tag');
    expect(requireApplyConsent(planOf([destroy]), { ...none, prune: true }, desired, live({ 'reconcile:deletion': 'destroy-data' })).plan.changes[0]?.blocked).toContain('--allow-data-loss');
  });
  test('a replace needs --allow-replace; an adoption --adopt unless the file says adopt: true', () => {
    const replace = changeOf(desired[0]!, { action: 'replace' });
    expect(requireApplyConsent(planOf([replace]), none, desired, new Map()).plan.changes[0]?.blocked).toContain('--allow-replace');
    const adopt = changeOf(desired[0]!, { action: 'update', adopt: true });
    expect(requireApplyConsent(planOf([adopt]), none, desired, new Map()).plan.changes[0]?.blocked).toContain('--adopt');
    const fileAdopts = desired.map((d, i) => (i === 0 ? { ...d, adopt: true } : d));
    expect(requireApplyConsent(planOf([adopt]), none, fileAdopts, new Map()).plan.changes[0]?.blocked).toBeUndefined();
  });
  test('flags no action needs are the ones reported as having no effect', () => {
    expect([...consentFlagsNeeded(planOf([orphan(), changeOf(desired[0]!)]), desired)]).toEqual(['--prune']);
  });
});
