import type { Desired, Observed } from '../core/types.js';
import { STACK_TAG } from '../core/types.js';
import type { ResourceHandler } from '../resources/handler.js';
import type { Change, Consent, PlanError } from './model.js';

export interface GuardInput {
  changes: readonly Change[];
  errors: readonly PlanError[];
  desired: readonly Desired[];
  observed: ReadonlyMap<string, Observed>;
  handlerFor: (kind: Desired['kind']) => ResourceHandler;
  consent: Consent;
}

/**
 * Ownership and safety on top of the diff: a resource of another stack is a conflict (error,
 * never touched); one without the stack tag is adopted only with consent; a replace needs
 * --allow-replace; a handler may block an action it knows to be unsafe. Pure.
 */
export function guardChanges(input: GuardInput): { changes: Change[]; errors: PlanError[] } {
  const desiredByAddress = new Map(input.desired.map((d) => [d.address, d]));
  const errors = [...input.errors];
  const changes: Change[] = [];
  for (const change of input.changes) {
    const observed = input.observed.get(change.address);
    const owner = observed?.exists ? observed.owner : undefined;
    if (owner?.kind === 'foreign') {
      errors.push({
        address: change.address,
        source: change.source,
        message: `exists and belongs to stack "${owner.stack}" (tag ${STACK_TAG}); this stack never touches it. Remove it from this file, or rename it`,
        owner: owner.stack,
        kind: change.kind,
        name: change.name,
      });
      continue;
    }
    const next: Change = { ...change };
    const handler = input.handlerFor(change.kind);
    if (owner?.kind === 'unmanaged') {
      next.adopt = true;
      if (next.action === 'no-op') next.action = 'update';
      next.reason = `exists without the ${STACK_TAG} tag: adopt (tag it and manage it from now on)`;
      const consented = input.consent.adopt || desiredByAddress.get(change.address)?.adopt === true;
      if (!consented) {
        next.blocked = 'not adopted: pass --adopt, or set adopt: true on this resource in the file (an apply interrupted between creating and tagging it leaves it like this too)';
      }
    }
    if (next.action === 'replace' && !input.consent.allowReplace && !next.blocked) {
      next.blocked = 'replacing deletes the resource and creates it again: pass --allow-replace';
    }
    if (!next.blocked && (next.action === 'create' || next.action === 'update') && observed) {
      const reason = observed.exists ? handler.blocked?.(change.desired, observed.spec) : observed.blocked;
      if (reason) next.blocked = reason;
    }
    if (next.action !== 'no-op') {
      const steps = handler.steps?.({ action: next.action, desired: next.desired, ...(next.observed !== undefined ? { observed: next.observed } : {}) });
      if (steps && steps.length > 0) next.steps = steps;
    }
    changes.push(next);
  }
  return { changes: withoutDependentsOf(changes, errors), errors };
}

/**
 * What hangs off a resource that cannot be planned (another stack's bucket: its CORS, settings)
 * is not a change either: listing it would promise writes to something this stack never touches.
 */
function withoutDependentsOf(changes: readonly Change[], errors: readonly PlanError[]): Change[] {
  const failed = new Set(errors.map((e) => e.address));
  const byAddress = new Map(changes.map((c) => [c.address, c]));
  const verdict = new Map<string, boolean>();
  // one walk down each dependsOn chain, remembered per address (the graph is acyclic)
  const dependsOnFailed = (c: Change): boolean => {
    const known = verdict.get(c.address);
    if (known !== undefined) return known;
    const result = c.dependsOn.some((dep) => failed.has(dep) || (byAddress.has(dep) && dependsOnFailed(byAddress.get(dep) as Change)));
    verdict.set(c.address, result);
    return result;
  };
  return changes.filter((c) => !dependsOnFailed(c));
}
