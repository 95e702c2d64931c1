import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../core/diagnostics.js';
import type { Code } from './codes.js';
import { didYouMean } from './did-you-mean.js';
import { joinPointer, locate, splitPointer, type SourceFile } from './source.js';
import { isObject } from './rules/view.js';

const require = createRequire(import.meta.url);
export const storageSchema = require('../../schemas/storage.schema.json') as Record<string, unknown>;

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(storageSchema);
  return compiled;
}

interface Described {
  code: Code;
  message: string;
  pointer: string;
  key: boolean;
  hint?: string;
}

function where(pointer: string): string {
  return pointer === '' ? 'the top level' : splitPointer(pointer).join('.');
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of splitPointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = node[part];
    else return undefined;
  }
  return node;
}

const ARTICLE: Record<string, string> = { array: 'a list', object: 'a mapping', string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false', null: 'null' };

function typeHint(pointer: string, expected: string[], actual: string): string | undefined {
  if (expected.includes('string') && (actual === 'number' || actual === 'integer' || actual === 'boolean')) return 'quote the value, e.g. "1.0" or "true"';
  if (expected.includes('array') && actual === 'string') return 'write it as a list, e.g. [GET, PUT]';
  if (/\/tags$/.test(pointer) && actual === 'array') return 'tags are a mapping, e.g. {env: prod}';
  return undefined;
}

function describe(error: ErrorObject): Described | undefined {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
      const known = Object.keys(parent?.properties ?? {});
      const hint = didYouMean(name, known) ?? (known.length > 0 ? `allowed here: ${known.join(', ')}` : undefined);
      return { code: 'RC2002', message: `unknown key "${name}" in ${where(path)}`, pointer: joinPointer([...splitPointer(path), name]), key: true, ...(hint ? { hint } : {}) };
    }
    case 'required':
      return { code: 'RC2003', message: `${where(path)} is missing the required key "${String(params.missingProperty)}"`, pointer: path, key: true };
    case 'propertyNames':
      return { code: 'RC2009', message: `invalid name "${String(params.propertyName)}" in ${where(path)}`, pointer: joinPointer([...splitPointer(path), String(params.propertyName)]), key: true };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
      const shown = allowed.length > 8 ? `${allowed.slice(0, 8).join(', ')}, …` : allowed.join(', ');
      return { code: 'RC2005', message: `${where(path)} must be one of ${shown}, not ${JSON.stringify(error.data)}`, pointer: path, key: false, ...(hint ? { hint } : {}) };
    }
    case 'const':
      if (path === '/version') {
        return { code: 'RC2006', message: `unsupported format version ${JSON.stringify(error.data)}; this reconcile reads version 1`, pointer: path, key: false, hint: 'write `version: 1`' };
      }
      return { code: 'RC2005', message: `${where(path)} must be ${JSON.stringify(params.allowedValue)}, not ${JSON.stringify(error.data)}`, pointer: path, key: false };
    case 'minItems':
    case 'minProperties':
      return { code: 'RC2008', message: `${where(path)} needs at least ${String(params.limit)} ${Number(params.limit) === 1 ? 'entry' : 'entries'}`, pointer: path, key: false };
    case 'maxItems':
    case 'maxProperties':
      return { code: 'RC2008', message: `${where(path)} may have at most ${String(params.limit)} entries`, pointer: path, key: false };
    case 'pattern': {
      // the schema says what the pattern means; the pattern itself is no message for a person
      const schema = error.parentSchema as { description?: string; 'x-pattern-message'?: string } | undefined;
      const meaning = schema?.['x-pattern-message'] ?? (schema?.description ? `does not fit: ${schema.description}` : 'holds characters that are not allowed here');
      return { code: 'RC2009', message: `${where(path)} ${JSON.stringify(error.data)} ${meaning}`, pointer: path, key: false };
    }
    case 'minLength':
    case 'maxLength':
    case 'format':
      return { code: 'RC2009', message: `${where(path)} ${error.message ?? 'is malformed'}`, pointer: path, key: false };
    case 'not':
    case 'if':
      return undefined;
    default:
      return { code: 'RC2001', message: `${where(path)} ${error.message ?? 'is invalid'}`, pointer: path, key: false };
  }
}

function branchErrors(errors: readonly ErrorObject[], of: ErrorObject): ErrorObject[] {
  return errors.filter((e) => e !== of && e.schemaPath.startsWith(`${of.schemaPath}/`) && (e.instancePath === of.instancePath || e.instancePath.startsWith(`${of.instancePath}/`)));
}

/**
 * anyOf / oneOf failures read as one sentence instead of every branch's complaint: "needs at
 * least one of A, B" (each branch requires a key), "give exactly one of A, B" (a tagged union
 * given two tags). Returns the branch errors now explained.
 */
