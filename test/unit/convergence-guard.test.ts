import { describe, expect, test } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import type { AwsClients } from '../../src/aws/clients.js';
import type { Observed } from '../../src/core/types.js';
import type { Change } from '../../src/plan/model.js';
import type { ResourceHandler, WriteContext } from '../../src/resources/handler.js';
import { sortedTags } from '../../src/resources/tags.js';

interface TagSpec {
  tags: Record<string, string>;
}

/**
 * An in-memory resource standing in for one AWS rewrites: `rewrite` is what the "service"
 * stores in place of what was written (the guard, not AWS, is under test here).
 */
function resource(rewrite: (written: TagSpec, writes: number) => TagSpec) {
  let stored: TagSpec | undefined;
  const calls = { writes: 0, reads: 0 };
  const handler: ResourceHandler<TagSpec> = {
    kind: 's3.bucket',
    normalize: (spec) => ({ tags: sortedTags(spec.tags) }),
    async observe(): Promise<Observed<TagSpec>> {
      calls.reads++;
      return stored ? { exists: true, spec: stored } : { exists: false };
    },
    async create(_ctx, d) {
      calls.writes++;
      stored = rewrite(d.spec, calls.writes);
      return { message: 'created' };
    },
    async update(_ctx, d) {
      calls.writes++;
      stored = rewrite(d.spec, calls.writes);
      return { message: 'updated' };
    },
    async delete() {
      stored = undefined;
      return {};
    },
  };
  return { handler, calls };
}

const change = (address: string, dependsOn: string[] = []): Change => ({
  address,
  kind: 's3.bucket',
  name: address,
  action: 'create',
  before: null,
  after: { tags: { env: 'prod' } },
  patch: [],
  details: [],
  desired: { tags: { env: 'prod' } },
  dependsOn,
  source: '/buckets/x',
});

const ctx = { aws: {} as AwsClients, stack: 's', defaultRegion: 'us-east-1', caller: async () => ({ accountId: '1', partition: 'aws', arn: '' }) } satisfies WriteContext;

describe('non-convergence guard', () => {
  test('a resource that still differs after the write is reported non-converging, written once, re-read per delay', async () => {
    const { handler, calls } = resource((w) => ({ tags: { ...w.tags, env: w.tags.env?.toUpperCase() ?? '' } }));
    const results = await executePlan([change('bucket.a')], { ctx, handlerFor: () => handler as ResourceHandler, concurrency: 1, convergenceDelaysMs: [0, 1, 1] });
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe('non-converging');
    expect(results[0]?.message).toContain('tags: {"env":"PROD"} → {"env":"prod"}');
    expect(calls).toEqual({ writes: 1, reads: 3 });
  });

  test('a write that becomes visible on a later re-read converges (eventual consistency)', async () => {
    let reads = 0;
    const { handler, calls } = resource((w) => w);
    const slow: ResourceHandler<TagSpec> = { ...handler, observe: async (c, d) => (++reads < 2 ? { exists: false } : handler.observe(c, d)) };
    const results = await executePlan([change('bucket.a')], { ctx, handlerFor: () => slow as ResourceHandler, concurrency: 1, convergenceDelaysMs: [0, 1, 1] });
    expect(results[0]?.status).toBe('succeeded');
    expect(calls.writes).toBe(1);
  });

  test('what depends on a non-converging step still runs; a converged one is plain success', async () => {
    const odd = resource((w) => ({ tags: { ...w.tags, extra: 'x' } }));
    const fine = resource((w) => w);
    const results = await executePlan([change('bucket.a'), change('bucket.b', ['bucket.a'])], {
      ctx,
      handlerFor: () => odd.handler as ResourceHandler,
      concurrency: 2,
      convergenceDelaysMs: [0],
    });
    expect(results.map((r) => r.status)).toEqual(['non-converging', 'non-converging']);
    const ok = await executePlan([change('bucket.c')], { ctx, handlerFor: () => fine.handler as ResourceHandler, concurrency: 1, convergenceDelaysMs: [0] });
    expect(ok[0]?.status).toBe('succeeded');
  });
});
