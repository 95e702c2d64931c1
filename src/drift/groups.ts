import { fingerprint } from '../core/canonical.js';
import { splitPointer, joinPointer } from '../config/source.js';
import type { Change } from '../plan/model.js';

/**
 * A top-level resource of storage.yaml (a bucket, a policy, a user) with everything declared
 * under it (CORS and the other bucket settings; attachments and the access key). The digest
 * tag lives on the parent and covers the whole group, because sub-resources cannot be tagged.
 */
export interface ResourceGroup {
  parent: Change;
  members: Change[];
}

const TAGGABLE_PARENTS = new Set(['s3.bucket', 'iam.user', 'iam.policy']);

/** `/buckets/acme/cors` → `/buckets/acme` */
export function parentPointer(source: string): string {
  return joinPointer(splitPointer(source).slice(0, 2));
}

/** A deletion the file's declaration itself calls for (a detach of a policy a user's list no longer names). */
function isDeclaredDeletion(c: Change): boolean {
  return c.action === 'delete' && c.orphan !== true && c.source !== '';
}

/**
 * Groups of declared resources. Deletions of undeclared ones (orphans) are not part of any;
 * a deletion under a declared resource (a detach) is a member of its group, but not of its digest.
 */
export function groupChanges(changes: readonly Change[]): ResourceGroup[] {
  const declared = changes.filter((c) => c.action !== 'delete' && c.after !== null);
  const groups = new Map<string, ResourceGroup>();
  for (const c of declared) {
    if (TAGGABLE_PARENTS.has(c.kind) && c.source === parentPointer(c.source)) groups.set(c.source, { parent: c, members: [] });
  }
  for (const c of [...declared, ...changes.filter(isDeclaredDeletion)]) groups.get(parentPointer(c.source))?.members.push(c);
  return [...groups.values()];
}

/** Digest of a group's desired state, canonical (normalized), so a reformatted file keeps it. */
export function desiredDigest(group: ResourceGroup): string {
  const members = group.members.filter((c) => c.after !== null).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return fingerprint(members.map((c) => [c.address, c.after]));
}
