import jsonpatch from 'fast-json-patch';
import pLimit from 'p-limit';
import { sha256, sortKeys, stableStringify } from '../core/canonical.js';
import { DELETION_TAG, type Desired, type Observed } from '../core/types.js';
import { forResource } from '../core/errors.js';
import { ABSENT, normalizedObserved, observedFingerprint } from '../plan/fingerprint.js';
import { desiredOf, NO_CONSENT, touchedChanges, type Change, type Consent, type Plan } from '../plan/model.js';
import { planIncompatibility } from '../plan/plan-file.js';
import { describeChange } from '../plan/planner.js';
import type { ReadContext, ResourceHandler } from '../resources/handler.js';

/** One reason a saved plan may not be applied. */
export interface Staleness {
  /** The resource address, or `file` / `plan` for the file and the plan itself. */
  subject: string;
  message: string;
  /** What changed, one line each (for a resource: attribute before → now). */
  details: string[];
}

export interface GuardInput {
  plan: Plan;
  /** The storage file's text as it is now. */
  fileText: string;
  /** The path it was read from (may differ from the plan's `file` with -f). */
  filePath?: string;
  toolVersion: string;
  /**
   * What the file declares now, expanded (pure): every saved change must be exactly what the
   * file expands to, or the plan was edited after it was made.
   */
  desired?: readonly Desired[];
  /** The file's stack now. */
  stack?: string;
  ctx: ReadContext;
  handlerFor: (kind: Change['kind']) => ResourceHandler;
  concurrency: number;
  /** Told the live state of each resource that is as planned (apply then works from it, not from the file's copy). */
  onFresh?: (address: string, observed: Observed) => void;
}


function describeLiveChange(change: Change, handler: ResourceHandler, now: { exists: boolean; spec?: unknown }): string[] {
  if (!now.exists) return ['it no longer exists'];
  if (change.before === null) return ['it exists now; it did not when planned'];
  const current = normalizedObserved(handler, now.spec, change.desired);
  if (typeof current !== 'object' || current === null || typeof change.before !== 'object') return [];
  // read as "what changed from the planned state to the live state"
  return describeChange(handler, change.before, current, { observed: now.spec }).map((d) => d.text);
}

/**
 * The saved plan with each change's raw observed state replaced by what was just read (and proved
 * equal to the plan's fingerprint): update and delete act on the live state, never on a copy in
 * the plan file that could have been edited.
 */
export function withLiveObserved(plan: Plan, live: ReadonlyMap<string, Observed>): Plan {
  return {
    ...plan,
    changes: plan.changes.map((c) => {
      const now = live.get(c.address);
      if (!now) return c;
      if (!now.exists) {
        const { observed: _dropped, ...rest } = c;
        return rest;
      }
      return { ...c, observed: now.spec };
    }),
  };
}

/** A value as a saved plan holds it: through JSON (undefined fields gone), keys sorted. */
function asSaved(value: unknown): unknown {
  return value === undefined ? undefined : sortKeys(JSON.parse(JSON.stringify(value)) as unknown);
}

function differingPaths(saved: unknown, expanded: unknown): string[] {
  const a = asSaved(saved);
  const b = asSaved(expanded);
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return ['(the whole value)'];
  const paths = [...new Set(jsonpatch.compare(b as object, a as object).map((op) => op.path || '/'))];
  return paths.length > 0 ? paths : ['(the whole value)'];
}

/** A user's `policies:` list is exclusive: detaching an attachment it does not name is what the file says. */
function impliedDetach(change: Plan['changes'][number], declared: ReadonlyMap<string, Desired>): boolean {
  if (change.kind !== 'iam.user.policy-attachment' || change.action !== 'delete') return false;
  const user = (change.desired as { user?: unknown } | null)?.user;
  if (typeof user !== 'string' || !change.address.startsWith(`user.${user}.policy[`)) return false;
  return declared.get(`user.${user}`)?.kind === 'iam.user';
}

/**
 * Pure and cheap: does every change of the saved plan say what the file expands to? The fingerprints
 * prove AWS did not change and the file hash that the file did not; this proves the plan's own
 * changes were not edited (a saved change's `desired` is what apply sends to AWS).
 */
export function tamperedChanges(plan: Plan, desired: readonly Desired[], stack: string | undefined): Staleness[] {
  const out: Staleness[] = [];
  const declared = new Map(desired.map((d) => [d.address, d]));
  if (stack !== undefined && plan.stack !== stack) out.push({ subject: 'plan', message: `the plan is for stack "${plan.stack}", the file declares stack "${stack}"`, details: [] });
  for (const change of plan.changes) {
    const d = declared.get(change.address);
    if (change.orphan || change.action === 'delete') {
      if (d) out.push({ subject: change.address, message: `the plan ${change.action === 'delete' ? 'deletes' : 'treats as undeclared'} a resource the file declares`, details: [] });
      else if (!change.orphan && !impliedDetach(change, declared)) out.push({ subject: change.address, message: 'the plan deletes a resource without marking it as no longer declared', details: [] });
      continue;
    }
    if (!d) {
      out.push({ subject: change.address, message: 'the plan changes a resource the file does not declare', details: [] });
      continue;
    }
    const details: string[] = [];
    if (change.kind !== d.kind) details.push(`kind: ${change.kind} in the plan, ${d.kind} in the file`);
    if (change.name !== d.name) details.push('name differs from the file');
    if ((change.region ?? undefined) !== (d.region ?? undefined)) details.push('region differs from the file');
    if (stableStringify(asSaved(change.desired)) !== stableStringify(asSaved(d.spec))) {
      details.push(`desired spec differs from the file at ${differingPaths(change.desired, d.spec).join(', ')}`);
    }
    if (stableStringify([...change.dependsOn].sort()) !== stableStringify([...d.dependsOn].sort())) details.push('dependsOn differs from the file');
    if (details.length > 0) out.push({ subject: change.address, message: 'the saved change is not what the file declares (the plan was edited)', details });
  }
  // every declared resource has its line in a plan, no-op included: one missing was cut out
  if (plan.errors.length === 0) {
    const present = new Set(plan.changes.map((c) => c.address));
    for (const d of desired) {
      if (!present.has(d.address)) out.push({ subject: d.address, message: 'the file declares it, but the plan has no change for it (the plan was edited)', details: [] });
    }
  }
  return out;
}

