import { isPlainObject, stableStringify } from '../../core/canonical.js';
import type { Detail } from '../../core/semantics.js';
import type { CanonicalPolicy, CanonicalStatement } from './policy-document.js';

/** Lists whose elements a statement grants (or, for the Not* forms, excludes). */
const ELEMENT_KEYS = ['Action', 'NotAction', 'Resource', 'NotResource'] as const;
type ElementKey = (typeof ELEMENT_KEYS)[number];

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
}

function spell(action: string, spellings: ReadonlyMap<string, string>): string {
  return spellings.get(action) ?? action;
}

function principalText(value: unknown): string {
  if (value === '*') return '*';
  if (!isPlainObject(value)) return JSON.stringify(value);
  return Object.entries(value)
    .map(([kind, ids]) => `${kind}:${list(ids).join(',')}`)
    .join(' ');
}

function conditionText(value: unknown): string {
  if (!isPlainObject(value)) return JSON.stringify(value);
  const parts: string[] = [];
  for (const [operator, entries] of Object.entries(value)) {
    if (!isPlainObject(entries)) continue;
    for (const [key, values] of Object.entries(entries)) parts.push(`${operator} ${key} ${list(values).join('|')}`);
  }
  return parts.join(' and ');
}

/** One line a reviewer reads: "Allow s3:GetObject, s3:PutObject on arn:aws:s3:::b/*". */
export function statementText(s: CanonicalStatement, spellings: ReadonlyMap<string, string> = new Map(), only?: { key: ElementKey; values: string[] }): string {
  const pick = (key: ElementKey): string[] => (only && only.key === key ? only.values : list(s[key]));
  const actions = s.Action !== undefined ? pick('Action').map((a) => spell(a, spellings)).join(', ') : `every action except ${pick('NotAction').map((a) => spell(a, spellings)).join(', ')}`;
  const resources = s.Resource !== undefined ? pick('Resource').join(', ') : s.NotResource !== undefined ? `every resource except ${pick('NotResource').join(', ')}` : '';
  let text = `${String(s.Effect)} ${actions}${resources ? ` on ${resources}` : ''}`;
  if (s.Principal !== undefined) text += ` for ${principalText(s.Principal)}`;
  if (s.NotPrincipal !== undefined) text += ` for everyone except ${principalText(s.NotPrincipal)}`;
  if (s.Condition !== undefined) text += ` when ${conditionText(s.Condition)}`;
  if (typeof s.Sid === 'string') text += ` (Sid ${s.Sid})`;
  return text;
}

/** Everything in a statement but the one list that changed. */
function frameWithout(s: CanonicalStatement, key: ElementKey): string {
  const { [key]: _omitted, ...rest } = s;
  return stableStringify({ rest, has: key in s });
}

/**
 * Does adding (or removing) elements of `key` grant more? Adding actions, resources to an Allow
 * does; so does removing them from a Deny; the Not* lists work the other way round.
 */
function broadens(effect: unknown, key: ElementKey, op: 'add' | 'remove'): boolean {
  const grantsMore = key === 'Action' || key === 'Resource' ? op === 'add' : op === 'remove';
  return effect === 'Deny' ? !grantsMore : grantsMore;
}

function statementBroadens(s: CanonicalStatement, op: 'add' | 'remove'): boolean {
  return op === 'add' ? s.Effect !== 'Deny' : s.Effect === 'Deny';
}

/**
 * The semantic change between two canonical documents: statements added and removed, and
 * where a statement only gained or lost actions (or resources), just those elements.
 */
export function describePolicyChange(before: CanonicalPolicy | null, after: CanonicalPolicy | null, spellings: ReadonlyMap<string, string> = new Map(), path = 'document'): Detail[] {
  const beforeList = before?.Statement ?? [];
  const afterList = after?.Statement ?? [];
  const beforeTexts = new Set(beforeList.map((s) => stableStringify(s)));
  const afterTexts = new Set(afterList.map((s) => stableStringify(s)));
  const removed = beforeList.filter((s) => !afterTexts.has(stableStringify(s)));
  const added = afterList.filter((s) => !beforeTexts.has(stableStringify(s)));
  const details: Detail[] = [];

  const unpairedRemoved = [...removed];
  for (const a of added) {
    let paired = false;
    for (const key of ELEMENT_KEYS) {
      if (!(key in a)) continue;
      const index = unpairedRemoved.findIndex((r) => frameWithout(r, key) === frameWithout(a, key));
      if (index < 0) continue;
      const r = unpairedRemoved.splice(index, 1)[0] as CanonicalStatement;
      const was = new Set(list(r[key]));
      const now = new Set(list(a[key]));
      const gained = [...now].filter((v) => !was.has(v));
      const lost = [...was].filter((v) => !now.has(v));
      if (gained.length > 0) details.push({ op: 'add', path, text: statementText(a, spellings, { key, values: gained }), ...(broadens(a.Effect, key, 'add') ? { broadens: true } : {}) });
      if (lost.length > 0) details.push({ op: 'remove', path, text: statementText(r, spellings, { key, values: lost }), ...(broadens(r.Effect, key, 'remove') ? { broadens: true } : {}) });
      paired = true;
      break;
    }
    if (!paired) details.push({ op: 'add', path, text: statementText(a, spellings), ...(statementBroadens(a, 'add') ? { broadens: true } : {}) });
  }
  for (const r of unpairedRemoved) details.push({ op: 'remove', path, text: statementText(r, spellings), ...(statementBroadens(r, 'remove') ? { broadens: true } : {}) });
  if (before && after && before.Version !== after.Version) details.push({ op: 'change', path: `${path}.Version`, text: `Version ${before.Version} → ${after.Version}` });
  if (before && after && before.Id !== after.Id) details.push({ op: 'change', path: `${path}.Id`, text: `Id ${before.Id ?? '(none)'} → ${after.Id ?? '(none)'}` });
  return details;
}
