import type { Change, Plan } from '../plan/model.js';
import { detailLine, userDetails } from '../plan/render/details.js';
import { STACK_TAG } from '../core/types.js';
import type { ToolTags } from '../resources/tool-tags.js';
import { deletionPolicy } from '../resources/ownership.js';
import { tagsOf } from '../plan/orphans.js';
import type { AccessKeySpec } from '../resources/iam/access-key.js';
import { desiredDigest, groupChanges, parentPointer, type ResourceGroup } from './groups.js';

export type DriftStatus = 'drifted' | 'pending' | 'missing' | 'orphaned' | 'unmanaged';
export const DRIFT_STATUSES: readonly DriftStatus[] = ['drifted', 'pending', 'missing', 'orphaned', 'unmanaged'];

export interface DriftItem {
  status: DriftStatus;
  /** The top-level resource (bucket, user, policy). */
  address: string;
  kind: string;
  name: string;
  /** JSON Pointer to its declaration in the file; absent for orphans (no longer declared). */
  source?: string;
  reason: string;
  /** What differs, one line each: `bucket.x.cors: update`, then the semantic change. */
  details: string[];
}

export interface DriftReport {
  stack: string;
  file: string;
  checkedAt: string;
  /** Declared top-level resources that match the file. */
  inSync: number;
  counts: Record<DriftStatus, number>;
  items: DriftItem[];
}

function differences(members: readonly Change[], errors: Plan['errors']): string[] {
  const lines: string[] = [];
  for (const c of members) {
    if (c.action === 'no-op') continue;
    lines.push(`${c.address}: ${c.action === 'create' ? 'missing' : c.action === 'update' ? 'differs' : c.action}`);
    for (const d of userDetails(c)) lines.push(`  ${detailLine(d)}`);
  }
  for (const e of errors) lines.push(`${e.address}: ${e.message}`);
  return lines;
}

/** A change the tool's own timetable calls for (a key rotation that is due), not a change made outside it. */
function isScheduled(c: Change): boolean {
  return c.action !== 'no-op' && c.kind === 'iam.access-key' && (c.observed as AccessKeySpec | undefined)?.scheduled === true;
}

function classifyGroup(group: ResourceGroup, tags: ToolTags | undefined, stack: string, errors: Plan['errors']): DriftItem | undefined {
  const { parent } = group;
  const base = { address: parent.address, kind: parent.kind, name: parent.name, source: parent.source };
  const details = differences(group.members, errors);
  if (parent.action === 'create' || tags === undefined) {
    return { ...base, status: 'missing', reason: 'declared in the file but does not exist', details };
  }
  if (tags.stack !== stack) {
    const reason = tags.stack ? `exists, but belongs to stack "${tags.stack}"` : `exists without the ${STACK_TAG} tag (not created or adopted by this stack)`;
    return { ...base, status: 'unmanaged', reason, details };
  }
  if (details.length === 0) return undefined;
  // an attachment re-created for a policy being replaced follows a change in the file, reported there
  const consequences = group.members.filter((c) => c.recreatedFor !== undefined && c.action !== 'no-op');
  if (consequences.length > 0 && differences(group.members.filter((c) => c.recreatedFor === undefined), errors).length === 0) {
    return { ...base, status: 'pending', reason: `follows the pending replace of ${[...new Set(consequences.map((c) => c.recreatedFor))].join(', ')} (storage.yaml changed)`, details };
  }
  if (tags.digest === desiredDigest(group)) {
    const unscheduled = differences(group.members.filter((c) => !isScheduled(c)), errors);
    if (unscheduled.length > 0) return { ...base, status: 'drifted', reason: 'changed outside reconcile since the last apply', details };
    return { ...base, status: 'pending', reason: 'a key rotation is due (rotateAfterDays): apply rotates it; nothing was changed outside reconcile', details };
  }
  const reason = tags.digest ? 'storage.yaml changed since the last apply (not applied yet)' : 'no record of an apply by reconcile on it yet (not applied yet, or applied before digests were recorded)';
  return { ...base, status: 'pending', reason, details };
}

/**
 * Pure: from a plan made with read-only clients and the tool tags read from each declared
 * bucket, user and policy, say per resource what kind of difference it is. A group's digest tag
 * equal to the file's digest proves the file did not change since the last apply, so any
 * difference is drift; otherwise the file changed and the difference is pending. When both
 * happened, it is reported as pending (apply would converge it either way).
 */
export function classifyDrift(plan: Plan, tags: ReadonlyMap<string, ToolTags | undefined>, orphans: readonly Change[] = []): DriftReport {
  const items: DriftItem[] = [];
  let inSync = 0;
  for (const group of groupChanges(plan.changes)) {
    const errors = plan.errors.filter((e) => parentPointer(e.source) === group.parent.source);
    const item = classifyGroup(group, tags.get(group.parent.address), plan.stack, errors);
    if (item) items.push(item);
    else inSync++;
  }
  // a declared resource of another stack is not planned at all (an error), yet it is there and not ours
  const grouped = new Set(groupChanges(plan.changes).map((g) => g.parent.source));
  for (const e of plan.errors) {
    if (e.owner === undefined || grouped.has(parentPointer(e.source)) || e.source !== parentPointer(e.source)) continue;
    items.push({
      status: 'unmanaged',
      address: e.address,
      kind: e.kind ?? 'unknown',
      name: e.name ?? e.address,
      source: e.source,
      reason: `exists, but belongs to stack "${e.owner}"; this stack never touches it (remove it from the file, or rename it)`,
      details: [],
    });
  }
  for (const o of orphans) {
    const retained = deletionPolicy(tagsOf(o.observed ?? {})) === 'retain';
    const fate = retained ? 'kept: it is marked deletion: retain, so even apply --prune keeps it' : 'kept; apply --prune deletes it';
    items.push({ status: 'orphaned', address: o.address, kind: o.kind, name: o.name, reason: `tagged with stack "${plan.stack}" but no longer declared in the file (${fate})`, details: [] });
  }
  const counts = Object.fromEntries(DRIFT_STATUSES.map((s) => [s, items.filter((i) => i.status === s).length])) as Record<DriftStatus, number>;
  return { stack: plan.stack, file: plan.file, checkedAt: plan.createdAt, inSync, counts, items };
}

export function hasDrift(report: DriftReport): boolean {
  return report.items.length > 0;
}
