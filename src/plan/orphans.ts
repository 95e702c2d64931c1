import type { Kind } from '../core/types.js';
import type { Discovered, ResourceHandler } from '../resources/handler.js';
import { deletionPolicy } from '../resources/ownership.js';
import type { BucketSpec } from '../resources/s3/bucket.js';
import type { UserSpec } from '../resources/iam/user.js';
import { describeContents, isEmpty } from '../resources/s3/contents.js';
import type { Tags } from '../config/types.js';
import { patchBetween, type Change, type Consent } from './model.js';

export interface FoundOrphan {
  kind: Kind;
  item: Discovered;
}

const ADDRESS_PREFIX: Partial<Record<Kind, string>> = { 's3.bucket': 'bucket', 'iam.user': 'user', 'iam.policy': 'policy' };

export function tagsOf(spec: unknown): Tags {
  const tags = (spec as { tags?: Tags }).tags;
  return tags ?? {};
}

/** Why an orphaned bucket's deletion would lose data and is not consented to, if it is. */
function dataLossBlock(spec: BucketSpec, consent: Consent): { blocked?: string; destroyData: boolean } {
  if (!spec.contents || isEmpty(spec.contents)) return { destroyData: false };
  const declared = deletionPolicy(spec.tags) === 'destroy-data';
  if (declared && consent.allowDataLoss) return { destroyData: true };
  const missing = [declared ? undefined : 'the bucket did not declare deletion: destroy-data', consent.allowDataLoss ? undefined : 'the run did not pass --allow-data-loss']
    .filter(Boolean)
    .join(' and ');
  return { blocked: `the bucket holds ${describeContents(spec.contents)}; not emptied or deleted because ${missing}`, destroyData: false };
}

/**
 * Resources tagged with this stack that the file no longer declares. Kept (shown, no action)
 * unless the run prunes; `deletion: retain` keeps them even then; a bucket with data is only
 * deleted with both opt-ins. Pure.
 */
export function planOrphans(found: readonly FoundOrphan[], consent: Consent, handlerFor: (kind: Kind) => ResourceHandler): Change[] {
  const orphanUsers = new Set(found.filter((f) => f.kind === 'iam.user').map((f) => f.item.name));
  return found.map(({ kind, item }) => {
    // reverse of creation: a user's own detachments run before the policy is deleted
    const attachedOrphanUsers =
      kind === 'iam.policy'
        ? ((item.spec as { attachedTo?: string[] }).attachedTo ?? [])
            .filter((e) => e.startsWith('user/') && orphanUsers.has(e.slice(5)))
            .map((e) => `user.${e.slice(5)}`)
        : [];
    const address = `${ADDRESS_PREFIX[kind] ?? kind}.${item.name}`;
    const base = {
      address,
      kind,
      name: item.name,
      before: item.spec,
      after: null,
      patch: patchBetween(item.spec, null),
      details: [],
      observed: item.spec,
      dependsOn: attachedOrphanUsers,
      source: '',
      orphan: true,
      ...(item.region ? { region: item.region } : {}),
    };
    if (deletionPolicy(tagsOf(item.spec)) === 'retain') {
      return { ...base, action: 'no-op', desired: item.spec, reason: 'orphaned (not in the file) with deletion: retain: kept, even with --prune' } satisfies Change;
    }
    if (!consent.prune) {
      return { ...base, action: 'no-op', desired: item.spec, reason: 'orphaned (tagged with this stack, not in the file): kept; pass --prune to delete it' } satisfies Change;
    }
    let desired: unknown = item.spec;
    let blocked: string | undefined;
    if (kind === 's3.bucket') {
      const guard = dataLossBlock(item.spec as BucketSpec, consent);
      desired = { ...(item.spec as BucketSpec), destroyData: guard.destroyData };
      blocked = guard.blocked;
    }
    const foreignKeys = kind === 'iam.user' ? ((item.spec as UserSpec).dependents?.foreignAccessKeys ?? []) : [];
    if (foreignKeys.length > 0) {
      blocked = `the user has access keys reconcile did not create (${foreignKeys.join(', ')}), which it never touches: delete or move them yourself, then prune again`;
    }
    const steps = handlerFor(kind).steps?.({ action: 'delete', desired, observed: item.spec }) ?? [];
    return {
      ...base,
      action: 'delete',
      desired,
      reason: 'orphaned (tagged with this stack, not in the file): --prune deletes it',
      ...(steps.length > 0 ? { steps } : {}),
      ...(blocked ? { blocked } : {}),
    } satisfies Change;
  });
}
