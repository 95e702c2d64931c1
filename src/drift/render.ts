import { escapeHtml, escapeMarkdown } from '../plan/render/markdown.js';
import { plainStyle, type Style } from '../plan/render/style.js';
import { escapeControl as esc } from '../core/text.js';
import { DRIFT_STATUSES, hasDrift, type DriftReport, type DriftStatus } from './classify.js';

/** Bumped when the JSON drift report's shape changes, as the plan's formatVersion is. */
export const DRIFT_FORMAT_VERSION = 1;

export function driftSummaryLine(report: DriftReport): string {
  if (!hasDrift(report)) return `No drift: ${report.inSync} resource(s) match ${report.file}.`;
  const parts = DRIFT_STATUSES.map((s) => `${report.counts[s]} ${s}`);
  return `Drift: ${parts.join(', ')} (${report.inSync} in sync).`;
}

function colour(style: Style, status: DriftStatus): (t: string) => string {
  return status === 'drifted' || status === 'missing' ? style.red : style.yellow;
}

/** `line` maps a resource to its line in the file, for `file:line` references. */
export function renderDriftText(report: DriftReport, style: Style = plainStyle, line: (source: string) => number | undefined = () => undefined): string {
  const lines: string[] = [];
  for (const item of report.items) {
    const at = item.source !== undefined ? line(item.source) : undefined;
    lines.push(`  ${colour(style, item.status)(item.status.padEnd(9))} ${style.bold(esc(item.address))}${at ? style.dim(` (${report.file}:${at})`) : ''}`);
    lines.push(`      ${style.dim(esc(item.reason))}`);
    for (const d of item.details) lines.push(`      ${esc(d)}`);
    lines.push('');
  }
  lines.push(style.bold(driftSummaryLine(report)));
  return lines.join('\n') + '\n';
}

export function renderDriftJson(report: DriftReport): string {
  return JSON.stringify({ formatVersion: DRIFT_FORMAT_VERSION, ...report }, null, 2) + '\n';
}

function fenced(text: string): string {
  return text.replace(/`/g, "'");
}

/** Summary line first, a table, then one collapsed block per resource. */
export function renderDriftMarkdown(report: DriftReport): string {
  const lines = [`**${escapeMarkdown(driftSummaryLine(report))}**`, ''];
  if (hasDrift(report)) {
    lines.push('| status | resource | why |', '|---|---|---|');
    for (const item of report.items) lines.push(`| ${item.status} | ${escapeMarkdown(item.address)} | ${escapeMarkdown(item.reason)} |`);
    for (const item of report.items.filter((i) => i.details.length > 0)) {
      lines.push('', `<details><summary>${escapeHtml(item.status)}: ${escapeHtml(item.address)}</summary>`, '', '```', ...item.details.map((d) => fenced(esc(d))), '```', '', '</details>');
    }
  }
  return lines.join('\n') + '\n';
}
