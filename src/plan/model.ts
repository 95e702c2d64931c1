import type { Operation } from 'fast-json-patch';
import type { Kind } from '../core/types.js';

/** Bumped whenever the saved plan's shape changes; older plans are refused. */
export const FORMAT_VERSION = 1;

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

export interface Change {
  address: string;
  kind: Kind;
  name: string;
  action: Action;
  /** Normalized observed state (null when absent). */
  before: unknown;
  /** Normalized desired state (null for delete). */
  after: unknown;
  /** RFC 6902 patch from `before` to `after`. */
  patch: Operation[];
  /** The file's own spelling of the spec, sent to AWS on write. */
  desired: unknown;
  /** Raw observed spec, needed by update and delete. */
  observed?: unknown;
  region?: string;
  dependsOn: string[];
  /** JSON Pointer to where storage.yaml declares the resource. */
  source: string;
  /** For display only; apply never decides on it. */
  reason?: string;
}

/** A resource that cannot be planned at all (e.g. a bucket whose region differs). */
export interface PlanError {
  address: string;
  source: string;
  message: string;
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
}

export interface Plan {
  formatVersion: number;
  toolVersion: string;
  stack: string;
  /** sha256 of storage.yaml as read. */
  fileHash: string;
  file: string;
  createdAt: string;
  changes: Change[];
  errors: PlanError[];
  summary: PlanSummary;
}

export function summarize(changes: readonly Change[]): PlanSummary {
  const summary: PlanSummary = { add: 0, change: 0, destroy: 0 };
  for (const c of changes) {
    if (c.action === 'create') summary.add++;
    else if (c.action === 'update') summary.change++;
    else if (c.action === 'delete') summary.destroy++;
    else if (c.action === 'replace') {
      summary.add++;
      summary.destroy++;
    }
  }
  return summary;
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== 'no-op');
}
