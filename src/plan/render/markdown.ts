import type { Plan } from '../model.js';
import { hasChanges } from '../model.js';
import { BROADENS, detailLine, equivalenceLine, internalNote, userDetails, withEquivalences } from './details.js';
import type { RenderOptions } from './text.js';
import { broadeningLine, SYMBOL, summaryLine } from './text.js';

/** Escape user content for GitHub Markdown (it is rendered as HTML, so escape that too). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string).replace(/([\\`*_{}[\]()#+!|])/g, '\\$1');
}

/** For text inside HTML elements (`<summary>`), where Markdown escapes would show literally. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

/** Inside a fenced block nothing is interpreted, except a line of backticks that would close it. */
function fenced(text: string): string {
  return text.replace(/`/g, "'");
}

/** A PR comment: summary, a table of resources, and the semantic details in a diff block. */
export function renderMarkdown(plan: Plan, options: RenderOptions = {}): string {
  const lines = [`**${summaryLine(plan)}**`, ''];
  const broadening = broadeningLine(plan);
  if (broadening) lines.push(`> [!WARNING]`, `> ${escapeMarkdown(broadening)}`, '');
  if (hasChanges(plan)) {
    lines.push('| | resource | kind | |', '|---|---|---|---|');
    for (const c of plan.changes.filter((c) => c.action !== 'no-op')) {
      const notes = [c.adopt ? 'adopt' : '', c.orphan ? 'orphan' : '', c.blocked ? `**blocked**: ${escapeMarkdown(c.blocked)}` : ''].filter(Boolean).join('; ');
      lines.push(`| \`${SYMBOL[c.action]}\` ${c.action}${notes ? ` (${notes})` : ''} | ${escapeMarkdown(c.address)} | ${c.kind} | ${c.broadens ? `⚠ ${BROADENS}` : ''} |`);
    }
    // one collapsed block per resource: a reviewer opens what they care about
    for (const c of plan.changes.filter((c) => c.action !== 'no-op')) {
      lines.push('', `<details><summary><code>${SYMBOL[c.action]}</code> ${escapeHtml(c.address)}</summary>`, '', '```diff');
      lines.push(`${c.action === 'delete' ? '-' : c.action === 'create' ? '+' : '!'} ${fenced(c.address)}`);
      if (c.reason) lines.push(`#     ${fenced(c.reason)}`);
      if (c.blocked) lines.push(`#     blocked: ${fenced(c.blocked)}`);
      for (const step of c.steps ?? []) lines.push(`#     · ${fenced(step)}`);
      for (const d of userDetails(c)) {
        const sign = d.op === 'add' ? '+' : d.op === 'remove' ? '-' : '!';
        lines.push(`${sign}     ${fenced(detailLine(d))}`);
      }
      const internal = internalNote(c);
      if (internal) lines.push(`#     ${fenced(internal)}`);
      lines.push('```', '', '</details>');
    }
  }
  if (options.explain) {
    const explained = withEquivalences(plan);
    lines.push('', `<details><summary>Judged equivalent (${explained.reduce((n, c) => n + (c.equivalences?.length ?? 0), 0)})</summary>`, '');
    if (explained.length === 0) lines.push('Nothing: AWS returned what the file says, as written.');
    for (const c of explained) {
      lines.push(`- **${escapeMarkdown(c.address)}**`);
      for (const e of c.equivalences ?? []) lines.push(`  - ${escapeMarkdown(equivalenceLine(e))}`);
    }
    lines.push('', '</details>');
  }
  const kept = plan.changes.filter((c) => c.orphan && c.action === 'no-op');
  if (kept.length > 0) {
    lines.push('', `**Kept** (tagged with this stack, no longer in the file; \`--prune\` deletes them unless \`deletion: retain\`):`);
    for (const c of kept) lines.push(`- ${escapeMarkdown(c.address)}`);
  }
  for (const e of plan.errors) lines.push('', `> **error** ${escapeMarkdown(e.address)}: ${escapeMarkdown(e.message)}`);
  return lines.join('\n') + '\n';
}
