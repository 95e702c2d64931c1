import type { Plan } from '../model.js';
import { hasChanges } from '../model.js';
import { attributeChanges, formatValue } from './attributes.js';
import { SYMBOL, summaryLine } from './text.js';

/** Escape user content for GitHub Markdown (it is rendered as HTML, so escape that too). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string).replace(/([\\`*_{}[\]()#+!|])/g, '\\$1');
}

export function renderMarkdown(plan: Plan): string {
  const lines = [`**${summaryLine(plan)}**`, ''];
  if (hasChanges(plan)) {
    lines.push('| | resource | kind |', '|---|---|---|');
    for (const c of plan.changes.filter((c) => c.action !== 'no-op')) {
      lines.push(`| \`${SYMBOL[c.action]}\` ${c.action} | ${escapeMarkdown(c.address)} | ${c.kind} |`);
    }
    lines.push('', '<details><summary>Details</summary>', '', '```diff');
    for (const c of plan.changes.filter((c) => c.action !== 'no-op')) {
      lines.push(`${c.action === 'delete' ? '-' : c.action === 'create' ? '+' : '!'} ${c.address}`);
      if (c.action === 'create' && c.after && typeof c.after === 'object') {
        for (const [k, v] of Object.entries(c.after)) lines.push(`+     ${k}: ${formatValue(v).replace(/`/g, "'")}`);
      } else {
        for (const a of attributeChanges(c.before, c.after, c.patch)) {
          lines.push(`!     ${a.path}: ${formatValue(a.before)} → ${formatValue(a.after)}`.replace(/`/g, "'"));
        }
      }
    }
    lines.push('```', '', '</details>');
  }
  for (const e of plan.errors) lines.push('', `> **error** ${escapeMarkdown(e.address)}: ${escapeMarkdown(e.message)}`);
  return lines.join('\n') + '\n';
}
