import { spawn } from 'node:child_process';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { describe, expect, test } from 'vitest';
import { cliPath, s3Client, testEnv, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

async function bucketExists(bucket: string): Promise<boolean> {
  try {
    await s3Client('us-east-1').send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch {
    return false;
  }
}

function yamlFor(stack: string, buckets: string[]): string {
  return ['version: 1', `stack: ${stack}`, 'region: us-east-1', 'buckets:', ...buckets.map((b) => `  ${b}: {}`), ''].join('\n');
}

interface Run {
  stdout: () => string;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
  exited: Promise<number | null>;
}

function startApply(file: string): Run {
  const child = spawn(process.execPath, [cliPath, 'apply', '--auto-approve', '--concurrency', '1', '-f', file], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { stdout: () => stdout, stderr: () => stderr, kill: (s) => child.kill(s), exited: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
}

async function waitFor(condition: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

describe('apply on SIGINT/SIGTERM (no lock bucket): graceful, like Terraform', () => {
  test('the first SIGINT lets the step in flight finish, starts no other, reports the rest as interrupted, exits 130', async () => {
    const buckets = Array.from({ length: 15 }, () => uniqueName('int'));
    const ws = await workspace(yamlFor(uniqueName('stack'), buckets));
    const run = startApply(ws.file);
    await waitFor(() => /create succeeded/.test(run.stdout()));
    run.kill('SIGINT');
    expect(await run.exited, run.stdout() + run.stderr()).toBe(130);
    expect(run.stderr()).toContain('SIGINT received: stopping gracefully');
    const lines = run.stdout().split('\n');
    const succeeded = buckets.filter((b) => lines.some((l) => l.includes(`bucket.${b}: create succeeded`)));
    const interrupted = buckets.filter((b) => lines.some((l) => l.includes(`bucket.${b}: create skipped — interrupted by SIGINT; not started`)));
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    // every step is accounted for: finished, or reported as not started; none failed half-way
    expect(succeeded.length + interrupted.length).toBe(buckets.length);
    expect(run.stdout()).toMatch(/Apply interrupted by SIGINT: \d+ succeeded, 0 failed, \d+ skipped/);
    // what was reported done exists, what was reported not started does not
    for (const b of succeeded) expect(await bucketExists(b)).toBe(true);
    for (const b of interrupted) expect(await bucketExists(b)).toBe(false);
  });

  test('SIGTERM exits 143 after the in-flight step; a second signal exits at once', async () => {
    const buckets = Array.from({ length: 15 }, () => uniqueName('term'));
    const ws = await workspace(yamlFor(uniqueName('stack'), buckets));
    const run = startApply(ws.file);
    await waitFor(() => /create succeeded/.test(run.stdout()));
    run.kill('SIGTERM');
    await waitFor(() => run.stderr().includes('SIGTERM received'));
    run.kill('SIGTERM');
    expect(await run.exited).toBe(143);
    expect(run.stderr()).toContain('SIGTERM received again: exiting now');
  });
});
