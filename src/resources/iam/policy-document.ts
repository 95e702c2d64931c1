import { isPlainObject, sortKeys, stableStringify } from '../../core/canonical.js';

/** A policy document in canonical form: every list a sorted set, statements sorted. */
export interface CanonicalPolicy {
  Version: string;
  Id?: string;
  Statement: Record<string, unknown>[];
}

const LIST_KEYS = ['Action', 'NotAction', 'Resource', 'NotResource'] as const;
const ACTION_KEYS = new Set(['Action', 'NotAction']);

/** IAM returns documents URL-encoded; moto returns raw JSON. Accept both, and objects. */
export function parsePolicyDocument(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  const text = input.trim().startsWith('{') ? input : decodeURIComponent(input);
  return JSON.parse(text) as unknown;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function stringSet(value: unknown, lower = false): string[] {
  const strings = asList(value).map((v) => (lower ? String(v).toLowerCase() : String(v)));
  return [...new Set(strings)].sort();
}

function canonicalPrincipal(value: unknown): unknown {
  if (value === '*') return '*';
  if (isPlainObject(value) && Object.keys(value).length === 1 && stableStringify(stringSet(value['*'] ?? [])) === '["*"]') return '*';
  if (!isPlainObject(value)) return value;
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(value).sort()) out[key] = stringSet(value[key]);
  return out;
}

function canonicalCondition(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, Record<string, string[]>> = {};
  for (const operator of Object.keys(value).sort()) {
    const entries = value[operator];
    if (!isPlainObject(entries)) continue;
    const keys: Record<string, string[]> = {};
    for (const key of Object.keys(entries)) keys[key.toLowerCase()] = stringSet(entries[key]);
    out[operator] = sortKeys(keys) as Record<string, string[]>;
  }
  return out;
}

function canonicalStatement(statement: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(statement)) {
    if (value === undefined) continue;
    if (key === 'Sid' && value === '') continue;
    if ((LIST_KEYS as readonly string[]).includes(key)) out[key] = stringSet(value, ACTION_KEYS.has(key));
    else if (key === 'Principal' || key === 'NotPrincipal') out[key] = canonicalPrincipal(value);
    else if (key === 'Condition') out[key] = canonicalCondition(value);
    else out[key] = value;
  }
  return sortKeys(out) as Record<string, unknown>;
}

/** Canonical form of a policy document: pure, idempotent, never mutates its input. */
export function canonicalPolicy(input: unknown): CanonicalPolicy {
  const doc = parsePolicyDocument(input);
  if (!isPlainObject(doc)) throw new Error('policy document is not a JSON object');
  const statements = asList(doc.Statement)
    .filter(isPlainObject)
    .map(canonicalStatement);
  const unique = new Map(statements.map((s) => [stableStringify(s), s]));
  const sorted = [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  const out: CanonicalPolicy = { Version: typeof doc.Version === 'string' ? doc.Version : '2008-10-17', Statement: sorted };
  if (typeof doc.Id === 'string') out.Id = doc.Id;
  return out;
}
