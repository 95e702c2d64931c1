import jsonpatch from 'fast-json-patch';
import { clone } from '../core/canonical.js';
import type { Desired, Observed } from '../core/types.js';
import type { ResourceHandler } from '../resources/handler.js';
import type { Action, Change, PlanError } from './model.js';

export interface PlannerInput {
  desired: readonly Desired[];
  observed: ReadonlyMap<string, Observed>;
  handlerFor: (kind: Desired['kind']) => ResourceHandler;
}

export interface PlannerOutput {
  changes: Change[];
  errors: PlanError[];
}

/** Only attributes the file declares are managed: compare observed on the desired keys alone. */
function project(observed: unknown, desired: unknown): unknown {
  if (typeof observed !== 'object' || observed === null || typeof desired !== 'object' || desired === null) return observed;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(desired)) out[key] = (observed as Record<string, unknown>)[key];
  return out;
}

function changedTopLevel(patch: readonly jsonpatch.Operation[]): string[] {
  return [...new Set(patch.map((op) => op.path.split('/')[1] ?? ''))];
}

/** Pure: decide each resource's action from desired and observed state. */
export function planChanges(input: PlannerInput): PlannerOutput {
  const changes: Change[] = [];
  const errors: PlanError[] = [];
  for (const d of input.desired) {
    const handler = input.handlerFor(d.kind);
    const observed = input.observed.get(d.address) ?? { exists: false };
    const after = handler.normalize(clone(d.spec));
    const base = {
      address: d.address,
      kind: d.kind,
      name: d.name,
      desired: d.spec,
      dependsOn: d.dependsOn,
      source: d.source,
      ...(d.region ? { region: d.region } : {}),
    };
    if (!observed.exists) {
      changes.push({ ...base, action: 'create', before: null, after, patch: jsonpatch.compare({}, after as object) });
      continue;
    }
    const before = handler.normalize(clone(project(observed.spec, d.spec)) as typeof d.spec);
    const conflict = handler.conflict?.(after, before);
    if (conflict) {
      errors.push({ address: d.address, source: d.source, message: conflict });
      continue;
    }
    const patch = jsonpatch.compare(before as object, after as object);
    let action: Action = 'no-op';
    let reason: string | undefined;
    if (patch.length > 0) {
      const forcing = changedTopLevel(patch).filter((key) => handler.replaceOn?.includes(key));
      action = forcing.length > 0 ? 'replace' : 'update';
      if (forcing.length > 0) reason = `${forcing.join(', ')} cannot be changed in place`;
    }
    changes.push({ ...base, action, before, after, patch, observed: observed.spec, ...(reason ? { reason } : {}) });
  }
  return { changes: recreateDependentsOfReplaced(changes), errors };
}

/** Replacing a resource removes what hangs off it (e.g. a policy's attachments): re-create those. */
function recreateDependentsOfReplaced(changes: Change[]): Change[] {
  const replaced = new Set(changes.filter((c) => c.action === 'replace').map((c) => c.address));
  if (replaced.size === 0) return changes;
  return changes.map((c) => {
    const cause = c.dependsOn.find((dep) => replaced.has(dep));
    if (!cause || c.action !== 'no-op') return c;
    return { ...c, action: 'create', before: null, patch: jsonpatch.compare({}, c.after as object), reason: `re-created because ${cause} is replaced` };
  });
}
