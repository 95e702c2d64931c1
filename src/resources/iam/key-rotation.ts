import type { KeyRecord } from './key-record.js';

/** AWS allows at most two access keys per user. */
export const MAX_KEYS_PER_USER = 2;
const DAY_MS = 86_400_000;

export interface KeyInfo {
  id: string;
  status: 'Active' | 'Inactive';
  created: string;
}

/** `scheduled`: the tool's own timetable (a due rotation, deleting a key it retired), not a reaction to drift. */
export type KeyStep =
  | { op: 'delete'; id: string; why: string; scheduled?: true }
  | { op: 'create'; why: string; scheduled?: true }
  | { op: 'deactivate'; id: string; why: string; scheduled?: true };

export interface KeyAssessment {
  steps: KeyStep[];
  /** Why the steps cannot run (foreign keys fill AWS's limit, another apply's key in flight). */
  blocked?: string;
  /** Steps are needed, and every one is `scheduled` (drift reports it as pending, not drifted). */
  scheduled?: boolean;
}

/**
 * A `pending` key younger than this is another apply's key in flight (it has up to 2 minutes to
 * verify it, then delivers it), not one an interrupted run left behind: never deleted.
 */
export const PENDING_KEY_GRACE_MS = 10 * 60_000;

export interface KeyPolicy {
  rotateAfterDays?: number;
  /** The run's clock (RECONCILE_NOW in tests): decides rotation ages. */
  now: Date;
  /** The real clock, compared with AWS's CreateDate for pending keys (default: Date.now()). */
  realNow?: number;
  /** Default PENDING_KEY_GRACE_MS. */
  pendingGraceMs?: number;
  /** `accessKey: false`: no key of ours at all — delete every key the record names. */
  none?: boolean;
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
  const remove = (id: string, why: string, scheduled = false) => {
    steps.push({ op: 'delete', id, why, ...(scheduled ? { scheduled } : {}) });
    deleting.add(id);
  };
  const done = (blocked?: string): KeyAssessment => ({
    steps,
    ...(blocked ? { blocked } : {}),
    ...(steps.length > 0 && steps.every((s) => s.scheduled) ? { scheduled: true } : {}),
  });

  // another apply (no --lock-bucket) is between CreateAccessKey and delivering this key: hands off
  const realNow = policy.realNow ?? Date.now();
  const grace = policy.pendingGraceMs ?? PENDING_KEY_GRACE_MS;
  const inFlight = ours.filter(
    (k) => record.get(k.id) === 'pending' && !policy.createdThisRun?.has(k.id) && realNow - new Date(k.created).getTime() < grace,
  );
  if (inFlight.length > 0) {
    const ages = inFlight.map((k) => `${k.id} (created ${Math.max(0, Math.round((realNow - new Date(k.created).getTime()) / 1000))} s ago)`).join(', ');
    return {
      steps: [],
      blocked: `another apply is creating a key for this user right now: ${ages} is recorded as pending and younger than ${Math.round(grace / 60_000)} minutes, so it is left alone — wait for that run and re-run apply; use --lock-bucket so concurrent applies wait for each other`,
    };
  }

  if (policy.none) {
    for (const k of ours) remove(k.id, 'accessKey: false — no key of ours');
    return done();
  }

  for (const k of ours.filter((k) => record.get(k.id) === 'pending')) remove(k.id, 'created by an interrupted run, never delivered');
  for (const k of ours.filter((k) => record.get(k.id) === 'retired' && k.status === 'Inactive' && !policy.retiredThisRun?.has(k.id))) {
    remove(k.id, 'retired by an earlier rotation', true);
  }
  const active = ours
    .filter((k) => record.get(k.id) === 'ok' && k.status === 'Active')
    .sort((a, b) => b.created.localeCompare(a.created));
  const [current, ...superseded] = active;
  // ours, delivered, but someone made it inactive (not a rotation of ours): its secret no longer works
  for (const k of ours.filter((k) => record.get(k.id) === 'ok' && k.status === 'Inactive' && !policy.retiredThisRun?.has(k.id))) {
    remove(k.id, `deactivated outside reconcile, not by a rotation; ${current ? `the active key ${current.id} stays` : 'a new key replaces it'}`);
  }
  // retired by a rotation, then made active again by someone: deactivate it again (reversible)
  const reactivated = ours.filter((k) => record.get(k.id) === 'retired' && k.status === 'Active');
  const due =
    current !== undefined &&
    !policy.createdThisRun?.has(current.id) &&
    policy.rotateAfterDays !== undefined &&
    ageDays(current, policy.now) >= policy.rotateAfterDays;
  const needNew = current === undefined || due;

  if (needNew) {
    // older active keys of ours are already superseded by `current`: free their slots first
    for (const k of superseded) remove(k.id, 'superseded by a newer key of ours');
    for (const k of reactivated) remove(k.id, 'retired by an earlier rotation, re-activated outside reconcile');
    const why = current ? `the active key ${current.id} is ${ageDays(current, policy.now)} days old (rotateAfterDays: ${policy.rotateAfterDays})` : 'no active key of ours';
    steps.push({ op: 'create', why, ...(due ? { scheduled: true as const } : {}) });
    if (current) steps.push({ op: 'deactivate', id: current.id, why: 'replaced by the new key (deleted on a later run)', scheduled: true });
    const remaining = keys.filter((k) => !deleting.has(k.id));
    if (remaining.length >= MAX_KEYS_PER_USER) {
      const foreignIds = foreign.map((k) => k.id);
      return done(
        `a new key would exceed AWS's limit of ${MAX_KEYS_PER_USER} access keys per user; key(s) not created by reconcile are never touched: ${foreignIds.join(', ')} — delete or rotate one of them yourself`,
      );
    }
  } else {
    for (const k of superseded) steps.push({ op: 'deactivate', id: k.id, why: `superseded by ${current?.id}` });
    for (const k of reactivated) steps.push({ op: 'deactivate', id: k.id, why: 'retired by an earlier rotation, re-activated outside reconcile' });
  }
  return done();
}

export function describeKeyStep(step: KeyStep, sink: string): string {
  if (step.op === 'create') return `create a new key (${step.why}), verify it with STS, deliver it to ${sink}`;
  if (step.op === 'deactivate') return `deactivate ${step.id} (${step.why})`;
  return `delete ${step.id} (${step.why})`;
}