/**
 * Terraform checks only its own state file before applying a saved plan; we re-read every
 * resource the plan touches, so an out-of-band change between review and apply is caught.
 * Returns every reason the plan is stale (empty: safe to apply). Reads only.
 */
export async function checkSavedPlan(input: GuardInput): Promise<Staleness[]> {
  const { plan } = input;
  const incompatible = planIncompatibility(plan, input.toolVersion);
  if (incompatible) return [{ subject: 'plan', message: incompatible, details: ['make a new plan with this version'] }];
  const stale: Staleness[] = input.desired ? tamperedChanges(plan, input.desired, input.stack) : [];
  const hash = sha256(input.fileText);
  if (hash !== plan.fileHash) {
    const path = input.filePath ?? plan.file;
    const message = path === plan.file ? `${path} changed since the plan was made` : `${path} is not the file the plan was made from (${plan.file}), as it was then`;
    stale.push({ subject: 'file', message, details: [`sha256 ${plan.fileHash.slice(0, 12)}… when planned, ${hash.slice(0, 12)}… in ${path}`] });
  }
  const limit = pLimit(Math.max(1, input.concurrency));
  const checks = touchedChanges(plan).map((change) =>
    limit(async (): Promise<Staleness | undefined> => {
      const expected = plan.fingerprints[change.address];
      if (expected === undefined) return { subject: change.address, message: 'the plan records no fingerprint of its live state', details: [] };
      const handler = input.handlerFor(change.kind);
      const now = await forResource(change.address, () => handler.observe(input.ctx, desiredOf(change)));
      const actual = observedFingerprint(handler, now, change.desired);
      if (actual === expected) {
        input.onFresh?.(change.address, now);
        return undefined;
      }
      const details = expected === ABSENT && now.exists ? ['it exists now; it did not when planned'] : describeLiveChange(change, handler, now);
      return { subject: change.address, message: 'live state changed since the plan was made', details };
    }),
  );
  for (const result of await Promise.all(checks)) if (result) stale.push(result);
  return stale;
}

/**
 * A saved plan cannot consent for the one who applies it: its destructive actions (an orphan
 * deleted, a bucket's data destroyed, a replace, an adoption) run only when `apply plan.json` is
 * given the same flag, and data is destroyed only when the live bucket still says
 * `deletion: destroy-data`. An edited artifact therefore cannot delete or take over anything the
 * applier did not allow. Pure: returns the plan with such changes blocked, and what blocked them.
 */
export function requireApplyConsent(plan: Plan, consent: Consent, desired: readonly Desired[], live: ReadonlyMap<string, Observed>): { plan: Plan; blocked: string[] } {
  const adoptInFile = new Set(desired.filter((d) => d.adopt === true).map((d) => d.address));
  const blocked: string[] = [];
  const changes = plan.changes.map((change) => {
    if (change.blocked) return change;
    const needs = needsOf(change, consent, adoptInFile, live);
    if (needs.length === 0) return change;
    blocked.push(change.address);
    return { ...change, blocked: `the saved plan ${verbOf(change)}; apply it with ${needs.join(' and ')} as well (a plan file cannot give consent on its own)` };
  });
  return { plan: { ...plan, changes }, blocked };
}

/** The consent flags some action of the saved plan needs (the others, given to apply, change nothing). */
export function consentFlagsNeeded(plan: Plan, desired: readonly Desired[]): Set<string> {
  const adoptInFile = new Set(desired.filter((d) => d.adopt === true).map((d) => d.address));
  return new Set(plan.changes.filter((c) => !c.blocked).flatMap((c) => needsOf(c, NO_CONSENT, adoptInFile, undefined)));
}

function needsOf(change: Change, consent: Consent, adoptInFile: ReadonlySet<string>, live: ReadonlyMap<string, Observed> | undefined): string[] {
  const needs: string[] = [];
  if (change.orphan && change.action === 'delete' && !consent.prune) needs.push('--prune');
  if ((change.desired as { destroyData?: unknown } | null)?.destroyData === true) {
    if (!consent.allowDataLoss) needs.push('--allow-data-loss');
    if (live) {
      const observed = live.get(change.address);
      const tags = observed?.exists ? ((observed.spec as { tags?: Record<string, string> }).tags ?? {}) : {};
      if (tags[DELETION_TAG] !== 'destroy-data') needs.push(`the bucket's ${DELETION_TAG}=destroy-data tag`);
    }
  }
  if (change.action === 'replace' && !consent.allowReplace) needs.push('--allow-replace');
  if (change.adopt && !consent.adopt && !adoptInFile.has(change.address)) needs.push('--adopt');
  return needs;
}

function verbOf(change: Change): string {
  if (change.action === 'delete') return (change.desired as { destroyData?: unknown } | null)?.destroyData === true ? 'empties and deletes it' : 'deletes it';
  if (change.action === 'replace') return 'replaces it';
  return 'adopts it';
}
