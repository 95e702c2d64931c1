import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import { cliPath, runCli, s3Client, testEnv, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

const s3 = () => s3Client('us-east-1');

async function exists(bucket: string, key: string): Promise<boolean> {
  try {
    await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

async function bucketExists(bucket: string): Promise<boolean> {
  try {
    await s3().send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch {
    return false;
  }
}

function yamlFor(stack: string, buckets: string[]): string {
  return ['version: 1', `stack: ${stack}`, 'region: us-east-1', 'buckets:', ...buckets.flatMap((b) => [`  ${b}:`, '    cors: [{AllowedMethods: [GET], AllowedOrigins: ["*"]}]']), ''].join('\n');
}

describe('--lock-bucket: one apply at a time per stack', () => {
  let lockBucket: string;
  beforeAll(async () => {
    lockBucket = uniqueName('locks');
    await s3().send(new CreateBucketCommand({ Bucket: lockBucket }));
  });

  test('the emulator honours If-None-Match: * on PutObject (the lock relies on it)', async () => {
    const key = `probe/${uniqueName('k')}`;
    await s3().send(new PutObjectCommand({ Bucket: lockBucket, Key: key, Body: 'first', IfNoneMatch: '*' }));
    await expect(s3().send(new PutObjectCommand({ Bucket: lockBucket, Key: key, Body: 'second', IfNoneMatch: '*' }))).rejects.toMatchObject({ name: 'PreconditionFailed' });
    const body = await (await s3().send(new GetObjectCommand({ Bucket: lockBucket, Key: key }))).Body?.transformToString();
    expect(body).toBe('first');
  });

  test('a lock left by a process that no longer runs on this host is removed and taken; a live local holder is respected', async () => {
    const stack = uniqueName('stack');
    const bucket = uniqueName('stale');
    const key = `reconcile/locks/${stack}.lock`;
    const dead = spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;
    const holder = (pid: number) => ({ token: 'gone', stack, who: 'me', host: hostname(), pid, since: '2026-12-03T10:00:00.000Z' });
    const ws = await workspace(yamlFor(stack, [bucket]));

    // the parent of this test runs: its pid is alive, so its lock stands
    await s3().send(new PutObjectCommand({ Bucket: lockBucket, Key: key, Body: JSON.stringify(holder(process.ppid)), IfNoneMatch: '*' }));
    const refused = await runCli(['apply', '--auto-approve', '--lock-bucket', lockBucket, '-f', ws.file]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(await bucketExists(bucket)).toBe(false);

    await s3().send(new DeleteObjectCommand({ Bucket: lockBucket, Key: key }));
    await s3().send(new PutObjectCommand({ Bucket: lockBucket, Key: key, Body: JSON.stringify(holder(dead)), IfNoneMatch: '*' }));
    const taken = await runCli(['apply', '--auto-approve', '--lock-bucket', lockBucket, '-f', ws.file]);
    expect(taken.code, taken.stdout + taken.stderr).toBe(0);
    expect(taken.stderr).toContain(`removed a stale lock of me on ${hostname()} (pid ${dead})`);
    expect(await bucketExists(bucket)).toBe(true);
    expect(await exists(lockBucket, key)).toBe(false);
  });

  test('a lock held by another run refuses the apply, naming the holder; nothing changes', async () => {
    const stack = uniqueName('stack');
    const bucket = uniqueName('locked');
    const key = `reconcile/locks/${stack}.lock`;
    const holder = { token: 'other', stack, who: 'octocat (GitHub Actions, workflow "apply")', host: 'runner-7', pid: 99, since: '2026-12-03T10:00:00.000Z', runUrl: 'https://github.com/acme/storage/actions/runs/1' };
    await s3().send(new PutObjectCommand({ Bucket: lockBucket, Key: key, Body: JSON.stringify(holder), IfNoneMatch: '*' }));
    const ws = await workspace(yamlFor(stack, [bucket]));
    const refused = await runCli(['apply', '--auto-approve', '--lock-bucket', lockBucket, '-f', ws.file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`another apply holds the lock s3://${lockBucket}/${key}`);
    expect(refused.stderr).toContain('octocat (GitHub Actions, workflow "apply") on runner-7 (pid 99), since 2026-12-03T10:00:00.000Z, run https://github.com/acme/storage/actions/runs/1');
    expect(refused.stderr).toContain(`aws s3 rm s3://${lockBucket}/${key}`);
    expect(await bucketExists(bucket)).toBe(false);
    // the other run's lock is left alone
    expect(await exists(lockBucket, key)).toBe(true);
  });

  test('released after success and after an error; a run whose lock is free proceeds', async () => {
    const stack = uniqueName('stack');
    const bucket = uniqueName('lock-ok');
    const key = `reconcile/locks/${stack}.lock`;
    const ws = await workspace(yamlFor(stack, [bucket]));
    const applied = await runCli(['apply', '--auto-approve', '--lock-bucket', lockBucket, '-f', ws.file]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain(`Took the apply lock s3://${lockBucket}/${key}`);
    expect(await bucketExists(bucket)).toBe(true);
    expect(await exists(lockBucket, key)).toBe(false);

    // a lock bucket that does not exist: a clear AWS error, exit 1
    const stale = await runCli(['apply', '--auto-approve', '--lock-bucket', `${lockBucket}-missing-bucket`, '-f', ws.file]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/NoSuchBucket|does not exist/);

    // an apply that fails while holding the lock (a stale saved plan, exit 3) still releases it
    await ws.write(yamlFor(stack, [bucket]).replace('region: us-east-1', 'region: us-east-1\ntags: {team: x}'));
    const planPath = `${ws.dir}/p.json`;
    expect((await runCli(['plan', '--out', planPath, '-f', ws.file])).code).toBe(0);
    await ws.write(yamlFor(stack, [bucket]));
    const refused = await runCli(['apply', planPath, '--auto-approve', '--lock-bucket', lockBucket, '-f', ws.file]);
    expect(refused.code).toBe(3);
    expect(await exists(lockBucket, key)).toBe(false);
  });

  test('SIGTERM during an apply releases the lock and exits 143', async () => {
    const stack = uniqueName('stack');
    const key = `reconcile/locks/${stack}.lock`;
    const buckets = Array.from({ length: 12 }, () => uniqueName('sig'));
    const ws = await workspace(yamlFor(stack, buckets));
    const child = spawn(process.execPath, [cliPath, 'apply', '--auto-approve', '--concurrency', '1', '--lock-bucket', lockBucket, '-f', ws.file], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!stderr.includes('Took the apply lock') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await exists(lockBucket, key)).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toContain('SIGTERM received: stopping gracefully');
    expect(stderr).toContain('Released the apply lock');
    expect(await exists(lockBucket, key)).toBe(false);
  });
});
