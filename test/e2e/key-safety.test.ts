import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateAccessKeyCommand, GetUserCommand, ListAccessKeysCommand, ListUserTagsCommand, TagUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ListTagsForResourceCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, test } from 'vitest';
import { endpoint, iamClient, runCli, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'eu-central-1';
const secretsManager = () => new SecretsManagerClient({ region, endpoint: endpoint(), credentials });
const ssm = () => new SSMClient({ region, endpoint: endpoint(), credentials });
const DAY = 86_400_000;

async function userExists(user: string): Promise<boolean> {
  try {
    await iamClient().send(new GetUserCommand({ UserName: user }));
    return true;
  } catch {
    return false;
  }
}

async function keys(user: string): Promise<{ id: string; status: string }[]> {
  const out = await iamClient().send(new ListAccessKeysCommand({ UserName: user }));
  return (out.AccessKeyMetadata ?? []).map((k) => ({ id: k.AccessKeyId ?? '', status: k.Status ?? '' }));
}

async function record(user: string): Promise<string> {
  const tags = (await iamClient().send(new ListUserTagsCommand({ UserName: user }))).Tags ?? [];
  return tags.find((t) => t.Key === 'reconcile:access-keys')?.Value ?? '';
}

const yamlFor = (stack: string, user: string, accessKey: string) => [`version: 1`, `stack: ${stack}`, `region: ${region}`, `users:`, `  ${user}:`, `    accessKey: ${accessKey}`, ''].join('\n');

describe('--secrets-out and plan --out are checked before anything changes in AWS', () => {
  test('the -f file, a file that is not a secrets file, a directory, a missing directory: exit 1, nothing created, nothing overwritten', async () => {
    const stack = uniqueName('stack');
    const user = uniqueName('app');
    const yaml = yamlFor(stack, user, 'true');
    const ws = await workspace(yaml);
    const notes = join(ws.dir, 'notes.json');
    await writeFile(notes, '{"keep": "me"}\n');
    const cases: [string, RegExp][] = [
      [ws.file, /is the configuration file/],
      [notes, /is not a secrets file written by reconcile/],
      [ws.dir, /is a directory/],
      [join(ws.dir, 'missing', 'secrets.json'), /does not exist/],
    ];
    for (const [path, message] of cases) {
      const run = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', path]);
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('nothing was read or changed');
    }
    expect(await readFile(ws.file, 'utf8')).toBe(yaml);
    expect(await readFile(notes, 'utf8')).toBe('{"keep": "me"}\n');
    expect(await userExists(user)).toBe(false);

    // a secrets file reconcile wrote is added to, not refused
    const secrets = join(ws.dir, 'secrets.json');
    await writeFile(secrets, JSON.stringify({ other: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' } }));
    const ok = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', secrets]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const written = JSON.parse(await readFile(secrets, 'utf8')) as Record<string, { accessKeyId: string }>;
    expect(Object.keys(written).sort()).toEqual(['other', user].sort());
  });

  test('plan --out: the -f file or a missing directory fail before AWS is read', async () => {
    const ws = await workspace(yamlFor(uniqueName('stack'), uniqueName('app'), 'true'));
    // an endpoint nothing answers on: reading AWS would fail differently
    const offline = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' };
    for (const [path, message] of [
      [ws.file, /is the configuration file/],
      [join(ws.dir, 'nope', 'plan.json'), /does not exist/],
      [ws.dir, /is a directory/],
    ] as const) {
      const run = await runCli(['plan', '-f', ws.file, '--out', path], { env: offline });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toMatch(message);
    }
  });
});

describe('AWS secret sinks never overwrite what this stack does not own', () => {
  test('an existing untagged secret and parameter: planned as blocked, apply exits 4, no key created, values kept; new ones are created tagged', async () => {
    const stack = uniqueName('stack');
    const [smUser, ssmUser, freshUser] = [uniqueName('sm'), uniqueName('ssm'), uniqueName('fresh')];
    const secretName = `prod/${uniqueName('db-password')}`;
    const parameter = `/prod/${uniqueName('db-password')}`;
    const freshSecret = `reconcile-test/${uniqueName('fresh')}`;
    await secretsManager().send(new CreateSecretCommand({ Name: secretName, SecretString: 'hunter2' }));
    await ssm().send(new PutParameterCommand({ Name: parameter, Value: 'hunter2', Type: 'SecureString' }));
    const ws = await workspace(
      [
        `version: 1`,
        `stack: ${stack}`,
        `region: ${region}`,
        `users:`,
        `  ${smUser}:`,
        `    accessKey: {deliverTo: {secretsManager: ${secretName}}}`,
        `  ${ssmUser}:`,
        `    accessKey: {deliverTo: {ssmParameter: ${parameter}}}`,
        `  ${freshUser}:`,
        `    accessKey: {deliverTo: {secretsManager: ${freshSecret}}}`,
        '',
      ].join('\n'),
    );
    const planned = await runCli(['plan', '-f', ws.file]);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    expect(planned.stdout).toContain(`blocked: Secrets Manager secret ${secretName} (${region}) already exists and has no reconcile:stack tag`);
    expect(planned.stdout).toContain(`blocked: SSM parameter ${parameter} (${region}, SecureString) already exists and has no reconcile:stack tag`);
    const applied = await runCli(['apply', '--auto-approve', '-f', ws.file]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(4);
    expect((await secretsManager().send(new GetSecretValueCommand({ SecretId: secretName }))).SecretString).toBe('hunter2');
    expect((await ssm().send(new GetParameterCommand({ Name: parameter, WithDecryption: true }))).Parameter?.Value).toBe('hunter2');
    expect(await keys(smUser)).toEqual([]);
    expect(await keys(ssmUser)).toEqual([]);
    // what it creates carries this stack's tag (so the next delivery may write it)
    const fresh = await secretsManager().send(new DescribeSecretCommand({ SecretId: freshSecret }));
    expect(fresh.Tags).toContainEqual({ Key: 'reconcile:stack', Value: stack });
    expect(await keys(freshUser)).toHaveLength(1);
  });

  test('a parameter reconcile creates is tagged with the stack', async () => {
    const stack = uniqueName('stack');
    const user = uniqueName('ssm');
    const parameter = `/reconcile-test/${uniqueName('p')}`;
    const ws = await workspace(yamlFor(stack, user, `{deliverTo: {ssmParameter: ${parameter}}}`));
    const applied = await runCli(['apply', '--auto-approve', '-f', ws.file]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const tags = await ssm().send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: parameter }));
    expect(tags.TagList).toContainEqual({ Key: 'reconcile:stack', Value: stack });
  });
});

describe('key bookkeeping', () => {
  test('accessKey: false deletes the keys reconcile created, without --prune; a foreign key stays', async () => {
    const stack = uniqueName('stack');
    const user = uniqueName('app');
    const ws = await workspace(yamlFor(stack, user, 'true'));
    const first = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const [ours] = await keys(user);
    const foreign = (await iamClient().send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey?.AccessKeyId ?? '';

    await ws.write(yamlFor(stack, user, 'false'));
    const planned = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(planned.code, planned.stdout + planned.stderr).toBe(2);
    expect(planned.stdout).toContain(`accessKey: false — delete the 1 access key(s) reconcile created for user ${user}`);
    expect(planned.stdout).toContain(`delete ${ours?.id} (accessKey: false — no key of ours)`);
    expect(planned.stdout).not.toContain(foreign);
    const applied = await runCli(['apply', '--auto-approve', '-f', ws.file]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await keys(user)).toEqual([{ id: foreign, status: 'Active' }]);
    expect((await runCli(['plan', '--detailed-exitcode', '-f', ws.file])).code).toBe(0);
  });

  test('a pending key seconds old is another apply in flight: blocked (exit 4), suggests --lock-bucket, not deleted', async () => {
    const stack = uniqueName('stack');
    const user = uniqueName('app');
    const ws = await workspace(yamlFor(stack, user, 'true'));
    const first = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const [delivered] = await keys(user);
    // what run A leaves while it verifies its new key: the key recorded as pending
    const inFlight = (await iamClient().send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey?.AccessKeyId ?? '';
    await iamClient().send(new TagUserCommand({ UserName: user, Tags: [{ Key: 'reconcile:access-keys', Value: `${delivered?.id}=ok ${inFlight}=pending` }] }));
    const b = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
    expect(b.code, b.stdout + b.stderr).toBe(4);
    expect(b.stdout).toContain(`another apply is creating a key for this user right now: ${inFlight}`);
    expect(b.stdout).toContain('--lock-bucket');
    expect((await keys(user)).map((k) => k.id).sort()).toEqual([delivered?.id, inFlight].sort());
  });

  test('a key deactivated by a human is described as such (not as retired by a rotation), deleted and replaced; rotation records what it retired', async () => {
    const stack = uniqueName('stack');
    const user = uniqueName('app');
    const ws = await workspace(yamlFor(stack, user, '{rotateAfterDays: 30}'));
    const apply = (days = 0) => runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets], { env: { RECONCILE_NOW: new Date(Date.now() + days * DAY).toISOString() } });
    expect((await apply()).code).toBe(0);
    const [first] = await keys(user);
    await iamClient().send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: first?.id, Status: 'Inactive' }));
    const planned = await runCli(['plan', '-f', ws.file]);
    expect(planned.stdout).toContain(`delete ${first?.id} (deactivated outside reconcile, not by a rotation; a new key replaces it)`);
    expect(planned.stdout).not.toContain('retired by an earlier rotation');
    const healed = await apply();
    expect(healed.code, healed.stdout + healed.stderr).toBe(0);
    const [second, ...rest] = await keys(user);
    expect(rest).toEqual([]);
    expect(second?.id).not.toBe(first?.id);
    expect(second?.status).toBe('Active');

    // a due rotation is pending in drift, not "changed outside reconcile"
    const due = { RECONCILE_NOW: new Date(Date.now() + 31 * DAY).toISOString() };
    const drift = await runCli(['drift', '-f', ws.file], { env: due });
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    expect(drift.stdout).toContain('a key rotation is due');
    expect(drift.stdout).toContain('0 drifted, 1 pending');

    // the rotation records the key it deactivated, and the next run says so
    expect((await apply(31)).code).toBe(0);
    expect(await record(user)).toContain(`${second?.id}=retired`);
    const cleanup = await runCli(['plan', '-f', ws.file]);
    expect(cleanup.stdout).toContain(`delete ${second?.id} (retired by an earlier rotation)`);
  });
});
