import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../core/diagnostics.js';
import { joinPointer, locate, splitPointer, type SourceFile } from './source.js';

const require = createRequire(import.meta.url);
export const storageSchema = require('../../schemas/storage.schema.json') as Record<string, unknown>;

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(storageSchema);
  return compiled;
}

function describe(error: ErrorObject): { message: string; pointer: string; key: boolean; hint?: string } {
  const path = error.instancePath;
  const where = path === '' ? 'top level' : splitPointer(path).join('.');
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return { message: `unknown key "${name}" in ${where}`, pointer: joinPointer([...splitPointer(path), name]), key: true };
    }
    case 'required':
      return { message: `${where} is missing required key "${String(params.missingProperty)}"`, pointer: path, key: true };
    case 'propertyNames': {
      const name = String(params.propertyName);
      return { message: `invalid name "${name}" in ${where}`, pointer: joinPointer([...splitPointer(path), name]), key: true };
    }
    case 'enum':
      return {
        message: `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        pointer: path,
        key: false,
      };
    case 'const':
      return { message: `${where} must be ${JSON.stringify(params.allowedValue)}`, pointer: path, key: false };
    default:
      return { message: `${where} ${error.message ?? 'is invalid'}`, pointer: path, key: false };
  }
}

/** Validate against the JSON Schema; every error located in the source. */
export function schemaCheck(source: SourceFile, value: unknown): Diagnostic[] {
  const validate = validator();
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    // propertyNames errors come with a nested error on the name itself: keep the outer one.
    if (error.propertyName !== undefined && error.keyword !== 'propertyNames') continue;
    // oneOf noise: report the branch errors unless the oneOf itself is all we have for that path.
    if (error.keyword === 'oneOf' && errors.some((e) => e !== error && e.instancePath.startsWith(error.instancePath) && e.keyword !== 'oneOf' && e.keyword !== 'required' && e.keyword !== 'not')) continue;
    if ((error.keyword === 'required' || error.keyword === 'not') && error.schemaPath.includes('oneOf')) continue;
    const described =
      error.keyword === 'oneOf' && /\/policies\/[^/]+$/.test(error.instancePath)
        ? { message: `${splitPointer(error.instancePath).join('.')} needs exactly one of "grants" or "document"`, pointer: error.instancePath, key: true }
        : describe(error);
    const id = `${described.pointer}|${described.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      severity: 'error',
      code: 'RC2001',
      message: described.message,
      at: locate(source, described.pointer, { key: described.key }),
    });
  }
  return out;
}
