import { ExitCode, UserError } from '../../core/errors.js';
import { FORMAT_VERSION } from '../../plan/model.js';
import type { GlobalOptions } from '../options.js';
import type { Output } from '../output.js';
import { readSavedPlan } from '../saved-plan.js';
import { TOOL_VERSION } from '../version.js';
import { renderPlan, type PlanFormat } from './plan.js';

export interface ShowOptions extends GlobalOptions {
  format: PlanFormat;
}

/** Render a saved plan with the same renderer `plan` used: the same plan gives the same bytes. */
export async function showCommand(options: ShowOptions, output: Output, args: readonly string[]): Promise<number> {
  const path = args[0];
  if (!path) throw new UserError('show needs a plan file', ExitCode.error, 'reconcile show plan.json');
  const plan = await readSavedPlan(path);
  if (plan.formatVersion !== FORMAT_VERSION) {
    throw new UserError(`${path} has plan format version ${plan.formatVersion}; this reconcile (${TOOL_VERSION}) reads format version ${FORMAT_VERSION}`, ExitCode.error);
  }
  if (plan.toolVersion !== TOOL_VERSION) output.err(`note: ${path} was made by reconcile ${plan.toolVersion}; this is ${TOOL_VERSION} (apply would refuse it)`);
  output.out(renderPlan(plan, options.format, output.style));
  return ExitCode.ok;
}
