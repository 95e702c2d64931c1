import { hasErrors, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import { loadFile } from './load.js';
import { schemaCheck } from './schema-check.js';
import { semanticCheck } from './semantic-check.js';
import type { SourceFile } from './source.js';
import type { StorageConfig } from './types.js';

export interface Validated {
  source?: SourceFile;
  config?: StorageConfig;
  diagnostics: Diagnostic[];
}

/** Load, schema-check and cross-check a storage.yaml; `config` is set only when there are no errors. */
export async function validateFile(path: string): Promise<Validated> {
  const loaded = await loadFile(path);
  if (!loaded.source || hasErrors(loaded.diagnostics)) return { source: loaded.source, diagnostics: sortDiagnostics(loaded.diagnostics) };
  return validateValue(loaded.source, loaded.value);
}

export function validateValue(source: SourceFile, value: unknown): Validated {
  const schemaDiagnostics = schemaCheck(source, value);
  if (hasErrors(schemaDiagnostics)) return { source, diagnostics: sortDiagnostics(schemaDiagnostics) };
  const config = value as StorageConfig;
  const diagnostics = sortDiagnostics([...schemaDiagnostics, ...semanticCheck(source, config)]);
  return hasErrors(diagnostics) ? { source, diagnostics } : { source, config, diagnostics };
}
