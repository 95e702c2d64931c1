import type { Diagnostic } from '../core/diagnostics.js';
import { lineText, type SourceFile } from '../config/source.js';
import type { Style } from '../plan/render/style.js';

/** `storage.yaml:12:7 error RC1004 message`, the source line, a caret, then the hint. */
/** `file` labels a diagnostic without a location when no source could be read (the path given with -f). */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], source: SourceFile | undefined, style: Style, file?: string): string {
  const blocks = diagnostics.map((d) => {
    const where = d.at ? `${d.at.file}:${d.at.line}:${d.at.col}` : (source?.path ?? file ?? 'storage.yaml');
    const severity = d.severity === 'error' ? style.red('error') : style.yellow('warning');
    const lines = [`${style.bold(where)} ${severity} ${d.code} ${d.message}`];
    if (d.at && source) {
      const text = lineText(source, d.at.line);
      const gutter = String(d.at.line).padStart(4);
      lines.push(style.dim(`${gutter} | `) + text, style.dim(`${' '.repeat(4)} | `) + ' '.repeat(Math.max(0, d.at.col - 1)) + style.red('^'));
    }
    for (const related of d.related ?? []) lines.push(`     ${style.dim(`${related.at.file}:${related.at.line}:${related.at.col}`)} ${related.message}`);
    if (d.hint) lines.push(`     ${style.cyan('hint:')} ${d.hint}`);
    return lines.join('\n');
  });
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return [...blocks, `${errors} error(s), ${warnings} warning(s)`].join('\n\n') + '\n';
}

/** `--format json`: a stable, versioned shape for tools. */
export function renderDiagnosticsJson(file: string, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return (
    JSON.stringify(
      {
        formatVersion: 1,
        file,
        valid: errors === 0,
        errorCount: errors,
        warningCount: diagnostics.length - errors,
        diagnostics: diagnostics.map((d) => ({
          severity: d.severity,
          code: d.code,
          message: d.message,
          file: d.at?.file ?? file,
          line: d.at?.line ?? null,
          col: d.at?.col ?? null,
          ...(d.hint ? { hint: d.hint } : {}),
          ...(d.related ? { related: d.related.map((r) => ({ message: r.message, file: r.at.file, line: r.at.line, col: r.at.col })) } : {}),
        })),
      },
      null,
      2,
    ) + '\n'
  );
}
