import pLimit from 'p-limit';
import { ExitCode } from '../../core/errors.js';
import { locate } from '../../config/source.js';
import { classifyDrift, DRIFT_STATUSES, hasDrift, type DriftReport } from '../../drift/classify.js';
import { groupChanges } from '../../drift/groups.js';
import { renderDriftJson, renderDriftMarkdown, renderDriftText } from '../../drift/render.js';
import { connectActions, type ActionsHost } from '../../github/actions.js';
import type { Outputs } from '../../github/outputs.js';
import { withinStepLimit } from '../../github/resource-annotations.js';
import { fitSummary } from '../../github/summary.js';
import type { Change } from '../../plan/model.js';
import { PR_COMMENT_LIMIT, truncateMarkdown } from '../../plan/render/truncate.js';
import { readToolTags, taggedResource, type ToolTags } from '../../resources/tool-tags.js';
import { annotationAt } from '../github-report.js';
import type { LoadedConfig } from '../load-config.js';
import type { GlobalOptions } from '../options.js';
import type { Output } from '../output.js';
import { loadConfig } from '../load-config.js';
import { buildPlan, makeContext } from '../pipeline.js';

export type DriftFormat = 'text' | 'json' | 'markdown';

export interface DriftOptions extends GlobalOptions {
  format: DriftFormat;
}

/** Orphans come from the planner's discovery of stack-tagged resources the file no longer declares. */
function orphansOf(changes: readonly Change[]): Change[] {
  return changes.filter((c) => c.orphan === true);
}

export function driftOutputs(report: DriftReport): Outputs {
  const out: Outputs = { 'has-drift': String(hasDrift(report)) };
  for (const status of DRIFT_STATUSES) out[status] = String(report.counts[status]);
  return out;
}

async function reportToActions(actions: ActionsHost, report: DriftReport, loaded: LoadedConfig): Promise<void> {
  actions.setOutputs(driftOutputs(report));
  await actions.appendSummary(fitSummary(`### reconcile drift · stack \`${report.stack.replace(/`/g, "'")}\`\n\n${renderDriftMarkdown(report)}`));
  const annotations = report.items
    .filter((i) => i.source !== undefined)
    .map((i) => annotationAt(loaded, i.source as string, `${i.address}: ${i.status} — ${i.reason}${i.details.length ? `\n${i.details.join('\n')}` : ''}`));
  actions.warn(withinStepLimit(annotations));
}

/**
 * What in AWS differs from the file, and why: drifted, pending, missing, orphaned, unmanaged.
 * Read-only clients: a write would be refused before it is sent. Exit 0 none, 2 found.
 */
export async function driftCommand(options: DriftOptions, output: Output): Promise<number> {
  const loaded = await loadConfig(options, output);
  const ctx = makeContext(options, loaded.config, true);
  try {
    const plan = await buildPlan(loaded, ctx, options.concurrency);
    const limit = pLimit(options.concurrency);
    const parents = groupChanges(plan.changes).map((g) => g.parent);
    const tagList = await Promise.all(parents.map((p) => limit(() => (p.action === 'create' ? Promise.resolve(undefined) : readToolTags(ctx, taggedResource(p))))));
    const tags = new Map<string, ToolTags | undefined>(parents.map((p, i) => [p.address, tagList[i]]));
    const report = classifyDrift(plan, tags, orphansOf(plan.changes));

    if (options.format === 'json') output.out(renderDriftJson(report));
    else if (options.format === 'markdown') output.out(truncateMarkdown(renderDriftMarkdown(report), { max: PR_COMMENT_LIMIT, unit: 'chars' }, 'See the job log for all of it.'));
    else output.out(renderDriftText(report, output.style, (source) => locate(loaded.source, source, { key: true }).line));

    const actions = await connectActions();
    if (actions) await reportToActions(actions, report, loaded);
    return hasDrift(report) ? ExitCode.changes : ExitCode.ok;
  } finally {
    ctx.aws.destroy();
  }
}
