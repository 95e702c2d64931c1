import { isPlainObject } from '../core/canonical.js';
import type { Kind } from '../core/types.js';
import { FORMAT_VERSION, type Action, type Plan } from './model.js';
import { renderJson } from './render/json.js';

/** The saved plan is the JSON rendering: `plan --format json` and `plan --out` write the same bytes. */
export function serializePlan(plan: Plan): string {
  return renderJson(plan);
}

const KINDS: ReadonlySet<string> = new Set<Kind>([
  's3.bucket',
  's3.bucket.cors',
  's3.bucket.versioning',
  's3.bucket.encryption',
  's3.bucket.public-access-block',
  's3.bucket.ownership',
  's3.bucket.lifecycle',
  's3.bucket.policy',
  'iam.policy',
  'iam.user',
  'iam.user.policy-attachment',
  'iam.access-key',
]);
const ACTIONS: ReadonlySet<string> = new Set<Action>(['create', 'update', 'replace', 'delete', 'no-op']);
const DETAIL_OPS: ReadonlySet<string> = new Set(['add', 'remove', 'change']);

const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The first structural problem of a change, or undefined. */
function changeProblem(c: unknown): string | undefined {
  if (!isPlainObject(c)) return 'is not an object';
  for (const key of ['address', 'name', 'source'] as const) if (typeof c[key] !== 'string') return `has no string "${key}"`;
  if (typeof c.kind !== 'string' || !KINDS.has(c.kind)) return `has an unknown kind ${JSON.stringify(c.kind)}`;
  if (typeof c.action !== 'string' || !ACTIONS.has(c.action)) return `has an unknown action ${JSON.stringify(c.action)}`;
  if (!isStringList(c.dependsOn)) return 'has no "dependsOn" list of addresses';
  if (c.patch !== undefined && !Array.isArray(c.patch)) return '"patch" is not a list';
  if (c.details !== undefined && !(Array.isArray(c.details) && c.details.every((d) => isPlainObject(d) && typeof d.text === 'string' && typeof d.op === 'string' && DETAIL_OPS.has(d.op))))
    return '"details" is not a list of {op, path, text}';
  if (c.steps !== undefined && !isStringList(c.steps)) return '"steps" is not a list of strings';
  for (const key of ['reason', 'blocked', 'region'] as const) if (c[key] !== undefined && typeof c[key] !== 'string') return `"${key}" is not a string`;
  for (const key of ['adopt', 'orphan', 'broadens'] as const) if (c[key] !== undefined && typeof c[key] !== 'boolean') return `"${key}" is not true or false`;
  return undefined;
}

/** Where a plan of this format version breaks its shape (for `show` and `apply`), or undefined. */
export function planShapeProblem(value: Record<string, unknown>): string | undefined {
  for (const key of ['toolVersion', 'stack', 'file', 'fileHash', 'createdAt'] as const) if (typeof value[key] !== 'string') return `"${key}" is missing or not a string`;
  const changes = value.changes as unknown[];
  for (const [i, c] of changes.entries()) {
    const problem = changeProblem(c);
    if (problem) {
      const address = isPlainObject(c) && typeof c.address === 'string' ? ` (${c.address})` : '';
      return `changes[${i}]${address} ${problem}`;
    }
  }
  const addresses = changes.map((c) => (c as { address: string }).address);
  const dup = addresses.find((a, i) => addresses.indexOf(a) !== i);
  if (dup !== undefined) return `changes list ${dup} twice`;
  if (value.errors !== undefined) {
    if (!Array.isArray(value.errors)) return '"errors" is not a list';
    for (const [i, e] of value.errors.entries()) {
      if (!isPlainObject(e) || typeof e.address !== 'string' || typeof e.message !== 'string' || typeof e.source !== 'string') return `errors[${i}] is not {address, source, message}`;
    }
  }
  const summary = value.summary;
  if (!isPlainObject(summary) || !['add', 'change', 'destroy'].every((k) => typeof summary[k] === 'number')) return '"summary" is not {add, change, destroy}';
  if (value.fingerprints !== undefined && !(isPlainObject(value.fingerprints) && Object.values(value.fingerprints).every((f) => typeof f === 'string'))) {
    return '"fingerprints" is not a map of strings';
  }
  return undefined;
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
  // a plan of another format version is refused by version, not by shape
  const problem = value.formatVersion === FORMAT_VERSION ? planShapeProblem(value) : undefined;
  if (problem) return { ok: false, message: `not a valid reconcile plan: ${problem}` };
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
