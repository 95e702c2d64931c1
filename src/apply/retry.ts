import { errorCode, isTerminal } from '../aws/errors.js';
import { errorMessage } from '../core/errors.js';

/**
 * How an error from a write is handled. Throttling and 5xx never reach here: the SDK's standard
 * retry mode has already retried them (maxAttempts in aws/clients.ts).
 * - `propagation`: IAM eventual consistency; only when the step depends on something this run
 *   created (otherwise NoSuchEntity is simply true). Retried with jittered backoff ≤ 2 minutes.
 * - `conflict`: S3 `OperationAborted` (a concurrent write to the same bucket). Retried briefly.
 * - `terminal`: AccessDenied, MalformedPolicy(Document), validation errors. Never retried.
 * - `fail`: anything else. Not retried by us.
 */
export type RetryClass = 'propagation' | 'conflict' | 'terminal' | 'fail';

export interface RetryFacts {
  /** The step depends on (or is) something created in this run. */
  dependsOnNew: boolean;
}

/** Bucket policies naming a principal IAM does not know yet fail with MalformedPolicy "Invalid principal". */
function isInvalidPrincipal(err: unknown): boolean {
  return ['MalformedPolicy', 'MalformedPolicyDocument'].includes(errorCode(err)) && /invalid principal/i.test(errorMessage(err));
}

export function classifyError(err: unknown, facts: RetryFacts): RetryClass {
  const code = errorCode(err);
  if (facts.dependsOnNew && (code === 'NoSuchEntity' || code === 'InvalidClientTokenId' || isInvalidPrincipal(err))) return 'propagation';
  if (code === 'OperationAborted') return 'conflict';
  if (isTerminal(err)) return 'terminal';
  return 'fail';
}

export interface RetryPolicy {
  /** Total time allowed for retries of this class, ms. */
  deadlineMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const RETRY_POLICIES: Record<'propagation' | 'conflict', RetryPolicy> = {
  propagation: { deadlineMs: 120_000, baseDelayMs: 1_000, maxDelayMs: 15_000 },
  conflict: { deadlineMs: 30_000, baseDelayMs: 500, maxDelayMs: 5_000 },
};

export interface RetryHooks {
  classify: (err: unknown) => RetryClass;
  /** Told before each wait, so retries are visible. */
  onWait?: (what: 'propagation' | 'conflict', err: unknown, delayMs: number, attempt: number) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  policies?: Record<'propagation' | 'conflict', RetryPolicy>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter: a random delay up to min(max, base·2^attempt). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.max(policy.baseDelayMs / 2, Math.round(random() * ceiling));
}

/** Run `fn`, retrying only the retryable classes, within each class's deadline. */
export async function withRetries<T>(fn: () => Promise<T>, hooks: RetryHooks): Promise<T> {
  const sleep = hooks.sleep ?? realSleep;
  const now = hooks.now ?? Date.now;
  const random = hooks.random ?? Math.random;
  const policies = hooks.policies ?? RETRY_POLICIES;
  const started = now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const kind = hooks.classify(err);
      if (kind !== 'propagation' && kind !== 'conflict') throw err;
      const policy = policies[kind];
      const delay = backoffDelay(policy, attempt, random);
      if (now() - started + delay > policy.deadlineMs) throw err;
      hooks.onWait?.(kind, err, delay, attempt + 1);
      await sleep(delay);
    }
  }
}
