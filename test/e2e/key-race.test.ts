import { ListAccessKeysCommand, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { expect, test } from 'vitest';
import { iamClient, runCli, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

test('two applies at once without a lock: one key is created and recorded, the other run creates nothing', async () => {
  const user = uniqueName('race');
  const stack = uniqueName('stack');
  const ws = await workspace([`version: 1`, `stack: ${stack}`, `users:`, `  ${user}: {}`, ''].join('\n'));
  expect((await runCli(['apply', '--auto-approve', '-f', ws.file])).code).toBe(0);
  await ws.write([`version: 1`, `stack: ${stack}`, `users:`, `  ${user}:`, `    accessKey: true`, ''].join('\n'));

  const [a, b] = await Promise.all([
    runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', `${ws.dir}/a.json`]),
    runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', `${ws.dir}/b.json`]),
  ]);
  const keys = (await iamClient().send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata ?? [];
  expect(keys, a.stdout + b.stdout).toHaveLength(1);
  const record = (await iamClient().send(new ListUserTagsCommand({ UserName: user }))).Tags?.find((t) => t.Key === 'reconcile:access-keys')?.Value ?? '';
  expect(record).toContain(`${keys[0]?.AccessKeyId}=ok`);
  // the run that stood back says why and created nothing
  const loser = [a, b].find((r) => r.code !== 0);
  if (loser) expect(loser.stdout + loser.stderr).toMatch(/another apply (announced|is creating) a new key|another apply is creating a key/);
  expect((await runCli(['plan', '--detailed-exitcode', '-f', ws.file])).code).toBe(0);
});
