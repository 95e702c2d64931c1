import { errorMessage } from '../core/errors.js';
import { lockKey, S3Lock } from '../lock/s3-lock.js';
import type { ReadContext } from '../resources/handler.js';
import type { Interrupt } from './interrupt.js';
import type { Output } from './output.js';

/**
 * Run `body` holding the stack's apply lock in `bucket` (when one is given). The lock is
 * released when body ends, however it ends: a result, an error, or an interruption (the first
 * SIGINT/SIGTERM makes body stop gracefully and return; only a second one exits at once, and
 * then says where the lock was left).
 */
export async function withApplyLock<T>(bucket: string | undefined, ctx: ReadContext, output: Output, body: () => Promise<T>, interrupt?: Interrupt): Promise<T> {
  if (!bucket) return body();
  const lock = new S3Lock(ctx.aws.s3(ctx.defaultRegion), bucket, lockKey(ctx.stack));
  await lock.acquire(ctx.stack, process.env, new Date());
  for (const note of lock.notes) output.err(`note: ${note}.`);
  output.err(`Took the apply lock ${lock.location}.`);
  const forget = interrupt?.noteOnForcedExit(`The apply lock ${lock.location} was not released; once no apply runs, delete it with: aws s3 rm ${lock.location}`);
  try {
    return await body();
  } finally {
    forget?.();
    try {
      await lock.release();
      if (interrupt?.signal) output.err(`Released the apply lock ${lock.location}.`);
    } catch (err) {
      output.err(`warning: could not release the apply lock ${lock.location}: ${errorMessage(err)}; delete it with: aws s3 rm ${lock.location}`);
    }
  }
}
