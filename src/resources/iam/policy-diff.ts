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

const globCache = new Map<string, RegExp>();

/** IAM's wildcards: `*` any run of characters, `?` one (never an element's own `*`); actions are case-insensitive. */
function glob(pattern: string, key: ElementKey): RegExp {
  const id = `${key}\u0000${pattern}`;
  let re = globCache.get(id);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '[^*]');
    re = new RegExp(`^${body}$`, key.endsWith('Action') ? 'i' : '');
    globCache.set(id, re);
  }
  return re;
}

/**
 * Is every element (itself possibly a pattern) matched by one of `by`? A pattern is covered by a
 * wider one (`s3:Get*` by `s3:*`), since the wider glob matches its text too. Conservative.
 */
function covered(elements: readonly string[], by: readonly string[], key: ElementKey): boolean {
  return elements.every((e) => by.some((p) => glob(p, key).test(e)));
}

/** Everything but the lists a statement grants on, its principal and its Sid (a label). */
function scopeOf(s: CanonicalStatement): string {
  const { Sid: _sid, Action: _a, NotAction: _na, Resource: _r, NotResource: _nr, Principal: _p, ...rest } = s;
  return stableStringify(rest);
}

/** Everyone (`"*"`, `{AWS: "*"}`) covers any principal; otherwise only the same principal does. */
function principalWithin(inner: unknown, outer: unknown): boolean {
  const everyone = (p: unknown) => p === '*' || (isPlainObject(p) && list(p.AWS).includes('*'));
  return everyone(outer) || stableStringify(inner) === stableStringify(outer);
}

/** Does statement `inner` grant (or, for a Deny, deny) no more than `outer`? Only the plain forms. */
function within(inner: CanonicalStatement, outer: CanonicalStatement): boolean {
  if (scopeOf(inner) !== scopeOf(outer)) return false;
  if (!principalWithin(inner.Principal, outer.Principal)) return false;
  if (inner.Action === undefined || outer.Action === undefined || inner.Resource === undefined || outer.Resource === undefined) return false;
  return covered(list(inner.Action), list(outer.Action), 'Action') && covered(list(inner.Resource), list(outer.Resource), 'Resource');
}

/**
 * An added Allow grants more unless a removed Allow already granted all of it (a statement
 * narrowed, split or relabelled); a removed Deny unless an added Deny still denies all of it.
 */
function statementBroadens(s: CanonicalStatement, op: 'add' | 'remove', other: readonly CanonicalStatement[]): boolean {
  if (op === 'add') return s.Effect !== 'Deny' && !other.some((o) => o.Effect === s.Effect && within(s, o));
  return s.Effect === 'Deny' && !other.some((o) => o.Effect === 'Deny' && within(s, o));
}

/** Elements that grant more, less those still covered by the other side's list. */
function elementsBroaden(effect: unknown, key: ElementKey, op: 'add' | 'remove', changed: readonly string[], other: readonly string[]): boolean {
  if (!broadens(effect, key, op)) return false;
  // an added Allow action inside a wildcard it already had, or a Deny exception still covered, grants nothing new
  return !covered(changed, other, key);
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
      if (gained.length > 0) details.push({ op: 'add', path, text: statementText(a, spellings, { key, values: gained }), ...(elementsBroaden(a.Effect, key, 'add', gained, [...was]) ? { broadens: true } : {}) });
      if (lost.length > 0) details.push({ op: 'remove', path, text: statementText(r, spellings, { key, values: lost }), ...(elementsBroaden(r.Effect, key, 'remove', lost, [...now]) ? { broadens: true } : {}) });
      paired = true;
      break;
    }
    if (!paired) details.push({ op: 'add', path, text: statementText(a, spellings), ...(statementBroadens(a, 'add', removed) ? { broadens: true } : {}) });
  }
  for (const r of unpairedRemoved) details.push({ op: 'remove', path, text: statementText(r, spellings), ...(statementBroadens(r, 'remove', added) ? { broadens: true } : {}) });
  if (before && after && before.Version !== after.Version) details.push({ op: 'change', path: `${path}.Version`, text: `Version ${before.Version} → ${after.Version}` });
  if (before && after && before.Id !== after.Id) details.push({ op: 'change', path: `${path}.Id`, text: `Id ${before.Id ?? '(none)'} → ${after.Id ?? '(none)'}` });
  return details;
}
