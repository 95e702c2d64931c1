import type { StepResult } from '../apply/executor.js';
import type { Staleness } from '../apply/guard.js';
import { locate } from '../config/source.js';
import type { ActionsHost } from '../github/actions.js';
import { planOutputs } from '../github/outputs.js';
import { annotationPath, withinStepLimit, type ResourceAnnotation } from '../github/resource-annotations.js';
import { applySummary, fitSummary, planSummary } from '../github/summary.js';
import { escapeHtml } from '../plan/render/markdown.js';
import type { Plan } from '../plan/model.js';
import type { LoadedConfig } from './load-config.js';

/** The line that declares a resource (its key in storage.yaml), for annotations. */
export function annotationAt(loaded: LoadedConfig, pointer: string, message: string, env: NodeJS.ProcessEnv = process.env): ResourceAnnotation {
  const at = locate(loaded.source, pointer, { key: true });
  return { file: annotationPath(loaded.source.path, env), line: at.line, message };
}

function sourceOf(plan: Plan, address: string): string | undefined {
  return plan.changes.find((c) => c.address === address)?.source ?? plan.errors.find((e) => e.address === address)?.source;
}

/** plan: outputs, the plan as the job summary, a warning on each resource that cannot be planned. */
export async function reportPlan(host: ActionsHost, plan: Plan, loaded: LoadedConfig, planPath?: string): Promise<void> {
  host.setOutputs(planOutputs(plan, planPath));
  await host.appendSummary(planSummary(plan));
  host.warn(withinStepLimit(plan.errors.map((e) => annotationAt(loaded, e.source, `${e.address}: ${e.message}`))));
}

/** apply: the step results as the job summary, a warning on each resource that failed. */
export async function reportApply(host: ActionsHost, plan: Plan, loaded: LoadedConfig, results: readonly StepResult[]): Promise<void> {
  await host.appendSummary(applySummary(plan.stack, results));
  const failing = results.filter((r) => r.status !== 'succeeded');
  const annotations: ResourceAnnotation[] = [];
  for (const r of failing) {
    const source = sourceOf(plan, r.address);
    if (source !== undefined) annotations.push(annotationAt(loaded, source, `${r.address}: ${r.status} — ${r.message}`));
  }
  host.warn(withinStepLimit(annotations));
}

/** apply plan.json refused: say why in the summary, and warn on each resource that changed. */
export async function reportStale(host: ActionsHost, plan: Plan, loaded: LoadedConfig, stale: readonly Staleness[]): Promise<void> {
  const lines = ['### reconcile apply · saved plan refused', '', `**The saved plan is stale; nothing was applied.** Make and review a new plan.`, ''];
  for (const s of stale) {
    lines.push(`<details><summary>${escapeHtml(s.subject)}: ${escapeHtml(s.message)}</summary>`, '', '```', ...s.details.map((d) => d.replace(/`/g, "'")), '```', '', '</details>');
  }
  await host.appendSummary(fitSummary(lines.join('\n') + '\n'));
  const annotations: ResourceAnnotation[] = [];
  for (const s of stale) {
    const source = sourceOf(plan, s.subject);
    if (source !== undefined) annotations.push(annotationAt(loaded, source, `${s.subject}: ${s.message} (${s.details.join('; ')})`));
  }
  host.warn(withinStepLimit(annotations));
}
