import { errorMessage } from '../core/errors.js';
import { lockKey, S3Lock } from '../lock/s3-lock.js';
import type { ReadContext } from '../resources/handler.js';
import type { Output } from './output.js';

const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Run `body` holding the stack's apply lock in `bucket` (when one is given). The lock is
 * released when body ends, however it ends: a result, an error, or SIGINT/SIGTERM (then the
 * process exits 130/143 once the lock is gone).
 */
export async function withApplyLock<T>(bucket: string | undefined, ctx: ReadContext, output: Output, body: () => Promise<T>): Promise<T> {
  if (!bucket) return body();
  const lock = new S3Lock(ctx.aws.s3(ctx.defaultRegion), bucket, lockKey(ctx.stack));
  await lock.acquire(ctx.stack, process.env, new Date());
  output.err(`Took the apply lock ${lock.location}.`);
  const release = async () => {
    try {
      await lock.release();
    } catch (err) {
      output.err(`warning: could not release the apply lock ${lock.location}: ${errorMessage(err)}; delete it with: aws s3 rm ${lock.location}`);
    }
  };
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    output.err(`${signal} received: releasing the apply lock ${lock.location} and stopping.`);
    void release().finally(() => process.exit(SIGNAL_EXIT[signal]));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await release();
  }
}
