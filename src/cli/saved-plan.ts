import { readFile } from 'node:fs/promises';
import { ExitCode, UserError } from '../core/errors.js';
import type { Plan } from '../plan/model.js';
import { parsePlan } from '../plan/plan-file.js';

/** Read a plan saved by `plan --out`; an unreadable or foreign file is an input error (exit 1). */
export async function readSavedPlan(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `plan file not found: ${path}` : `cannot read ${path}: ${(err as Error).message}`, ExitCode.error);
  }
  const parsed = parsePlan(text);
  if (!parsed.ok) throw new UserError(`${path} is ${parsed.message}`, ExitCode.error, 'make one with: reconcile plan --out plan.json');
  return parsed.plan;
}
