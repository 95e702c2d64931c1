import { isPlainObject, sortKeys, stableStringify } from '../../core/canonical.js';
import { NoteList, scoped, type Recorder } from '../../core/semantics.js';

/** A statement in canonical form: lists are sorted string sets, action names lower case. */
export type CanonicalStatement = Record<string, unknown>;

/** A policy document in canonical form: every list a sorted set, statements a sorted set. */
export interface CanonicalPolicy {
  Version: string;
  Id?: string;
  Statement: CanonicalStatement[];
}

/** Version IAM assumes when a document names none. */
const DEFAULT_VERSION = '2008-10-17';
const SET_KEYS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);
const ACTION_KEYS = new Set(['Action', 'NotAction']);
const PRINCIPAL_KEYS = new Set(['Principal', 'NotPrincipal']);

/**
 * IAM returns documents URL-encoded; moto (and bucket policies) return raw JSON. Accept both,
 * and objects. Decoding follows decodeURIComponent, so a literal `+` stays `+`.
 */
export function parsePolicyDocument(input: unknown, recorder?: Recorder): unknown {
  if (typeof input !== 'string') return input;
  const text = input.trim();
  if (text.startsWith('{')) return JSON.parse(text) as unknown;
  recorder?.note({ rule: 'URL-encoded document', path: '', detail: 'decoded as a URI component (a literal + stays +)' });
  return JSON.parse(decodeURIComponent(text)) as unknown;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function noteKeyOrder(value: Record<string, unknown>, path: string, recorder: Recorder | undefined): void {
  const keys = Object.keys(value);
  const sorted = [...keys].sort(compare);
  if (keys.some((k, i) => k !== sorted[i])) recorder?.note({ rule: 'key order (JSON objects are unordered)', path, key: keys.join(',') });
}

type Case = 'action' | 'none';

/** A string set: `x` ≡ `[x]`, order and duplicates ignored, scalars as strings. */
function canonicalSet(value: unknown, path: string, recorder: Recorder | undefined, fold: Case = 'none'): string[] {
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else {
    list = [value];
    recorder?.note({ rule: '`x` ≡ `[x]`', path, detail: `${JSON.stringify(value)} → [${JSON.stringify(value)}]` });
  }
  const scalars = list.filter((v) => typeof v === 'boolean' || typeof v === 'number');
  if (scalars.length > 0) {
    recorder?.note({
      rule: 'booleans and numbers ≡ their string forms',
      path,
      detail: scalars.map((v) => `${JSON.stringify(v)} ≡ "${String(v)}"`).join(', '),
      key: JSON.stringify(scalars),
    });
  }
  let strings = list.map((v) => (typeof v === 'string' ? v : typeof v === 'object' ? stableStringify(v) : String(v)));
  if (fold === 'action') {
    const folded = strings.filter((s) => s !== s.toLowerCase());
    if (folded.length > 0) {
      recorder?.note({
        rule: 'action names are case-insensitive',
        path,
        detail: folded.map((s) => `"${s}" ≡ "${s.toLowerCase()}"`).join(', '),
        key: folded.join(','),
      });
    }
    strings = strings.map((s) => s.toLowerCase());
  }
  const unique = [...new Set(strings)];
  if (unique.length < strings.length) recorder?.note({ rule: 'duplicates ignored (a set)', path, key: strings.join(',') });
  const sorted = [...unique].sort(compare);
  if (unique.some((s, i) => s !== sorted[i])) recorder?.note({ rule: 'list order (a set)', path, key: unique.join(',') });
  return sorted;
}

function isStarPrincipal(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '*') return false;
  const inner = value['*'];
  return inner === '*' || (Array.isArray(inner) && inner.length > 0 && inner.every((v) => v === '*'));
}

function canonicalPrincipal(value: unknown, path: string, recorder: Recorder | undefined): unknown {
  if (value === '*') return '*';
  if (isStarPrincipal(value)) {
    recorder?.note({ rule: '`{"*": "*"}` ≡ `"*"`', path, detail: `${JSON.stringify(value)} → "*"` });
    return '*';
  }
  if (!isPlainObject(value)) return value;
  noteKeyOrder(value, path, recorder);
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(value).sort(compare)) out[key] = canonicalSet(value[key], `${path}.${key}`, recorder);
  return out;
}

