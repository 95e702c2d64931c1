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

/** Groups of declared resources (deletions of undeclared ones are not part of any). */
export function groupChanges(changes: readonly Change[]): ResourceGroup[] {
  const declared = changes.filter((c) => c.action !== 'delete' && c.after !== null);
  const groups = new Map<string, ResourceGroup>();
  for (const c of declared) {
    if (TAGGABLE_PARENTS.has(c.kind) && c.source === parentPointer(c.source)) groups.set(c.source, { parent: c, members: [] });
  }
  for (const c of declared) groups.get(parentPointer(c.source))?.members.push(c);
  return [...groups.values()];
}

/** Digest of a group's desired state, canonical (normalized), so a reformatted file keeps it. */
export function desiredDigest(group: ResourceGroup): string {
  const members = [...group.members].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return fingerprint(members.map((c) => [c.address, c.after]));
}
