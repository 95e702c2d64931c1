import type { Operation } from 'fast-json-patch';
import { clone } from '../core/canonical.js';
import { describeFields } from '../core/describe.js';
import { NoteList, type Detail, type Equivalence } from '../core/semantics.js';
import type { Desired, Observed } from '../core/types.js';
import type { ResourceHandler } from '../resources/handler.js';
import { equivalencesBetween } from './equivalence.js';
import { patchBetween, type Action, type Change, type PlanError } from './model.js';

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
export function project(observed: unknown, desired: unknown): unknown {
  if (typeof observed !== 'object' || observed === null || typeof desired !== 'object' || desired === null) return observed;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(desired)) out[key] = (observed as Record<string, unknown>)[key];
  return out;
}

export interface Comparison {
  /** Canonical observed state, projected onto the declared attributes. */
  before: unknown;
  /** Canonical desired state. */
  after: unknown;
  patch: Operation[];
  /** Spelling differences judged equivalent, with the rule that matched. */
  equivalences: Equivalence[];
}

/** Normalize both sides (on copies) and compare their canonical forms. Pure. */
export function compareSpecs(handler: ResourceHandler, desired: unknown, observed: unknown): Comparison {
  const fromFile = new NoteList();
  const fromAws = new NoteList();
  const after = handler.normalize(clone(desired), fromFile);
  const before = handler.normalize(clone(project(observed, desired)), fromAws);
  return {
    before,
    after,
    patch: patchBetween(before, after),
    equivalences: equivalencesBetween(fromFile.notes, fromAws.notes),
  };
}

function changedTopLevel(patch: readonly Operation[]): string[] {
  return [...new Set(patch.map((op) => op.path.split('/')[1] ?? ''))];
}

/** What a reviewer reads; never empty for a real change, whatever the handler's describe covers. */
export function describeChange(handler: ResourceHandler, before: unknown, after: unknown, raw: { desired?: unknown; observed?: unknown }): Detail[] {
  const details = handler.describe?.(before, after, raw) ?? describeFields(before, after);
  return details.length > 0 ? details : describeFields(before, after);
}

function withDetails<C extends Omit<Change, 'details' | 'broadens'>>(change: C, details: Detail[]): C & Pick<Change, 'details' | 'broadens'> {
  return { ...change, details, ...(details.some((d) => d.broadens) ? { broadens: true } : {}) };
}

/** Pure: decide each resource's action from desired and observed state. */
export function planChanges(input: PlannerInput): PlannerOutput {
  const changes: Change[] = [];
  const errors: PlanError[] = [];
  for (const d of input.desired) {
    const handler = input.handlerFor(d.kind);
    const observed = input.observed.get(d.address) ?? { exists: false };
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
      const after = handler.normalize(clone(d.spec));
      const change = { ...base, action: 'create' as const, before: null, after, patch: patchBetween(null, after) };
      changes.push(withDetails(change, describeChange(handler, null, after, { desired: d.spec })));
      continue;
    }
    const { before, after, patch, equivalences } = compareSpecs(handler, d.spec, observed.spec);
    const conflict = handler.conflict?.(after, before);
    if (conflict) {
      errors.push({ address: d.address, source: d.source, message: conflict });
      continue;
    }
    let action: Action = 'no-op';
    let reason: string | undefined;
    if (patch.length > 0) {
      const forcing = changedTopLevel(patch).filter((key) => handler.replaceOn?.includes(key));
      action = forcing.length > 0 ? 'replace' : 'update';
      if (forcing.length > 0) reason = `${forcing.join(', ')} cannot be changed in place`;
    }
    const details = action === 'no-op' ? [] : describeChange(handler, before, after, { desired: d.spec, observed: observed.spec });
    const change = {
      ...base,
      action,
      before,
      after,
      patch,
      observed: observed.spec,
      ...(equivalences.length > 0 ? { equivalences } : {}),
      ...(reason ? { reason } : {}),
    };
    changes.push(withDetails(change, details));
  }
  return { changes: recreateDependentsOfReplaced(changes, input.handlerFor), errors };
}

/** Replacing a resource removes what hangs off it (e.g. a policy's attachments): re-create those. */
function recreateDependentsOfReplaced(changes: Change[], handlerFor: PlannerInput['handlerFor']): Change[] {
  const replaced = new Set(changes.filter((c) => c.action === 'replace').map((c) => c.address));
  if (replaced.size === 0) return changes;
  return changes.map((c) => {
    const cause = c.dependsOn.find((dep) => replaced.has(dep));
    if (!cause || c.action !== 'no-op') return c;
    const details = describeChange(handlerFor(c.kind), null, c.after, { desired: c.desired });
    return withDetails({ ...c, action: 'create', before: null, patch: patchBetween(null, c.after), reason: `re-created because ${cause} is replaced`, recreatedFor: cause }, details);
  });
}
