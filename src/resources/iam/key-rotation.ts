import type { KeyRecord } from './key-record.js';

/** AWS allows at most two access keys per user. */
export const MAX_KEYS_PER_USER = 2;
const DAY_MS = 86_400_000;

export interface KeyInfo {
  id: string;
  status: 'Active' | 'Inactive';
  created: string;
}

export type KeyStep =
  | { op: 'delete'; id: string; why: string }
  | { op: 'create'; why: string }
  | { op: 'deactivate'; id: string; why: string };

export interface KeyAssessment {
  steps: KeyStep[];
  /** Why the steps cannot run (foreign keys fill AWS's limit). */
  blocked?: string;
}

export interface KeyPolicy {
  rotateAfterDays?: number;
  now: Date;
  /** Keys this run deactivated: deleting them is for a later run. */
  retiredThisRun?: ReadonlySet<string>;
  /** Keys this run created: never due, whatever the (injected) clock says. */
  createdThisRun?: ReadonlySet<string>;
}

function ageDays(key: KeyInfo, now: Date): number {
  return Math.floor((now.getTime() - new Date(key.created).getTime()) / DAY_MS);
}

/**
 * What to do so the user has exactly one active, delivered key of ours, younger than the
 * rotation age, within AWS's two-key limit. Pure. Rotation order: create the new key (verified
 * and delivered by the handler), then deactivate the old one; a later run deletes it.
 */
export function assessKeys(keys: readonly KeyInfo[], record: KeyRecord, policy: KeyPolicy): KeyAssessment {
  const ours = keys.filter((k) => record.has(k.id));
  const foreign = keys.filter((k) => !record.has(k.id));
  const steps: KeyStep[] = [];
  const deleting = new Set<string>();
  const remove = (id: string, why: string) => {
    steps.push({ op: 'delete', id, why });
    deleting.add(id);
  };

  for (const k of ours.filter((k) => record.get(k.id) === 'pending')) remove(k.id, 'created by an interrupted run, never delivered');
  for (const k of ours.filter((k) => record.get(k.id) === 'ok' && k.status === 'Inactive' && !policy.retiredThisRun?.has(k.id))) {
    remove(k.id, 'retired by an earlier rotation');
  }
  const active = ours
    .filter((k) => record.get(k.id) === 'ok' && k.status === 'Active')
    .sort((a, b) => b.created.localeCompare(a.created));
  const [current, ...superseded] = active;
  const due =
    current !== undefined &&
    !policy.createdThisRun?.has(current.id) &&
    policy.rotateAfterDays !== undefined &&
    ageDays(current, policy.now) >= policy.rotateAfterDays;
  const needNew = current === undefined || due;

  if (needNew) {
    // older active keys of ours are already superseded by `current`: free their slots first
    for (const k of superseded) remove(k.id, 'superseded by a newer key of ours');
    const why = current ? `the active key ${current.id} is ${ageDays(current, policy.now)} days old (rotateAfterDays: ${policy.rotateAfterDays})` : 'no active key of ours';
    steps.push({ op: 'create', why });
    if (current) steps.push({ op: 'deactivate', id: current.id, why: 'replaced by the new key (deleted on a later run)' });
    const remaining = keys.filter((k) => !deleting.has(k.id));
    if (remaining.length >= MAX_KEYS_PER_USER) {
      const foreignIds = foreign.map((k) => k.id);
      return {
        steps,
        blocked: `a new key would exceed AWS's limit of ${MAX_KEYS_PER_USER} access keys per user; key(s) not created by reconcile are never touched: ${foreignIds.join(', ')} — delete or rotate one of them yourself`,
      };
    }
  } else {
    for (const k of superseded) steps.push({ op: 'deactivate', id: k.id, why: `superseded by ${current?.id}` });
  }
  return { steps };
}

export function describeKeyStep(step: KeyStep, sink: string): string {
  if (step.op === 'create') return `create a new key (${step.why}), verify it with STS, deliver it to ${sink}`;
  if (step.op === 'deactivate') return `deactivate ${step.id} (${step.why})`;
  return `delete ${step.id} (${step.why})`;
}
