import type { Plan } from '../model.js';

export function renderJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}
