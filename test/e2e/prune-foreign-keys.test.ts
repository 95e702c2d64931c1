import { CreateAccessKeyCommand, CreateUserCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { expect, test } from 'vitest';
import { iamClient, runCli, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

test('--prune never deletes a user over access keys reconcile did not create: blocked (exit 4), the keys stay', async () => {
  const stack = uniqueName('stack');
  const user = uniqueName('adopted');
  await iamClient().send(new CreateUserCommand({ UserName: user }));
  const foreign = (await iamClient().send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey?.AccessKeyId ?? '';
  const ws = await workspace([`version: 1`, `stack: ${stack}`, `users:`, `  ${user}: {adopt: true}`, ''].join('\n'));
  const adopted = await runCli(['apply', '--auto-approve', '-f', ws.file]);
  expect(adopted.code, adopted.stdout + adopted.stderr).toBe(0);

  await ws.write([`version: 1`, `stack: ${stack}`, ''].join('\n'));
  const pruned = await runCli(['apply', '--auto-approve', '--prune', '-f', ws.file]);
  expect(pruned.code, pruned.stdout + pruned.stderr).toBe(4);
  expect(pruned.stdout).toContain(`access keys reconcile did not create (${foreign})`);
  const keys = (await iamClient().send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata ?? [];
  expect(keys.map((k) => k.AccessKeyId)).toEqual([foreign]);
});
