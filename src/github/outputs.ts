import type { Plan } from '../plan/model.js';

/**
 * Every step output the CLI writes to $GITHUB_OUTPUT. action.yml mirrors these (a test checks
 * both ways), plus `exit-code`, which the action itself sets.
 */
export const OUTPUT_NAMES = [
  'has-changes',
  'to-create',
  'to-update',
  'to-replace',
  'to-delete',
  'plan-path',
  'has-drift',
  'drifted',
  'pending',
  'missing',
  'orphaned',
  'unmanaged',
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];
export type Outputs = Partial<Record<OutputName, string>>;

/** has-changes and the number of resources per action (a replace counts once, as a replace). */
export function planOutputs(plan: Plan, planPath?: string): Outputs {
  const count = (action: string) => String(plan.changes.filter((c) => c.action === action).length);
  return {
    'has-changes': String(plan.changes.some((c) => c.action !== 'no-op')),
    'to-create': count('create'),
    'to-update': count('update'),
    'to-replace': count('replace'),
    'to-delete': count('delete'),
    ...(planPath ? { 'plan-path': planPath } : {}),
  };
}
