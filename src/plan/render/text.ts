import type { Action, Change, Plan } from '../model.js';
import { hasChanges } from '../model.js';
import { BROADENS, detailLine, equivalenceLine, internalNote, userDetails, withEquivalences } from './details.js';
import { plainStyle, type Style } from './style.js';
import { escapeControl as esc } from '../../core/text.js';

export const SYMBOL: Record<Action, string> = { create: '+', update: '~', replace: '-/+', delete: '-', 'no-op': ' ' };

export interface RenderOptions {
  /** List the differences judged equivalent and the rule that matched each. */
  explain?: boolean;
}

function colourFor(style: Style, action: Action): (text: string) => string {
  if (action === 'create') return style.green;
  if (action === 'delete') return style.red;
  return style.yellow;
}

function renderChange(change: Change, style: Style): string[] {
  const colour = colourFor(style, change.action);
  const flag = change.broadens ? ` ${style.red(`⚠ ${BROADENS}`)}` : '';
  const label = change.adopt ? ` ${style.yellow('adopt')}` : change.orphan && change.action === 'delete' ? ` ${style.red('prune')}` : '';
  const lines = [`  ${colour(SYMBOL[change.action])} ${style.bold(esc(change.address))} ${style.dim(`(${change.kind})`)}${label}${flag}`];
  if (change.reason) lines.push(`      ${style.dim(`# ${esc(change.reason)}`)}`);
  if (change.blocked) lines.push(`      ${style.red('blocked:')} ${esc(change.blocked)}`);
  for (const step of change.steps ?? []) lines.push(`      ${style.dim('·')} ${esc(step)}`);
  if (change.action === 'delete' && !change.steps) lines.push(`      ${style.dim('(will be deleted)')}`);
  for (const detail of userDetails(change)) {
    const text = detailLine(detail);
    lines.push(`      ${detail.op === 'add' ? style.green(text) : detail.op === 'remove' ? style.red(text) : style.yellow(text)}`);
  }
  const internal = internalNote(change);
  if (internal) lines.push(`      ${style.dim(`# ${internal}`)}`);
  return lines;
}

export function summaryLine(plan: Plan): string {
  const { add, change, destroy } = plan.summary;
  const failed = plan.errors.length;
  // an error is never followed by "No changes.": apply refuses a plan with errors
  if (failed > 0) {
    const rest = hasChanges(plan) ? `besides, ${add} to add, ${change} to change, ${destroy} to destroy (apply refuses until the errors are fixed)` : 'nothing else would change';
    return `Plan failed: ${failed} error(s); ${rest}.`;
  }
  if (!hasChanges(plan)) return 'No changes.';
  return `Plan: ${add} to add, ${change} to change, ${destroy} to destroy.`;
}

export function broadeningLine(plan: Plan): string | undefined {
  const broadening = plan.changes.filter((c) => c.action !== 'no-op' && c.broadens);
  if (broadening.length === 0) return undefined;
  const n = broadening.length;
  return `⚠ ${n} change${n === 1 ? ' broadens' : 's broaden'} permissions: ${broadening.map((c) => c.address).join(', ')}`;
}

function renderExplanations(plan: Plan, style: Style): string[] {
  const changes = withEquivalences(plan);
  if (changes.length === 0) return ['Judged equivalent: nothing (AWS returned what the file says, as written).', ''];
  const lines = ['Judged equivalent (not changes):'];
  for (const change of changes) {
    lines.push(`  ${style.bold(change.address)}`);
    for (const e of change.equivalences ?? []) lines.push(`      ≡ ${equivalenceLine(e)}`);
  }
  lines.push('');
  return lines;
}

/** The human plan; a saved plan renders exactly like a fresh one. */
export function renderText(plan: Plan, style: Style = plainStyle, options: RenderOptions = {}): string {
  const lines: string[] = [];
  const pending = plan.changes.filter((c) => c.action !== 'no-op');
  if (pending.length > 0) {
    lines.push(`reconcile will perform these actions (stack ${plan.stack}):`, '');
    for (const change of pending) lines.push(...renderChange(change, style), '');
  }
  if (options.explain) lines.push(...renderExplanations(plan, style));
  const kept = plan.changes.filter((c) => c.orphan && c.action === 'no-op');
  if (kept.length > 0) {
    lines.push('Kept (tagged with this stack, no longer in the file):');
    for (const c of kept) lines.push(`  ${style.bold(c.address)} ${style.dim(`(${c.kind})`)} ${style.dim(`# ${c.reason ?? 'kept'}`)}`);
    lines.push('');
  }
  const blocked = pending.filter((c) => c.blocked).length;
  if (blocked > 0) lines.push(style.red(`${blocked} action(s) blocked by a safety guard: apply will not execute them (exit 4).`), '');
  for (const error of plan.errors) lines.push(`${style.red('error')} ${esc(error.address)}: ${esc(error.message)}`);
  if (plan.errors.length > 0) lines.push('');
  const broadening = broadeningLine(plan);
  if (broadening) lines.push(style.red(broadening));
  lines.push(style.bold(summaryLine(plan)));
  return lines.join('\n') + '\n';
}
