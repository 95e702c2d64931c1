import { hasErrors, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import { loadFile, parseText, type Loaded } from './load.js';
import { runRules } from './rules/index.js';
import { schemaCheck } from './schema-check.js';
import type { SourceFile } from './source.js';
import type { StorageConfig } from './types.js';

export interface Validated {
  source?: SourceFile;
  config?: StorageConfig;
  diagnostics: Diagnostic[];
}

export interface ValidateOptions {
  /** Treat warnings (risky but legal) as errors. */
  strict?: boolean;
}

/** Load, schema-check and rule-check a storage.yaml; `config` is set only when there are no errors. */
export async function validateFile(path: string, options: ValidateOptions = {}): Promise<Validated> {
  return validateLoaded(await loadFile(path), options);
}

export function validateText(path: string, text: string | Buffer, options: ValidateOptions = {}): Validated {
  return validateLoaded(parseText(path, text), options);
}

function positionKey(d: Diagnostic): string {
  return d.at ? `${d.at.line}:${d.at.col}` : '';
}

/**
 * Schema and rules run on every readable file, so all problems show at once. Where a rule explains
 * a schema error at the same place (e.g. RC4002 for a bucket name the schema's pattern rejects),
 * only the rule's more specific diagnostic is kept; unknown keys are always reported.
 */
function merge(schema: Diagnostic[], rules: Diagnostic[]): Diagnostic[] {
  const explained = new Set(rules.filter((d) => d.severity === 'error' || d.code === 'RC4009').map(positionKey));
  return [...schema.filter((d) => d.code === 'RC2002' || !explained.has(positionKey(d))), ...rules];
}

function applyStrict(diagnostics: Diagnostic[], strict: boolean | undefined): Diagnostic[] {
  if (!strict) return diagnostics;
  return diagnostics.map((d) => (d.severity === 'warning' ? { ...d, severity: 'error', message: `${d.message} (--strict)` } : d));
}

export function validateLoaded(loaded: Loaded, options: ValidateOptions = {}): Validated {
  const { source, value } = loaded;
  if (!source || value === undefined) return { ...(source ? { source } : {}), diagnostics: sortDiagnostics(loaded.diagnostics) };
  return validateValue(source, value, options, loaded.diagnostics);
}

export function validateValue(source: SourceFile, value: Record<string, unknown>, options: ValidateOptions = {}, earlier: Diagnostic[] = []): Validated {
  const checked = merge(schemaCheck(source, value), runRules(source, value));
  const diagnostics = sortDiagnostics(applyStrict([...earlier, ...checked], options.strict));
  return hasErrors(diagnostics) ? { source, diagnostics } : { source, config: value as unknown as StorageConfig, diagnostics };
}
