import { hasErrors, InputError } from '../core/diagnostics.js';
import type { SourceFile } from '../config/source.js';
import type { StorageConfig } from '../config/types.js';
import { validateFile, type Validated } from '../config/validate.js';
import type { GlobalOptions } from './options.js';
import type { Output } from './output.js';
import { renderDiagnostics } from './render-diagnostics.js';

export interface LoadedConfig {
  source: SourceFile;
  config: StorageConfig;
}

/** Validate the file; print diagnostics; throw InputError (exit 1) when there are errors. */
export async function loadConfig(options: GlobalOptions, output: Output): Promise<LoadedConfig> {
  const validated: Validated = await validateFile(options.file);
  if (validated.diagnostics.length > 0) output.err(renderDiagnostics(validated.diagnostics, validated.source, output.style));
  if (hasErrors(validated.diagnostics) || !validated.config || !validated.source) throw new InputError(validated.diagnostics);
  return { source: validated.source, config: validated.config };
}

