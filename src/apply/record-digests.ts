import pLimit from 'p-limit';
import { errorMessage } from '../core/errors.js';
import { desiredDigest, groupChanges } from '../drift/groups.js';
import type { Change } from '../plan/model.js';
import type { WriteContext } from '../resources/handler.js';
import { readToolTags, taggedResource, writeDigest } from '../resources/tool-tags.js';
import type { StepResult } from './executor.js';

export interface DigestRecord {
  recorded: string[];
  failed: { address: string; message: string }[];
}

/**
 * After apply: on each declared bucket, user and policy whose every step succeeded (or had
 * nothing to do), record the digest of the desired state it now has. `drift` compares it with
 * the file's digest: equal means the file did not change since, so a difference is drift.
 * A group with a failed or skipped step keeps its old digest (its state is not the file's).
 */
export async function recordDigests(ctx: WriteContext, changes: readonly Change[], results: readonly StepResult[], concurrency: number): Promise<DigestRecord> {
  const statusOf = new Map(results.map((r) => [r.address, r.status]));
  const limit = pLimit(Math.max(1, concurrency));
  const record: DigestRecord = { recorded: [], failed: [] };
  await Promise.all(
    groupChanges(changes)
      .filter((g) => g.members.every((c) => c.action === 'no-op' || statusOf.get(c.address) === 'succeeded'))
      .map((group) =>
        limit(async () => {
          const digest = desiredDigest(group);
          const resource = taggedResource(group.parent);
          try {
            const tags = await readToolTags(ctx, resource);
            if (!tags || tags.digest === digest) return;
            await writeDigest(ctx, resource, digest);
            record.recorded.push(group.parent.address);
          } catch (err) {
            record.failed.push({ address: group.parent.address, message: errorMessage(err) });
          }
        }),
      ),
  );
  return record;
}
