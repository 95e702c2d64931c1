import pLimit from 'p-limit';
import { sha256 } from '../core/canonical.js';
import { ABSENT, normalizedObserved, observedFingerprint } from '../plan/fingerprint.js';
import { desiredOf, touchedChanges, type Change, type Plan } from '../plan/model.js';
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
  ctx: ReadContext;
  handlerFor: (kind: Change['kind']) => ResourceHandler;
  concurrency: number;
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
 * Terraform checks only its own state file before applying a saved plan; we re-read every
 * resource the plan touches, so an out-of-band change between review and apply is caught.
 * Returns every reason the plan is stale (empty: safe to apply). Reads only.
 */
export async function checkSavedPlan(input: GuardInput): Promise<Staleness[]> {
  const { plan } = input;
  const incompatible = planIncompatibility(plan, input.toolVersion);
  if (incompatible) return [{ subject: 'plan', message: incompatible, details: ['make a new plan with this version'] }];
  const stale: Staleness[] = [];
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
      const now = await handler.observe(input.ctx, desiredOf(change));
      const actual = observedFingerprint(handler, now, change.desired);
      if (actual === expected) return undefined;
      const details = expected === ABSENT && now.exists ? ['it exists now; it did not when planned'] : describeLiveChange(change, handler, now);
      return { subject: change.address, message: 'live state changed since the plan was made', details };
    }),
  );
  for (const result of await Promise.all(checks)) if (result) stale.push(result);
  return stale;
}
