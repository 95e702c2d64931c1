import pLimit from 'p-limit';
import { errorMessage } from '../core/errors.js';
import type { ResourceHandler, WriteContext } from '../resources/handler.js';
import { desiredOf, type Change } from '../plan/model.js';
import { classifyError, withRetries, type RetryHooks } from './retry.js';
import { compareSpecs, describeChange } from '../plan/planner.js';
import { detailLine } from '../plan/render/details.js';

/** `non-converging`: the write succeeded, yet AWS still differs from the file right after it. */
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'non-converging' | 'blocked';

export interface StepResult {
  address: string;
  action: Change['action'];
  status: StepStatus;
  message: string;
  /** Skipped because a stop was requested (a signal), not because of another step. */
  interrupted?: true;
}

export interface ExecuteOptions {
  ctx: WriteContext;
  handlerFor: (kind: Change['kind']) => ResourceHandler;
  concurrency: number;
  /** Called as each step finishes, for live progress. */
  onResult?: (result: StepResult) => void;
  /**
   * Waits before each re-read that checks a write converged (AWS reads are eventually
   * consistent, IAM's for seconds). Default: at once, then after 1 s and 3 s more.
   */
  convergenceDelaysMs?: readonly number[];
  /** Told before each retry wait (IAM propagation, OperationAborted), so retries are visible. */
  onRetry?: (address: string, what: 'propagation' | 'conflict', err: unknown, delayMs: number) => void;
  /** Asked before each step starts: a reason (e.g. `interrupted by SIGINT`) skips it and every step not yet started. */
  stopRequested?: () => string | undefined;
  /** Retry timing, replaceable in tests. */
  retryHooks?: Pick<RetryHooks, 'sleep' | 'now' | 'random' | 'policies'>;
}

const DEFAULT_CONVERGENCE_DELAYS_MS = [0, 1000, 3000];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));


async function runStep(change: Change, handler: ResourceHandler, ctx: WriteContext): Promise<string> {
  const desired = desiredOf(change);
  switch (change.action) {
    case 'create':
      return (await handler.create(ctx, desired)).message ?? 'created';
    case 'update':
      return (await handler.update(ctx, desired, change.observed)).message ?? 'updated';
    case 'delete':
      return (await handler.delete(ctx, desired, change.observed)).message ?? 'deleted';
    case 'replace': {
      await handler.delete(ctx, desired, change.observed);
      return `replaced (${(await handler.create(ctx, desired, change.observed)).message ?? 'created'})`;
    }
    case 'no-op':
      return 'no change';
  }
}

/**
 * The non-convergence guard: re-read what was just written and compare canonical forms. What
 * still differs is reported (never rewritten in a loop). Returns undefined when converged.
 */
export async function divergenceAfterWrite(change: Change, handler: ResourceHandler, ctx: WriteContext, delaysMs: readonly number[]): Promise<string | undefined> {
  let last = 'not re-read';
  for (const delay of delaysMs) {
    if (delay > 0) await sleep(delay);
    const observed = await handler.observe(ctx, desiredOf(change));
    if (!observed.exists) {
      last = 'AWS still reports it absent';
      continue;
    }
    const { before, after, patch } = compareSpecs(handler, change.desired, observed.spec);
    if (patch.length === 0) return undefined;
    last = describeChange(handler, before, after, { desired: change.desired, observed: observed.spec })
      .map(detailLine)
      .join('; ');
  }
  return last;
}

/**
 * Walk the plan as a DAG: a step starts once its dependencies succeeded, runs at most
 * `concurrency` at a time, and is skipped (not failed) when a dependency failed or was blocked,
 * so only the root cause is reported. A blocked step (safety guard) is never executed.
 */
export async function executePlan(changes: readonly Change[], options: ExecuteOptions): Promise<StepResult[]> {
  const steps = changes.filter((c) => c.action !== 'no-op');
  const byAddress = new Map(steps.map((c) => [c.address, c]));
  const limit = pLimit(Math.max(1, options.concurrency));
  const running = new Map<string, Promise<StepResult>>();
  // what this run created: IAM may not know it everywhere yet (eventual consistency)
  const createdThisRun = new Set<string>();

  const run = (change: Change): Promise<StepResult> => {
    const existing = running.get(change.address);
    if (existing) return existing;
    const promise = (async (): Promise<StepResult> => {
      const deps = change.dependsOn.map((a) => byAddress.get(a)).filter((c): c is Change => c !== undefined);
      const depResults = await Promise.all(deps.map(run));
      // a non-converging step did write: what depends on it may go ahead
      const blocker = depResults.find((r) => r.status === 'failed' || r.status === 'skipped' || r.status === 'blocked');
      let result: StepResult;
      const stopped = options.stopRequested?.();
      if (change.blocked) {
        result = { address: change.address, action: change.action, status: 'blocked', message: `blocked: ${change.blocked}` };
      } else if (stopped !== undefined) {
        result = { address: change.address, action: change.action, status: 'skipped', message: `skipped: ${stopped}; not started`, interrupted: true };
      } else if (blocker) {
        result = { address: change.address, action: change.action, status: 'skipped', message: `skipped: ${blocker.address} did not succeed` };
      } else {
        result = await limit(async () => {
          const stop = options.stopRequested?.();
          if (stop !== undefined) return { address: change.address, action: change.action, status: 'skipped' as const, message: `skipped: ${stop}; not started`, interrupted: true as const };
          try {
            const handler = options.handlerFor(change.kind);
            const dependsOnNew = change.dependsOn.some((dep) => createdThisRun.has(dep));
            const message = await withRetries(() => runStep(change, handler, options.ctx), {
              ...options.retryHooks,
              classify: (err) => classifyError(err, { dependsOnNew }),
              onWait: (what, err, delayMs) => options.onRetry?.(change.address, what, err, delayMs),
            });
            if (change.action === 'create' || change.action === 'replace') createdThisRun.add(change.address);
            if (change.action === 'create' || change.action === 'update' || change.action === 'replace') {
              const divergence = await divergenceAfterWrite(change, handler, options.ctx, options.convergenceDelaysMs ?? DEFAULT_CONVERGENCE_DELAYS_MS);
              if (divergence !== undefined) {
                return {
                  address: change.address,
                  action: change.action,
                  status: 'non-converging' as const,
                  message: `${message}, but AWS still differs right after the write (${divergence}); not rewritten again — AWS may rewrite or ignore this setting`,
                };
              }
            }
            return { address: change.address, action: change.action, status: 'succeeded' as const, message };
          } catch (err) {
            return { address: change.address, action: change.action, status: 'failed' as const, message: errorMessage(err) };
          }
        });
      }
      options.onResult?.(result);
      return result;
    })();
    running.set(change.address, promise);
    return promise;
  };

  return Promise.all(steps.map(run));
}
