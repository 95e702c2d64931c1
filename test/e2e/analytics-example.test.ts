import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect, test } from 'vitest';
import { endpoint, iamClient, repoRoot, runCli, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

test('examples/analytics-readonly.yaml converges: apply, then plan --detailed-exitcode exits 0', async () => {
  const original = await readFile(join(repoRoot, 'examples/analytics-readonly.yaml'), 'utf8');
  const names = { bucket: uniqueName('analytics-events'), policy: uniqueName('events-read'), user: uniqueName('analytics-reader'), secret: `analytics/${uniqueName('key')}` };
  const yaml = original
    .replaceAll('acme-analytics-events', names.bucket)
    .replaceAll('analytics-events-read', names.policy)
    .replaceAll('analytics-reader', names.user)
    .replaceAll('analytics/reader-access-key', names.secret)
    .replace(/^stack: .*$/m, `stack: ${uniqueName('analytics')}`);
  const ws = await workspace(yaml);
  const applied = await runCli(['apply', '--auto-approve', '-f', ws.file]);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  const planned = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
  expect(planned.code, planned.stdout).toBe(0);

  const secrets = new SecretsManagerClient({ region: 'eu-central-1', endpoint: endpoint(), credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const delivered = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: names.secret }))).SecretString ?? '{}') as { accessKeyId: string; secretAccessKey: string };
  const keys = await iamClient().send(new ListAccessKeysCommand({ UserName: names.user }));
  expect(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([delivered.accessKeyId]);
  expect(applied.stdout + applied.stderr).not.toContain(delivered.secretAccessKey);
});
