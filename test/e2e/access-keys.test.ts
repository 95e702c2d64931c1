import { CreateAccessKeyCommand, DeleteAccessKeyCommand, ListAccessKeysCommand, ListUserTagsCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, test } from 'vitest';
import { endpoint, iamClient, runCli, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const DAY = 86_400_000;

interface Delivered {
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
}

async function keys(user: string): Promise<{ id: string; status: string }[]> {
  const out = await iamClient().send(new ListAccessKeysCommand({ UserName: user }));
  return (out.AccessKeyMetadata ?? []).map((k) => ({ id: k.AccessKeyId ?? '', status: k.Status ?? '' })).sort((a, b) => a.id.localeCompare(b.id));
}

async function fromSecretsManager(name: string): Promise<Delivered> {
  const client = new SecretsManagerClient({ region: 'eu-central-1', endpoint: endpoint(), credentials });
  const out = await client.send(new GetSecretValueCommand({ SecretId: name }));
  return JSON.parse(out.SecretString ?? '{}') as Delivered;
}

async function fromSsm(name: string): Promise<Delivered> {
  const client = new SSMClient({ region: 'eu-central-1', endpoint: endpoint(), credentials });
  const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  expect(out.Parameter?.Type).toBe('SecureString');
  return JSON.parse(out.Parameter?.Value ?? '{}') as Delivered;
}

describe('access keys', () => {
  test('rotation with an injected clock, delivery to Secrets Manager and SSM, foreign keys never touched', async () => {
    const stack = uniqueName('stack');
    const sm = uniqueName('reader');
    const ssmUser = uniqueName('writer');
    const secretName = `reconcile-test/${uniqueName('secret')}`;
    const parameter = `/reconcile-test/${uniqueName('param')}`;
    const ws = await workspace(
      [
        `version: 1`,
        `stack: ${stack}`,
        `region: eu-central-1`,
        `users:`,
        `  ${sm}:`,
        `    accessKey: {rotateAfterDays: 30, deliverTo: {secretsManager: ${secretName}}}`,
        `  ${ssmUser}:`,
        `    accessKey: {rotateAfterDays: 30, deliverTo: {ssmParameter: ${parameter}}}`,
        '',
      ].join('\n'),
    );
    const now = Date.now();
    const at = (days: number) => ({ RECONCILE_NOW: new Date(now + days * DAY).toISOString() });
    const apply = (days: number) => runCli(['apply', '--auto-approve', '-f', ws.file], { env: at(days) });
    const plan = (days: number) => runCli(['plan', '--detailed-exitcode', '-f', ws.file], { env: at(days) });
    const secrets: string[] = [];
    const noSecretIn = (text: string) => {
      for (const s of secrets) expect(text).not.toContain(s);
    };

    // day 0: one key each, verified and delivered (no --secrets-out needed)
    const first = await apply(0);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const [keyA] = await keys(sm);
    const [keyC] = await keys(ssmUser);
    const deliveredA = await fromSecretsManager(secretName);
    const deliveredC = await fromSsm(parameter);
    expect(deliveredA).toMatchObject({ userName: sm, accessKeyId: keyA?.id });
    expect(deliveredC).toMatchObject({ userName: ssmUser, accessKeyId: keyC?.id });
    secrets.push(deliveredA.secretAccessKey, deliveredC.secretAccessKey);
    noSecretIn(first.stdout + first.stderr);

    // a key someone else made: never touched; it fills the writer's second slot
    const foreign = (await iamClient().send(new CreateAccessKeyCommand({ UserName: ssmUser }))).AccessKey?.AccessKeyId ?? '';

    // apply twice never creates a second key
    const again = await apply(0);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('No changes.');
    expect(await keys(sm)).toEqual([{ id: keyA?.id, status: 'Active' }]);

    // day 31: the reader rotates (new key verified, delivered, old one deactivated); the writer is blocked
    const planned = await plan(31);
    expect(planned.code, planned.stdout).toBe(2);
    expect(planned.stdout).toMatch(new RegExp(`create a new key \\(the active key ${keyA?.id} is 3[01] days old \\(rotateAfterDays: 30\\)\\), verify it with STS, deliver it to Secrets Manager secret ${secretName}`));
    expect(planned.stdout).toContain(`deactivate ${keyA?.id}`);
    expect(planned.stdout).toContain(`blocked: a new key would exceed AWS's limit of 2 access keys per user; key(s) not created by reconcile are never touched: ${foreign}`);
    const rotated = await apply(31);
    expect(rotated.code, rotated.stdout + rotated.stderr).toBe(4);
    const afterRotation = await keys(sm);
    expect(afterRotation).toHaveLength(2);
    expect(afterRotation.find((k) => k.id === keyA?.id)?.status).toBe('Inactive');
    const keyB = afterRotation.find((k) => k.id !== keyA?.id);
    expect(keyB?.status).toBe('Active');
    const deliveredB = await fromSecretsManager(secretName);
    expect(deliveredB.accessKeyId).toBe(keyB?.id);
    secrets.push(deliveredB.secretAccessKey);
    noSecretIn(rotated.stdout + rotated.stderr);
    expect((await keys(ssmUser)).map((k) => k.id).sort()).toEqual([keyC?.id, foreign].sort());

    // a later run deletes the retired key (the clock back at the real time: the new key is fresh); never a third key
    const cleaned = await apply(0);
    expect(cleaned.code, cleaned.stdout).toBe(0);
    expect(cleaned.stdout).toContain(`deleted ${keyA?.id}`);
    expect(await keys(sm)).toEqual([{ id: keyB?.id, status: 'Active' }]);
    expect((await plan(0)).code).toBe(0);

    // the foreign key goes (by its owner): the writer rotates now, through SSM
    await iamClient().send(new DeleteAccessKeyCommand({ UserName: ssmUser, AccessKeyId: foreign }));
    const unblocked = await apply(31);
    expect(unblocked.code, unblocked.stdout + unblocked.stderr).toBe(0);
    const deliveredD = await fromSsm(parameter);
    secrets.push(deliveredD.secretAccessKey);
    noSecretIn(unblocked.stdout + unblocked.stderr);
    expect(deliveredD.accessKeyId).not.toBe(keyC?.id);
    const writerKeys = await keys(ssmUser);
    expect(writerKeys.find((k) => k.id === deliveredD.accessKeyId)?.status).toBe('Active');
    expect(writerKeys.find((k) => k.id === keyC?.id)?.status).toBe('Inactive');
    expect(writerKeys).toHaveLength(2);
  });

  test('a run killed between CreateAccessKey and recording the key: the next plan claims the key, apply replaces it, nothing foreign is left', async () => {
    const stack = uniqueName('stack');
    const user = uniqueName('app');
    const ws = await workspace([`version: 1`, `stack: ${stack}`, `users:`, `  ${user}:`, `    accessKey: true`, ''].join('\n'));
    const secretsOut = `${ws.dir}/secrets.json`;
    const first = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', secretsOut]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const [delivered] = await keys(user);

    // what a SIGKILL right after CreateAccessKey leaves: the marker written before it, an unrecorded key
    const tags = (await iamClient().send(new ListUserTagsCommand({ UserName: user }))).Tags ?? [];
    const record = tags.find((t) => t.Key === 'reconcile:access-keys')?.Value ?? '';
    await iamClient().send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: delivered?.id ?? '' }));
    await iamClient().send(new TagUserCommand({ UserName: user, Tags: [{ Key: 'reconcile:access-keys', Value: `${record} intent=${Date.now()}` }] }));
    const lost = (await iamClient().send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey?.AccessKeyId ?? '';

    // seconds old, it may be another apply's key in flight: left alone, blocked
    const young = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(young.stdout).toContain(`blocked: another apply is creating a key for this user right now: ${lost}`);
    // once older than the grace (shortened here instead of waiting ten minutes) it is an interrupted run's
    const later = { RECONCILE_PENDING_KEY_GRACE_SECONDS: '0' };
    const planned = await runCli(['plan', '--detailed-exitcode', '-f', ws.file], { env: later });
    expect(planned.code, planned.stdout + planned.stderr).toBe(2);
    expect(planned.stdout).toContain(`delete ${lost} (created by an interrupted run, never delivered)`);
    const healed = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', secretsOut], { env: later });
    expect(healed.code, healed.stdout + healed.stderr).toBe(0);
    const after = await keys(user);
    expect(after).toHaveLength(1);
    expect(after[0]?.id).not.toBe(lost);
    expect((await runCli(['plan', '--detailed-exitcode', '-f', ws.file])).code).toBe(0);
  });
});
