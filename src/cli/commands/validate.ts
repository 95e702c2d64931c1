import { hasErrors } from '../../core/diagnostics.js';
import { ExitCode } from '../../core/errors.js';
import { validateFile } from '../../config/validate.js';
import type { GlobalOptions } from '../options.js';
import type { Output } from '../output.js';
import { annotate } from '../load-config.js';
import { renderDiagnostics, renderDiagnosticsJson } from '../render-diagnostics.js';

export interface ValidateOptions extends GlobalOptions {
  strict?: boolean;
  format: 'text' | 'json';
}

/** Offline: schema, rules and lint; never builds an AWS client. Exit 1 on errors, 0 with warnings only. */
export async function validateCommand(options: ValidateOptions, output: Output): Promise<number> {
  const validated = await validateFile(options.file, { strict: options.strict ?? false });
  const failed = hasErrors(validated.diagnostics);
  if (options.format === 'json') {
    output.out(renderDiagnosticsJson(options.file, validated.diagnostics));
  } else {
    if (validated.diagnostics.length > 0) output.err(renderDiagnostics(validated.diagnostics, validated.source, output.style, options.file));
    if (!failed && validated.config) {
      const { config } = validated;
      const count = Object.keys(config.buckets ?? {}).length + Object.keys(config.policies ?? {}).length + Object.keys(config.users ?? {}).length;
      output.out(`${options.file} is valid (${count} resources in stack ${config.stack}).`);
    }
  }
  // Keep stdout pure JSON with --format json; the runner reads workflow commands from stderr too.
  annotate(validated, output, options.format === 'json' ? 'stderr' : 'stdout');
  return failed ? ExitCode.error : ExitCode.ok;
}
