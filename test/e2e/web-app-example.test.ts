import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetBucketLifecycleConfigurationCommand, GetBucketPolicyCommand, GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import { expect, test } from 'vitest';
import { repoRoot, runCli, s3Client, testEnv, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

test('examples/web-app.yaml converges: apply, then plan --detailed-exitcode exits 0', async () => {
  // every AWS name (buckets, policies, users, stack) starts with acme-web-app: make them unique
  const prefix = uniqueName('wa');
  const original = await readFile(join(repoRoot, 'examples/web-app.yaml'), 'utf8');
  const ws = await workspace(original.replaceAll('acme-web-app', prefix));
  const prod = `${prefix}-prod-uploads`;
  const staging = `${prefix}-staging-uploads`;

  const applied = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets], { env: testEnv() });
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  expect(applied.stdout).toContain('0 failed, 0 skipped');
  expect(applied.stdout).not.toContain('non-converging');

  const planned = await runCli(['plan', '--detailed-exitcode', '-f', ws.file], { env: testEnv() });
  expect(planned.code, planned.stdout + planned.stderr).toBe(0);
  expect(planned.stdout).toContain('No changes.');

  const s3 = s3Client('eu-central-1');
  for (const bucket of [prod, staging]) {
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '{}') as { Statement: { Effect: string; Condition?: unknown }[] };
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
    expect(rules.map((r) => r.ID)).toEqual(expect.arrayContaining(['expire-noncurrent-versions', 'abort-incomplete-uploads']));
  }
  const secrets = JSON.parse(await readFile(ws.secrets, 'utf8')) as Record<string, unknown>;
  expect(Object.keys(secrets).sort()).toEqual([`${prefix}-prod`, `${prefix}-staging`]);
});
