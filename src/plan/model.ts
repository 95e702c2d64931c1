import jsonpatch, { type Operation } from 'fast-json-patch';
import type { Desired, Kind } from '../core/types.js';
import type { Detail, Equivalence } from '../core/semantics.js';

/** Bumped whenever the saved plan's shape changes; older plans are refused. */
export const FORMAT_VERSION = 2;

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
  /** RFC 6902 patch that turns `before` into `after` (patchBetween; display uses `details`). */
  patch: Operation[];
  /** The semantic change a reviewer reads (statements, CORS rules, tag keys); empty for no-op. */
  details: Detail[];
  /** True when the change grants more IAM permissions (statement added, Deny removed, policy attached). */
  broadens?: boolean;
  /** Differences between the file and AWS judged equivalent, with the rule that matched (`plan --explain`). */
  equivalences?: Equivalence[];
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
  /** Created again only because this other change replaces what it hangs on (a policy's attachment). */
  recreatedFor?: string;
  /** The resource exists without the stack tag; this change takes it over (tags it). */
  adopt?: boolean;
  /** Tagged with this stack but no longer in the file. */
  orphan?: boolean;
  /** A safety guard stops this change: apply does not execute it (nor its dependents) and exits 4. */
  blocked?: string;
  /** Sub-operations in execution order (key deletions, detachments, version deletions...). */
  steps?: string[];
}

/** What the user consented to for this run (flags of plan and apply). */
export interface Consent {
  adopt: boolean;
  prune: boolean;
  allowReplace: boolean;
  allowDataLoss: boolean;
}

export const NO_CONSENT: Consent = { adopt: false, prune: false, allowReplace: false, allowDataLoss: false };

/** A resource that cannot be planned at all (e.g. a bucket whose region differs). */
export interface PlanError {
  address: string;
  source: string;
  message: string;
  /** Set when the resource exists and belongs to another stack (that stack's name). */
  owner?: string;
  kind?: Kind;
  name?: string;
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  /** Resources that could not be planned (`errors`); a plan with errors is a failed plan. */
  errors?: number;
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
  /**
   * For every resource the plan touches (action other than no-op), a fingerprint of its
   * normalized live state when planned; `apply plan.json` refuses when one no longer matches.
   */
  fingerprints: Record<string, string>;
}

/** Resources whose live state a saved plan depends on. */
export function touchedChanges(plan: Pick<Plan, 'changes'>): Change[] {
  return plan.changes.filter((c) => c.action !== 'no-op');
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

/** The declaration a change was planned from, as the resource handlers take it. */
export function desiredOf(change: Change): Desired {
  return {
    address: change.address,
    kind: change.kind,
    name: change.name,
    spec: change.desired,
    dependsOn: change.dependsOn,
    source: change.source,
    ...(change.region ? { region: change.region } : {}),
  };
}

/**
 * The RFC 6902 patch from `before` to `after`, applicable as is: a create is one `add` of the
 * whole document at the root (its `before` is null, not `{}`), a delete one `replace` of the root by null.
 */
export function patchBetween(before: unknown, after: unknown): Operation[] {
  if (before === null || before === undefined) return after === null || after === undefined ? [] : [{ op: 'add', path: '', value: after }];
  // RFC 6902 has no removal of the whole document: it becomes null, as `after` says
  if (after === null || after === undefined) return [{ op: 'replace', path: '', value: null }];
  return jsonpatch.compare(before as object, after as object);
}
