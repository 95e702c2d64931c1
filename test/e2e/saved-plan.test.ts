import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetBucketCorsCommand, PutBucketCorsCommand, type CORSRule } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli, s3Client, uniqueName } from '../support/aws.js';
import { workspace, type Workspace } from '../support/workspace.js';

function storageYaml(stack: string, bucket: string, origins: string[]): string {
  return [
    'version: 1',
    `stack: ${stack}`,
    'region: eu-central-1',
    'buckets:',
    `  ${bucket}:`,
    '    cors:',
    '      - AllowedMethods: [GET, PUT]',
    `        AllowedOrigins: [${origins.map((o) => JSON.stringify(o)).join(', ')}]`,
    '        ExposeHeaders: [ETag]',
    '',
  ].join('\n');
}

const outOfBand: CORSRule[] = [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://evil.example'] }];

describe('saved plans: apply exactly what was reviewed, or refuse when stale', () => {
  let ws: Workspace;
  let bucket: string;
  let stack: string;
  const s3 = () => s3Client('eu-central-1');
  const liveOrigins = async () => (await s3().send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules?.flatMap((r) => r.AllowedOrigins ?? []);

  beforeAll(async () => {
    bucket = uniqueName('saved-plan');
    stack = uniqueName('stack');
    ws = await workspace(storageYaml(stack, bucket, ['https://a.example']));
    const applied = await runCli(['apply', '--auto-approve', '-f', ws.file]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    await ws.write(storageYaml(stack, bucket, ['https://a.example', 'https://b.example']));
  });

  test('show renders a saved plan byte-for-byte as plan printed it, in every format', async () => {
    const planPath = join(ws.dir, 'show.json');
    for (const format of ['text', 'markdown', 'json']) {
      const planned = await runCli(['plan', '-f', ws.file, '--format', format, '--out', planPath]);
      expect(planned.code, planned.stderr).toBe(0);
      const shown = await runCli(['show', planPath, '--format', format]);
      expect(shown.code, shown.stderr).toBe(0);
      if (format === 'json') {
        expect(shown.stdout).toBe(await readFile(planPath, 'utf8'));
        // createdAt differs between two plan runs; everything else is the same data
        expect(JSON.parse(shown.stdout).changes).toEqual(JSON.parse(planned.stdout).changes);
      } else {
        expect(shown.stdout).toBe(planned.stdout);
      }
      expect(shown.stdout).toContain(`bucket.${bucket}.cors`);
    }
  });

  test('the saved plan records version, tool, file hash and a fingerprint for each touched resource only', async () => {
    const planPath = join(ws.dir, 'fields.json');
    await runCli(['plan', '-f', ws.file, '--out', planPath]);
    const plan = JSON.parse(await readFile(planPath, 'utf8'));
    expect(plan.formatVersion).toBe(2);
    expect(plan.toolVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(plan.fileHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(plan.fingerprints)).toEqual([`bucket.${bucket}.cors`]);
  });

  test('an out-of-band change after the plan: exit 3, nothing applied', async () => {
    const planPath = join(ws.dir, 'oob.json');
    const planned = await runCli(['plan', '-f', ws.file, '--out', planPath]);
    expect(planned.code).toBe(0);
    await s3().send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: outOfBand } }));
    const applied = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(3);
    expect(applied.stderr).toContain('is stale; nothing was applied');
    expect(applied.stderr).toContain(`bucket.${bucket}.cors: live state changed since the plan was made`);
    expect(applied.stderr).toContain('https://evil.example');
    expect(await liveOrigins()).toEqual(['https://evil.example']);
  });

  test('a file edit after the plan: exit 3, nothing applied; a fresh plan then applies exactly', async () => {
    const planPath = join(ws.dir, 'edit.json');
    expect((await runCli(['plan', '-f', ws.file, '--out', planPath])).code).toBe(0);
    await writeFile(ws.file, (await readFile(ws.file, 'utf8')) + '# a comment changes the hash\n');
    // the plan names its file: apply finds it without -f
    const applied = await runCli(['apply', planPath, '--auto-approve'], { cwd: ws.dir });
    expect(applied.code, applied.stdout + applied.stderr).toBe(3);
    expect(applied.stderr).toContain('changed since the plan was made');
    expect(await liveOrigins()).toEqual(['https://evil.example']);

    expect((await runCli(['plan', '-f', ws.file, '--out', planPath])).code).toBe(0);
    const fresh = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file]);
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe(0);
    expect(await liveOrigins()).toEqual(['https://a.example', 'https://b.example']);
    const after = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(after.code, after.stdout).toBe(0);
  });

  test('a plan from another tool version or format: exit 3; a non-plan file: exit 1', async () => {
    const planPath = join(ws.dir, 'version.json');
    await s3().send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: outOfBand } }));
    expect((await runCli(['plan', '-f', ws.file, '--out', planPath])).code).toBe(0);
    const plan = JSON.parse(await readFile(planPath, 'utf8'));
    await writeFile(planPath, JSON.stringify({ ...plan, toolVersion: '0.0.1' }));
    const older = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file]);
    expect(older.code).toBe(3);
    expect(older.stderr).toContain('made by reconcile 0.0.1');
    await writeFile(planPath, JSON.stringify({ ...plan, formatVersion: 99 }));
    expect((await runCli(['apply', planPath, '--auto-approve', '-f', ws.file])).code).toBe(3);
    await writeFile(planPath, '{"hello": 1}');
    const foreign = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file]);
    expect(foreign.code).toBe(1);
    expect(await liveOrigins()).toEqual(['https://evil.example']);
  });
});

describe('a saved plan that prunes', () => {
  test('plan --prune --out, then apply plan.json --prune deletes exactly the orphan; without --prune at apply it is blocked', async () => {
    const stack = uniqueName('stack');
    const keep = uniqueName('keep');
    const drop = uniqueName('drop');
    const ws = await workspace(['version: 1', `stack: ${stack}`, 'region: eu-central-1', 'buckets:', `  ${keep}: {}`, `  ${drop}: {}`, ''].join('\n'));
    expect((await runCli(['apply', '--auto-approve', '-f', ws.file])).code).toBe(0);
    await ws.write(['version: 1', `stack: ${stack}`, 'region: eu-central-1', 'buckets:', `  ${keep}: {}`, ''].join('\n'));
    const planPath = join(ws.dir, 'prune.json');
    const planned = await runCli(['plan', '--prune', '--out', planPath, '-f', ws.file]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain(`bucket.${drop}`);
    // the plan file alone cannot consent to a deletion (an edited artifact could add one)
    const unconsented = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file]);
    expect(unconsented.code, unconsented.stdout + unconsented.stderr).toBe(4);
    expect(unconsented.stdout).toContain('apply it with --prune as well (a plan file cannot give consent on its own)');
    await s3Client('eu-central-1').send(new GetBucketCorsCommand({ Bucket: drop })).catch((err: { name?: string }) => expect(err.name).not.toBe('NoSuchBucket'));
    const applied = await runCli(['apply', planPath, '--auto-approve', '--prune', '-f', ws.file]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    await expect(s3Client('eu-central-1').send(new GetBucketCorsCommand({ Bucket: drop }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});