function summariseAlternatives(errors: readonly ErrorObject[], value: unknown, described: Described[]): Set<ErrorObject> {
  const suppressed = new Set<ErrorObject>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') continue;
    // grants-or-document has its own code and words (RC2007, below)
    if (/^\/policies\/[^/]+$/.test(error.instancePath)) continue;
    const branches = ((error.parentSchema as Record<string, unknown> | undefined)?.[error.keyword] ?? []) as { required?: string[] }[];
    const keys = branches.map((b) => b.required ?? []);
    if (keys.length === 0 || keys.some((k) => k.length !== 1)) continue;
    const names = keys.map((k) => k[0] as string);
    const data = valueAt(value, error.instancePath);
    if (!isObject(data)) continue;
    const inner = branchErrors(errors, error);
    const given = names.filter((n) => n in data);
    if (error.keyword === 'anyOf' && given.length === 0 && inner.every((e) => e.keyword === 'required')) {
      described.push({ code: 'RC2003', message: `${where(error.instancePath)} needs at least one of ${names.join(', ')}`, pointer: error.instancePath, key: true });
      for (const e of [error, ...inner]) suppressed.add(e);
    } else if (error.keyword === 'oneOf' && given.length > 1) {
      described.push({ code: 'RC2005', message: `${where(error.instancePath)} gives ${given.join(' and ')}; give exactly one of ${names.join(', ')}`, pointer: error.instancePath, key: true });
      for (const e of [error, ...inner]) suppressed.add(e);
    }
  }
  return suppressed;
}

/** Validate against the JSON Schema; every error located in the source, with a specific code. */
export function schemaCheck(source: SourceFile, value: unknown): Diagnostic[] {
  const validate = validator();
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  const described: Described[] = [];
  const expectedTypes = new Map<string, Set<string>>();

  const suppressed = summariseAlternatives(errors, value, described);
  for (const error of errors) {
    if (suppressed.has(error)) continue;
    // A propertyNames failure also reports the inner error on the name itself: keep the outer one.
    if (error.propertyName !== undefined && error.keyword !== 'propertyNames') continue;
    if (error.keyword === 'type') {
      // In a oneOf, a branch of another type may be the one that matched (its own errors say more).
      const inOneOf = error.schemaPath.includes('/oneOf/') || errors.some((e) => e.keyword === 'oneOf' && e.instancePath === error.instancePath);
      if (inOneOf && errors.some((e) => e.keyword !== 'type' && e.keyword !== 'oneOf' && (e.instancePath === error.instancePath || e.instancePath.startsWith(error.instancePath + '/')))) continue;
      const types = Array.isArray(error.params.type) ? (error.params.type as string[]) : String(error.params.type).split(',');
      const set = expectedTypes.get(error.instancePath) ?? new Set<string>();
      for (const t of types) set.add(t);
      expectedTypes.set(error.instancePath, set);
      continue;
    }
    if (error.keyword === 'oneOf') {
      if (/^\/policies\/[^/]+$/.test(error.instancePath)) {
        const policy = valueAt(value, error.instancePath);
        const has = isObject(policy) ? ['grants', 'document'].filter((k) => k in policy) : [];
        if (has.length !== 1) {
          described.push({
            code: 'RC2007',
            message: `policy "${splitPointer(error.instancePath)[1] ?? ''}" ${has.length === 0 ? 'has neither "grants" nor "document"' : 'has both "grants" and "document"'}; give exactly one`,
            pointer: error.instancePath,
            key: true,
            hint: 'grants compile to a least-privilege document; use document for a raw IAM policy',
          });
        }
        continue;
      }
      // Other failed oneOfs (string or list, Statement, Principal) are explained by their branch errors.
      continue;
    }
    // Branch errors of the grants/document oneOf are summarised by RC2007 above.
    if ((error.keyword === 'required' || error.keyword === 'not') && error.schemaPath.includes('/oneOf/') && /^\/policies\/[^/]+$/.test(error.instancePath)) continue;
    // `region: [us-east-1]`: the type error says it; "must be one of …" for a list adds nothing
    if (error.keyword === 'enum' && errors.some((e) => e.keyword === 'type' && e.instancePath === error.instancePath)) continue;
    const d = describe(error);
    if (d) described.push(d);
  }

  for (const [pointer, types] of expectedTypes) {
    const actual = jsonType(valueAt(value, pointer));
    // Inside a oneOf, another branch may accept this type (e.g. Statement as one object or a list).
    if (types.has(actual) || (actual === 'integer' && types.has('number'))) continue;
    const expected = [...types];
    const hint = typeHint(pointer, expected, actual);
    described.push({
      code: 'RC2004',
      message: `${where(pointer)} must be ${expected.map((t) => ARTICLE[t] ?? t).join(' or ')}, not ${ARTICLE[actual] ?? actual}`,
      pointer,
      key: false,
      ...(hint ? { hint } : {}),
    });
  }

  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of described) {
    const id = `${d.pointer}|${d.code}|${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ severity: 'error', code: d.code, message: d.message, at: locate(source, d.pointer, { key: d.key }), ...(d.hint ? { hint: d.hint } : {}) });
  }
  return out;
}
