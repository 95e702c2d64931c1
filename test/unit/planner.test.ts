import jsonpatch from 'fast-json-patch';
import { describe, expect, test } from 'vitest';
import type { Desired, Observed } from '../../src/core/types.js';
import { patchBetween } from '../../src/plan/model.js';
import { planChanges } from '../../src/plan/planner.js';
import { handlerFor } from '../../src/resources/registry.js';

const bucket = (region: string, tags: Record<string, string> = {}): Desired => ({
  address: 'bucket.b1',
  kind: 's3.bucket',
  name: 'b1',
  region,
  spec: { region, tags: { 'reconcile:stack': 's', ...tags } },
  dependsOn: [],
  source: '/buckets/b1',
});

const policy = (description: string): Desired => ({
  address: 'policy.p1',
  kind: 'iam.policy',
  name: 'p1',
  spec: { path: '/', description, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }, tags: {} },
  dependsOn: [],
  source: '/policies/p1',
});

const attachment: Desired = {
  address: 'user.u1.policy[p1]',
  kind: 'iam.user.policy-attachment',
  name: 'u1/p1',
  spec: { user: 'u1', policy: 'p1', policyPath: '/' },
  dependsOn: ['policy.p1'],
  source: '/users/u1/policies/0',
};

function plan(desired: Desired[], observed: Record<string, Observed>) {
  return planChanges({ desired, observed: new Map(Object.entries(observed)), handlerFor });
}

describe('planner', () => {
  test('absent → create, whose patch applied to its before (null) gives its after', () => {
    const { changes } = plan([bucket('eu-central-1')], {});
    expect(changes[0]?.action).toBe('create');
    expect(changes[0]?.before).toBeNull();
    expect(jsonpatch.applyPatch(changes[0]?.before, changes[0]?.patch ?? [], true, false).newDocument).toEqual(changes[0]?.after);
  });

  test('every patch applies: before + patch = after, for creates, updates and deletes', () => {
    const { changes } = plan([bucket('eu-central-1', { env: 'prod' }), policy('new')], {
      'bucket.b1': { exists: true, spec: { region: 'eu-central-1', tags: { 'reconcile:stack': 's', env: 'dev', team: 'x' } } },
    });
    const pairs: [unknown, unknown][] = [...changes.map((c) => [c.before, c.after] as [unknown, unknown]), [{ region: 'eu-west-1' }, null], [null, null]];
    for (const [before, after] of pairs) {
      const patch = patchBetween(before, after);
      expect(jsonpatch.applyPatch(structuredClone(before), patch, true, false).newDocument ?? null).toEqual(after);
    }
  });

  test('equal after normalization → no-op (us-east-1 returned as an empty location)', () => {
    const { changes } = plan([bucket('us-east-1')], {
      'bucket.b1': { exists: true, spec: { region: '', tags: { 'reconcile:stack': 's', 'aws:cloudformation:stack-name': 'x' } } },
    });
    expect(changes[0]?.action).toBe('no-op');
    expect(changes[0]?.patch).toEqual([]);
  });

  test('a changed tag → update, with the patch naming it', () => {
    const { changes } = plan([bucket('eu-central-1', { env: 'prod' })], {
      'bucket.b1': { exists: true, spec: { region: 'eu-central-1', tags: { 'reconcile:stack': 's', env: 'dev' } } },
    });
    expect(changes[0]?.action).toBe('update');
    expect(changes[0]?.patch).toEqual([{ op: 'replace', path: '/tags/env', value: 'prod' }]);
  });

  test('a bucket in another region is an error, never delete + create', () => {
    const { changes, errors } = plan([bucket('eu-central-1')], {
      'bucket.b1': { exists: true, spec: { region: 'us-west-2', tags: { 'reconcile:stack': 's' } } },
    });
    expect(changes).toEqual([]);
    expect(errors[0]?.message).toMatch(/region cannot change/);
  });

  test('observed attributes the file does not declare are not diffed', () => {
    const d: Desired = { ...bucket('eu-central-1') };
    const { changes } = plan([d], {
      'bucket.b1': { exists: true, spec: { region: 'eu-central-1', tags: { 'reconcile:stack': 's' }, versioning: 'Enabled' } as unknown },
    });
    expect(changes[0]?.action).toBe('no-op');
  });

  test('an immutable field forces replace, and dependents are re-created', () => {
    const observedPolicy = { ...(policy('old').spec as object) };
    const { changes } = plan([policy('new'), attachment], {
      'policy.p1': { exists: true, spec: observedPolicy },
      'user.u1.policy[p1]': { exists: true, spec: attachment.spec },
    });
    expect(changes.find((c) => c.address === 'policy.p1')?.action).toBe('replace');
    const reattach = changes.find((c) => c.address === attachment.address);
    expect(reattach?.action).toBe('create');
    expect(reattach?.reason).toContain('policy.p1');
  });

  test('normalization never mutates the desired spec', () => {
    const d = bucket('eu-central-1', { b: '2', a: '1' });
    const before = JSON.stringify(d);
    plan([d], {});
    expect(JSON.stringify(d)).toBe(before);
  });
});
