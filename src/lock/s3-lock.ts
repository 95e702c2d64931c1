import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isAwsError } from '../aws/errors.js';
import { ExitCode, UserError } from '../core/errors.js';
import { describeHolder, holderFromEnv, type LockHolder } from './holder.js';

/** The holder ran on this host and its process is gone (kill -0 answers ESRCH). */
function deadLocalHolder(holder: Partial<LockHolder>): boolean {
  if (holder.host !== hostname() || typeof holder.pid !== 'number' || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function lockKey(stack: string): string {
  return `reconcile/locks/${stack}.lock`;
}

async function readHolder(s3: S3Client, bucket: string, key: string): Promise<Partial<LockHolder> | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await out.Body?.transformToString('utf8')) ?? '';
    return JSON.parse(text) as Partial<LockHolder>;
  } catch (err) {
    if (isAwsError(err, 'NoSuchKey', 'NotFound')) return undefined;
    if (err instanceof SyntaxError) return {};
    throw err;
  }
}

/**
 * An apply lock: one object per stack in a bucket of the user's choice, created with a
 * conditional write (`If-None-Match: *`), so of two runs exactly one succeeds. The object
 * names its holder; it is deleted on release, and only by the run that created it.
 */
export class S3Lock {
  private held?: LockHolder;

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    readonly key: string,
  ) {}

  get location(): string {
    return `s3://${this.bucket}/${this.key}`;
  }

  /** What acquire did besides taking the lock (a stale lock of a dead local run removed), for the log. */
  readonly notes: string[] = [];

  async acquire(stack: string, env: NodeJS.ProcessEnv, now: Date, retried = false): Promise<LockHolder> {
    const holder = holderFromEnv(env, stack, randomUUID(), now);
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: JSON.stringify(holder, null, 2) + '\n', ContentType: 'application/json', IfNoneMatch: '*' }),
      );
    } catch (err) {
      // 412: the object exists; 409: another conditional write to it is in flight
      if (!isAwsError(err, 'PreconditionFailed', 'ConditionalRequestConflict')) throw err;
      const current = await readHolder(this.s3, this.bucket, this.key);
      // a run on this machine that no longer exists cannot release its lock: remove it, then take it
      // the same race-free way (if two runs do this, the conditional write still picks one)
      if (!retried && current && deadLocalHolder(current)) {
        await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key }));
        this.notes.push(`removed a stale lock of ${describeHolder(current)}: that process no longer runs on this host`);
        return this.acquire(stack, env, now, true);
      }
      throw new UserError(
        `another apply holds the lock ${this.location}: ${current ? describeHolder(current) : 'its holder is unknown (the lock was just released or is being taken)'}; nothing was changed`,
        ExitCode.error,
        `wait for that run to finish and retry; if it died without releasing the lock, delete it: aws s3 rm ${this.location}`,
      );
    }
    this.held = holder;
    return holder;
  }

  /** Delete the lock if this run still holds it; safe to call more than once. */
  async release(): Promise<void> {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    const current = await readHolder(this.s3, this.bucket, this.key);
    if (current?.token !== held.token) return;
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key }));
  }
}