function canonicalCondition(value: unknown, path: string, recorder: Recorder | undefined): unknown {
  if (!isPlainObject(value)) return value;
  noteKeyOrder(value, path, recorder);
  const out: Record<string, Record<string, string[]>> = {};
  for (const operator of Object.keys(value).sort(compare)) {
    const entries = value[operator];
    const at = `${path}.${operator}`;
    if (!isPlainObject(entries)) continue;
    noteKeyOrder(entries, at, recorder);
    const byName = new Map<string, string[][]>();
    for (const key of Object.keys(entries)) {
      const lower = key.toLowerCase();
      if (lower !== key) recorder?.note({ rule: 'condition key names are case-insensitive', path: at, detail: `"${key}" ≡ "${lower}"`, key });
      byName.set(lower, [...(byName.get(lower) ?? []), canonicalSet(entries[key], `${at}.${lower}`, recorder)]);
    }
    const keys: Record<string, string[]> = {};
    for (const [lower, sets] of byName) {
      // `aws:X` and `AWS:x` in one operator are two conditions that must both hold (AND),
      // not one list of alternatives (OR): keep each set, in a canonical order
      const distinct = [...new Map(sets.map((v) => [stableStringify(v), v])).entries()].sort(([a], [b]) => compare(a, b)).map(([, v]) => v);
      distinct.forEach((values, i) => {
        keys[i === 0 ? lower : `${lower} (and #${i + 1})`] = values;
      });
    }
    out[operator] = sortKeys(keys) as Record<string, string[]>;
  }
  return out;
}

function canonicalStatement(statement: Record<string, unknown>, recorder: Recorder | undefined): CanonicalStatement {
  noteKeyOrder(statement, '', recorder);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(statement)) {
    if (value === undefined) continue;
    if (key === 'Sid' && value === '') {
      recorder?.note({ rule: 'empty Sid ≡ no Sid', path: 'Sid' });
      continue;
    }
    if (SET_KEYS.has(key)) out[key] = canonicalSet(value, key, recorder, ACTION_KEYS.has(key) ? 'action' : 'none');
    else if (PRINCIPAL_KEYS.has(key)) out[key] = canonicalPrincipal(value, key, recorder);
    else if (key === 'Condition') out[key] = canonicalCondition(value, key, recorder);
    else out[key] = value;
  }
  return sortKeys(out) as CanonicalStatement;
}

/**
 * Canonical form of a policy document: pure, idempotent, never mutates its input. The
 * recorder (for `plan --explain`) hears every rule that rewrote something.
 */
export function canonicalPolicy(input: unknown, recorder?: Recorder): CanonicalPolicy {
  const doc = parsePolicyDocument(input, recorder);
  if (!isPlainObject(doc)) throw new Error('policy document is not a JSON object');
  noteKeyOrder(doc, '', recorder);
  const raw = doc.Statement;
  if (raw !== undefined && !Array.isArray(raw)) recorder?.note({ rule: '`x` ≡ `[x]`', path: 'Statement', detail: 'a single statement object → a list of one' });
  const given = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(isPlainObject);
  const statements = given.map((s) => {
    const notes = new NoteList();
    const canonical = canonicalStatement(s, notes);
    return { canonical, text: stableStringify(canonical), notes: notes.notes };
  });
  const order = [...new Set(statements.map((s) => s.text))];
  const sorted = [...order].sort(compare);
  if (order.length < statements.length) recorder?.note({ rule: 'duplicate statements ignored (a set)', path: 'Statement' });
  if (order.some((t, i) => t !== sorted[i])) {
    recorder?.note({ rule: 'statement order (statements are a set)', path: 'Statement', key: order.map((t) => sorted.indexOf(t)).join(',') });
  }
  for (const s of statements) {
    const at = scoped(recorder, `Statement[${sorted.indexOf(s.text)}]`);
    for (const note of s.notes) at?.note(note);
  }
  const byText = new Map(statements.map((s) => [s.text, s.canonical]));
  const out: CanonicalPolicy = { Version: typeof doc.Version === 'string' ? doc.Version : DEFAULT_VERSION, Statement: sorted.map((t) => byText.get(t) as CanonicalStatement) };
  if (typeof doc.Version !== 'string') recorder?.note({ rule: `absent Version ≡ "${DEFAULT_VERSION}"`, path: 'Version' });
  if (typeof doc.Id === 'string') out.Id = doc.Id;
  return out;
}

/**
 * Action names as the file (or AWS) spells them, keyed by their canonical lower-case form, so
 * a plan can say `s3:DeleteObject` rather than `s3:deleteobject`.
 */
export function actionSpellings(...documents: unknown[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const input of documents) {
    let doc: unknown;
    try {
      doc = parsePolicyDocument(input);
    } catch {
      continue;
    }
    if (!isPlainObject(doc)) continue;
    const raw = doc.Statement;
    for (const s of (Array.isArray(raw) ? raw : [raw]).filter(isPlainObject)) {
      for (const key of ACTION_KEYS) {
        const value = s[key];
        for (const a of Array.isArray(value) ? value : [value]) {
          if (typeof a === 'string' && !out.has(a.toLowerCase())) out.set(a.toLowerCase(), a);
        }
      }
    }
  }
  return out;
}
