import type { Action, Change, Plan } from '../model.js';
import { hasChanges } from '../model.js';
import { attributeChanges, formatValue } from './attributes.js';
import { plainStyle, type Style } from './style.js';

export const SYMBOL: Record<Action, string> = { create: '+', update: '~', replace: '-/+', delete: '-', 'no-op': ' ' };

function colourFor(style: Style, action: Action): (text: string) => string {
  if (action === 'create') return style.green;
  if (action === 'delete') return style.red;
  if (action === 'replace') return style.yellow;
  return style.yellow;
}

function renderChange(change: Change, style: Style): string[] {
  const colour = colourFor(style, change.action);
  const head = `  ${colour(SYMBOL[change.action])} ${style.bold(change.address)} ${style.dim(`(${change.kind})`)}`;
  const lines = [head];
  if (change.reason) lines.push(`      ${style.dim(`# ${change.reason}`)}`);
  if (change.action === 'create' && change.after && typeof change.after === 'object') {
    for (const [key, value] of Object.entries(change.after)) lines.push(`      ${key}: ${formatValue(value)}`);
  } else if (change.action === 'delete') {
    lines.push(`      ${style.dim('(will be deleted)')}`);
  } else {
    for (const attr of attributeChanges(change.before, change.after, change.patch)) {
      lines.push(`      ${attr.path}: ${formatValue(attr.before)} → ${formatValue(attr.after)}`);
    }
  }
  return lines;
}

export function summaryLine(plan: Plan): string {
  if (!hasChanges(plan)) return 'No changes.';
  const { add, change, destroy } = plan.summary;
  return `Plan: ${add} to add, ${change} to change, ${destroy} to destroy.`;
}

/** The human plan; a saved plan renders exactly like a fresh one. */
export function renderText(plan: Plan, style: Style = plainStyle): string {
  const lines: string[] = [];
  const pending = plan.changes.filter((c) => c.action !== 'no-op');
  if (pending.length > 0) {
    lines.push(`reconcile will perform these actions (stack ${plan.stack}):`, '');
    for (const change of pending) lines.push(...renderChange(change, style), '');
  }
  for (const error of plan.errors) lines.push(`${style.red('error')} ${error.address}: ${error.message}`);
  if (plan.errors.length > 0) lines.push('');
  lines.push(style.bold(summaryLine(plan)));
  return lines.join('\n') + '\n';
}
