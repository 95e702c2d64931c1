import { hasErrors, InputError } from '../core/diagnostics.js';
import type { SourceFile } from '../config/source.js';
import type { StorageConfig } from '../config/types.js';
import { validateFile, type Validated } from '../config/validate.js';
import { annotationLines, inGitHubActions } from '../github/annotations.js';
import type { GlobalOptions } from './options.js';
import type { Output } from './output.js';
import { renderDiagnostics } from './render-diagnostics.js';

export interface LoadedConfig {
  source: SourceFile;
  config: StorageConfig;
}

/** Inside GitHub Actions, every diagnostic also becomes an annotation on its line of the file. */
export function annotate(validated: Validated, output: Output, stream: 'stdout' | 'stderr' = 'stdout', env: NodeJS.ProcessEnv = process.env): void {
  if (!inGitHubActions(env)) return;
  for (const line of annotationLines(validated.diagnostics)) {
    output.command(line, stream);
  }
}

/** Validate the file; print diagnostics; throw InputError (exit 1) when there are errors. No AWS call happens before this. */
export async function loadConfig(options: GlobalOptions & { strict?: boolean }, output: Output): Promise<LoadedConfig> {
  const validated: Validated = await validateFile(options.file, { strict: options.strict ?? false });
  if (validated.diagnostics.length > 0) output.err(renderDiagnostics(validated.diagnostics, validated.source, output.style, options.file));
  annotate(validated, output);
  if (hasErrors(validated.diagnostics) || !validated.config || !validated.source) throw new InputError(validated.diagnostics);
  return { source: validated.source, config: validated.config };
}
