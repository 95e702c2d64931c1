import type { Diagnostic } from '../core/diagnostics.js';

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), escaped as
 * actions/toolkit's command.ts does. Written by hand: a dozen lines, no dependency.
 */

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function inGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** One workflow command per diagnostic; the hint rides along on a second line of the message. */
export function annotationLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const properties: [string, string | number][] = [];
    if (d.at) properties.push(['file', d.at.file], ['line', d.at.line], ['col', d.at.col]);
    properties.push(['title', `${d.code} ${d.severity === 'error' ? 'error' : 'warning'}`]);
    const props = properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
    const message = d.hint ? `${d.code} ${d.message}\nhint: ${d.hint}` : `${d.code} ${d.message}`;
    return `::${d.severity === 'error' ? 'error' : 'warning'} ${props}::${escapeData(message)}`;
  });
}
