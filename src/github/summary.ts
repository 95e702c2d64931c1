import type { StepResult } from '../apply/executor.js';
import type { Plan } from '../plan/model.js';
import { escapeHtml, escapeMarkdown, renderMarkdown } from '../plan/render/markdown.js';
import { truncateMarkdown } from '../plan/render/truncate.js';

/** GitHub rejects a step summary over 1 MiB; stay under it with room for other steps' lines. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024 - 16 * 1024;

export function fitSummary(markdown: string): string {
  return truncateMarkdown(markdown, { max: STEP_SUMMARY_LIMIT, unit: 'bytes' }, 'The full report is in the job log.');
}

export function planSummary(plan: Plan, title = 'reconcile plan'): string {
  return fitSummary(`### ${escapeMarkdown(title)} · stack \`${plan.stack.replace(/`/g, "'")}\`\n\n${renderMarkdown(plan)}\n`);
}

const STATUS_MARK: Record<string, string> = { succeeded: '✅', failed: '❌', skipped: '⏭️', blocked: '⛔' };

/** The apply report: a count line first, then one collapsed block per step. */
export function applySummary(stack: string, results: readonly StepResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const ok = results.every((r) => r.status === 'succeeded');
  const tally = [...counts.entries()].map(([status, n]) => `${n} ${status}`).join(', ') || 'nothing to do';
  const lines = [`### reconcile apply · stack \`${stack.replace(/`/g, "'")}\``, '', `**Apply ${ok ? 'complete' : 'finished with errors'}: ${tally}.**`, ''];
  for (const r of results) {
    lines.push(`<details><summary>${STATUS_MARK[r.status] ?? '⚠️'} ${escapeHtml(r.action)} ${escapeHtml(r.address)} — ${escapeHtml(r.status)}</summary>`, '', '```', r.message.replace(/`/g, "'"), '```', '', '</details>');
  }
  return fitSummary(lines.join('\n') + '\n');
}
