import { describe, expect, test } from 'vitest';
import type { Desired, Observed } from '../../src/core/types.js';
import { FORMAT_VERSION, NO_CONSENT, summarize, type Change, type Consent, type Plan } from '../../src/plan/model.js';
import { planOrphans } from '../../src/plan/orphans.js';
import { guardChanges } from '../../src/plan/ownership.js';
import { planChanges } from '../../src/plan/planner.js';
import { renderMarkdown } from '../../src/plan/render/markdown.js';
import { renderText } from '../../src/plan/render/text.js';
import { handlerFor } from '../../src/resources/registry.js';

const STACK = 'reconcile:stack';
const bucket = (adopt?: boolean): Desired => ({
  address: 'bucket.b1',
  kind: 's3.bucket',
  name: 'b1',
  region: 'us-east-1',
  spec: { region: 'us-east-1', tags: { [STACK]: 's' } },
  dependsOn: [],
  source: '/buckets/b1',
  ...(adopt ? { adopt: true } : {}),
});

function guarded(desired: Desired[], observed: Record<string, Observed>, consent: Consent = NO_CONSENT) {
  const map = new Map(Object.entries(observed));
  return guardChanges({ ...planChanges({ desired, observed: map, handlerFor }), desired, observed: map, handlerFor, consent });
}

const unmanaged: Observed = { exists: true, spec: { region: '', tags: { owner: 'x' } }, owner: { kind: 'unmanaged' } };

describe('ownership guards', () => {
  test('unmanaged: adopt, blocked without consent; --adopt or adopt: true lifts it', () => {
    const plain = guarded([bucket()], { 'bucket.b1': unmanaged }).changes[0];
    expect(plain).toMatchObject({ action: 'update', adopt: true });
    expect(plain?.blocked).toContain('--adopt');
    expect(guarded([bucket()], { 'bucket.b1': unmanaged }, { ...NO_CONSENT, adopt: true }).changes[0]?.blocked).toBeUndefined();
    expect(guarded([bucket(true)], { 'bucket.b1': unmanaged }).changes[0]?.blocked).toBeUndefined();
  });

  test("another stack's resource is a conflict error and no change", () => {
    const result = guarded([bucket()], { 'bucket.b1': { exists: true, spec: { region: '', tags: { [STACK]: 'other' } }, owner: { kind: 'foreign', stack: 'other' } } }, { ...NO_CONSENT, adopt: true });
    expect(result.changes).toEqual([]);
    expect(result.errors[0]?.message).toContain('belongs to stack "other"');
  });

  test("what hangs off another stack's bucket (its CORS, and what waits on that) is no change either", () => {
    const cors: Desired = { address: 'bucket.b1.cors', kind: 's3.bucket.cors', name: 'b1', region: 'us-east-1', spec: { rules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://a'] }] }, dependsOn: ['bucket.b1'], source: '/buckets/b1/cors' };
    const versioning: Desired = { address: 'bucket.b1.versioning', kind: 's3.bucket.versioning', name: 'b1', region: 'us-east-1', spec: { enabled: true }, dependsOn: ['bucket.b1.cors'], source: '/buckets/b1/versioning' };
    const other: Desired = { ...bucket(), address: 'bucket.b2', name: 'b2', source: '/buckets/b2' };
    const foreign: Observed = { exists: true, spec: { region: '', tags: { [STACK]: 'other' } }, owner: { kind: 'foreign', stack: 'other' } };
    const result = guarded([bucket(), cors, versioning, other], { 'bucket.b1': foreign });
    expect(result.changes.map((c) => c.address)).toEqual(['bucket.b2']);
    expect(result.errors.map((e) => e.address)).toEqual(['bucket.b1']);
  });

  test('ours and converged: no-op, nothing blocked', () => {
    const change = guarded([bucket()], { 'bucket.b1': { exists: true, spec: { region: '', tags: { [STACK]: 's' } }, owner: { kind: 'ours' } } }).changes[0];
    expect(change).toMatchObject({ action: 'no-op' });
    expect(change?.blocked).toBeUndefined();
  });
});

describe('orphans', () => {
  const contents = { objects: 2, versions: 3, deleteMarkers: 1, more: false };
  const orphan = (tags: Record<string, string>, withData = true) => ({
    kind: 's3.bucket' as const,
    item: { name: 'old', region: 'eu-west-1', spec: { region: 'eu-west-1', tags: { [STACK]: 's', ...tags }, contents: withData ? contents : { objects: 0, versions: 0, deleteMarkers: 0, more: false } } },
  });
  const prune: Consent = { ...NO_CONSENT, prune: true };

  test('kept without --prune; retain kept even with it', () => {
    expect(planOrphans([orphan({})], NO_CONSENT, handlerFor)[0]).toMatchObject({ action: 'no-op', orphan: true });
    expect(planOrphans([orphan({ 'reconcile:deletion': 'retain' }, false)], prune, handlerFor)[0]?.action).toBe('no-op');
  });

  test('an empty bucket is deleted with --prune', () => {
    const change = planOrphans([orphan({}, false)], prune, handlerFor)[0];
    expect(change).toMatchObject({ action: 'delete', steps: ['delete the bucket'] });
    expect(change?.blocked).toBeUndefined();
  });

  test('data needs destroy-data AND --allow-data-loss; the counts are shown', () => {
    expect(planOrphans([orphan({})], { ...prune, allowDataLoss: true }, handlerFor)[0]?.blocked).toBe(
      'the bucket holds 2 object(s), 3 noncurrent version(s), 1 delete marker(s); not emptied or deleted because the bucket did not declare deletion: destroy-data',
    );
    expect(planOrphans([orphan({ 'reconcile:deletion': 'destroy-data' })], prune, handlerFor)[0]?.blocked).toContain('the run did not pass --allow-data-loss');
    const allowed = planOrphans([orphan({ 'reconcile:deletion': 'destroy-data' })], { ...prune, allowDataLoss: true }, handlerFor)[0];
    expect(allowed?.blocked).toBeUndefined();
    expect(allowed?.desired).toMatchObject({ destroyData: true });
    expect(allowed?.steps?.[0]).toBe('empty the bucket: delete 2 object(s), 3 noncurrent version(s), 1 delete marker(s) and abort unfinished uploads');
  });

  test('text and markdown show blocked actions, steps and kept orphans', () => {
    const changes: Change[] = [...planOrphans([orphan({})], prune, handlerFor), ...planOrphans([{ ...orphan({}, false), item: { ...orphan({}, false).item, name: 'kept' } }], NO_CONSENT, handlerFor)];
    const plan: Plan = { formatVersion: FORMAT_VERSION, toolVersion: 't', stack: 's', fileHash: 'x', file: 'storage.yaml', createdAt: 'now', changes, errors: [], summary: summarize(changes), fingerprints: {} } as Plan;
    const text = renderText(plan);
    expect(text).toContain('- bucket.old (s3.bucket) prune');
    expect(text).toContain('blocked: the bucket holds 2 object(s)');
    expect(text).toContain('Kept (tagged with this stack, no longer in the file):\n  bucket.kept');
    expect(text).toContain('1 action(s) blocked by a safety guard');
    const markdown = renderMarkdown(plan);
    expect(markdown).toContain('**blocked**: the bucket holds 2 object\\(s\\)');
    expect(markdown).toContain('- bucket.kept');
  });
});
