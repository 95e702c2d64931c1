import { isPlainObject } from '../core/canonical.js';
import { FORMAT_VERSION, type Plan } from './model.js';
import { renderJson } from './render/json.js';

/** The saved plan is the JSON rendering: `plan --format json` and `plan --out` write the same bytes. */
export function serializePlan(plan: Plan): string {
  return renderJson(plan);
}

export type ParsedPlan = { ok: true; plan: Plan } | { ok: false; message: string };

/** Parse a saved plan; checks only that it is one (versions are checked by `planIncompatibility`). */
export function parsePlan(text: string): ParsedPlan {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    return { ok: false, message: `not JSON (${(err as Error).message})` };
  }
  if (!isPlainObject(value) || typeof value.formatVersion !== 'number' || !Array.isArray(value.changes)) {
    return { ok: false, message: 'not a reconcile plan (written by `reconcile plan --out`)' };
  }
  // keep the parsed object as it is (key order included): `show` must print the same bytes
  const plan = value as unknown as Plan;
  plan.fingerprints ??= {};
  plan.errors ??= [];
  return { ok: true, plan };
}

/** Why this tool must not apply the plan as saved, or undefined when it may. */
export function planIncompatibility(plan: Plan, toolVersion: string): string | undefined {
  if (plan.formatVersion !== FORMAT_VERSION) {
    return `the plan has format version ${plan.formatVersion}; this reconcile (${toolVersion}) reads format version ${FORMAT_VERSION}`;
  }
  if (plan.toolVersion !== toolVersion) {
    return `the plan was made by reconcile ${plan.toolVersion}; this is reconcile ${toolVersion}`;
  }
  return undefined;
}
