import { escapeControl } from '../../core/text.js';
import type { Detail, Equivalence } from '../../core/semantics.js';
import type { Change, Plan } from '../model.js';

export const DETAIL_SYMBOL: Record<Detail['op'], string> = { add: '+', remove: '-', change: '~' };

export const BROADENS = 'broadens permissions';

/** The user-facing lines of a change; the tool's own bookkeeping (ownership tags) is not one. */
export function userDetails(change: Change): Detail[] {
  return (change.details ?? []).filter((d) => !d.internal);
}

/** "restores the tool's own tags: reconcile:stack" — shown apart, never as a user change. */
export function internalNote(change: Change): string | undefined {
  const internal = (change.details ?? []).filter((d) => d.internal);
  if (internal.length === 0) return undefined;
  return `also writes the tool's own tags: ${internal.map((d) => d.path.replace(/^tags\./, '')).join(', ')}`;
}

/** One line per detail, the same words in every format. */
export function detailLine(detail: Detail): string {
  let line = `${DETAIL_SYMBOL[detail.op]} ${escapeControl(detail.text)}`;
  if (detail.cosmetic) line += ' (cosmetic)';
  if (detail.broadens) line += ` [${BROADENS}]`;
  return line;
}

export function equivalenceLine(e: Equivalence): string {
  const where = e.path ? `${e.path}: ` : '';
  const whose = e.side === 'file' ? ' (the file\'s spelling)' : e.side === 'aws' ? ' (as AWS returned it)' : '';
  return escapeControl(`${where}${e.rule}${e.detail ? ` — ${e.detail}` : ''}${whose}`);
}

export function withEquivalences(plan: Plan): Change[] {
  return plan.changes.filter((c) => (c.equivalences ?? []).length > 0);
}
