import pLimit from 'p-limit';
import { errorMessage } from '../core/errors.js';
import type { Desired } from '../core/types.js';
import type { ResourceHandler, WriteContext } from '../resources/handler.js';
import type { Change } from '../plan/model.js';

export type StepStatus = 'succeeded' | 'failed' | 'skipped';

export interface StepResult {
  address: string;
  action: Change['action'];
  status: StepStatus;
  message: string;
}

export interface ExecuteOptions {
  ctx: WriteContext;
  handlerFor: (kind: Change['kind']) => ResourceHandler;
  concurrency: number;
  /** Called as each step finishes, for live progress. */
  onResult?: (result: StepResult) => void;
}

function desiredOf(change: Change): Desired {
  return {
    address: change.address,
    kind: change.kind,
    name: change.name,
    spec: change.desired,
    dependsOn: change.dependsOn,
    source: change.source,
    ...(change.region ? { region: change.region } : {}),
  };
}

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
      return `replaced (${(await handler.create(ctx, desired)).message ?? 'created'})`;
    }
    case 'no-op':
      return 'no change';
  }
}

/**
 * Walk the plan as a DAG: a step starts once its dependencies succeeded, runs at most
 * `concurrency` at a time, and is skipped (not failed) when a dependency failed, so only the
 * root cause is reported as a failure.
 */
export async function executePlan(changes: readonly Change[], options: ExecuteOptions): Promise<StepResult[]> {
  const steps = changes.filter((c) => c.action !== 'no-op');
  const byAddress = new Map(steps.map((c) => [c.address, c]));
  const limit = pLimit(Math.max(1, options.concurrency));
  const running = new Map<string, Promise<StepResult>>();

  const run = (change: Change): Promise<StepResult> => {
    const existing = running.get(change.address);
    if (existing) return existing;
    const promise = (async (): Promise<StepResult> => {
      const deps = change.dependsOn.map((a) => byAddress.get(a)).filter((c): c is Change => c !== undefined);
      const depResults = await Promise.all(deps.map(run));
      const blocker = depResults.find((r) => r.status !== 'succeeded');
      let result: StepResult;
      if (blocker) {
        result = { address: change.address, action: change.action, status: 'skipped', message: `skipped: ${blocker.address} did not succeed` };
      } else {
        result = await limit(async () => {
          try {
            const message = await runStep(change, options.handlerFor(change.kind), options.ctx);
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
