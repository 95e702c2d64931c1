import { writeFile } from 'node:fs/promises';
import { ExitCode } from '../../core/errors.js';
import { hasChanges, type Plan } from '../../plan/model.js';
import { renderJson } from '../../plan/render/json.js';
import { serializePlan } from '../../plan/plan-file.js';
import { renderMarkdown } from '../../plan/render/markdown.js';
import { PR_COMMENT_LIMIT, truncateMarkdown } from '../../plan/render/truncate.js';
import { connectActions } from '../../github/actions.js';
import { reportPlan } from '../github-report.js';
import { renderText, type RenderOptions } from '../../plan/render/text.js';
import type { Style } from '../../plan/render/style.js';
import { consentFrom, type ConsentOptions, type GlobalOptions } from '../options.js';
import type { Output } from '../output.js';
import { loadConfig } from '../load-config.js';
import { buildPlan, makeContext } from '../pipeline.js';
import { checkPlanOut } from '../output-paths.js';

export type PlanFormat = 'text' | 'json' | 'markdown';

export interface PlanOptions extends GlobalOptions, ConsentOptions {
  format: PlanFormat;
  out?: string;
  detailedExitcode?: boolean;
  explain?: boolean;
}

/** JSON always carries the equivalences; `explain` makes text and Markdown show them too. */
export function renderPlan(plan: Plan, format: PlanFormat, style: Style, options: RenderOptions = {}): string {
  if (format === 'json') return renderJson(plan);
  if (format === 'markdown') return truncateMarkdown(renderMarkdown(plan, options), { max: PR_COMMENT_LIMIT, unit: 'chars' }, 'Run `reconcile show` on the saved plan, or see the job log, for all of it.');
  return renderText(plan, style, options);
}

export async function planCommand(options: PlanOptions, output: Output): Promise<number> {
  const loaded = await loadConfig(options, output);
  // before AWS is read: a plan that cannot be saved is not worth making
  if (options.out) await checkPlanOut(options.out, loaded.source.path);
  const ctx = makeContext(options, loaded.config, true);
  try {
    const plan = await buildPlan(loaded, ctx, options.concurrency, consentFrom(options));
    output.out(renderPlan(plan, options.format, output.style, { explain: options.explain === true }));
    if (options.out) {
      await writeFile(options.out, serializePlan(plan), { mode: 0o644 });
      output.err(`Saved the plan to ${options.out}.`);
    }
    const actions = await connectActions();
    if (actions) await reportPlan(actions, plan, loaded, options.out);
    if (plan.errors.length > 0) return ExitCode.error;
    if (options.detailedExitcode && hasChanges(plan)) return ExitCode.changes;
    return ExitCode.ok;
  } finally {
    ctx.aws.destroy();
  }
}
