// The keys `apply` delivers reach only what their grants say, checked with IAM enforcement on.
// Enforcement is server-wide in moto (and breaks presigned URLs), so this file starts its OWN
// moto_server, turns enforcement on there (POST /moto-api/reset-auth with body 0), and stops it
// afterwards; the shared emulator is never touched.
import { readFile } from 'node:fs/promises';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, GetPolicyVersionCommand, IAMClient, ListPoliciesCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMotoServer, type Emulator } from '../../scripts/emulator.mjs';
import { runCli, uniqueName } from '../support/aws.js';
import { workspace, type Workspace } from '../support/workspace.js';

const REGION = 'eu-central-1';
type Key = { accessKeyId: string; secretAccessKey: string };
type Access = 'full' | 'read' | 'write' | 'prefix';

describe('least privilege, with IAM enforced (a private moto_server)', () => {
  let moto: Emulator;
  let ws: Workspace;
  const bucket = {} as Record<Access | 'other', string>;
  const user = {} as Record<Access, string>;
  const keys = {} as Record<Access | 'admin', Key>;

  const s3 = (who: Access | 'admin' | 'bootstrap') =>
    new S3Client({
      region: REGION,
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: who === 'bootstrap' ? { accessKeyId: 'test', secretAccessKey: 'test' } : keys[who],
      maxAttempts: 1,
    });
  const iam = (credentials: Key) => new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials, maxAttempts: 1 });

  /** 'ok' when the call succeeded, else the error name (AccessDenied, ...). */
  const outcome = async (call: Promise<unknown>): Promise<string> => {
    try {
      await call;
      return 'ok';
    } catch (err) {
      return (err as { name?: string }).name ?? String(err);
    }
  };
  const get = (who: Access | 'admin', b: string, key: string) => outcome(s3(who).send(new GetObjectCommand({ Bucket: b, Key: key })).then((r) => r.Body?.transformToString()));
  const put = (who: Access | 'admin', b: string, key: string) => outcome(s3(who).send(new PutObjectCommand({ Bucket: b, Key: key, Body: `written by ${who}` })));
  const del = (who: Access | 'admin', b: string, key: string) => outcome(s3(who).send(new DeleteObjectCommand({ Bucket: b, Key: key })));
  const list = (who: Access | 'admin', b: string, prefix?: string) => outcome(s3(who).send(new ListObjectsV2Command({ Bucket: b, ...(prefix ? { Prefix: prefix } : {}) })));
  const exists = async (b: string, key: string) => (await outcome(s3('admin').send(new HeadObjectCommand({ Bucket: b, Key: key })))) === 'ok';

  beforeAll(async () => {
    moto = await startMotoServer();
    for (const access of ['full', 'read', 'write', 'prefix'] as const) {
      bucket[access] = uniqueName(`lp-${access}`);
      user[access] = uniqueName(`lp-${access}-app`);
    }
    bucket.other = uniqueName('lp-other');
    const grant = (access: Access) =>
      access === 'prefix' ? `{bucket: ${bucket.prefix}, access: full, prefix: uploads/}` : `{bucket: ${bucket[access]}, access: ${access}}`;
    const accesses = ['full', 'read', 'write', 'prefix'] as const;
    ws = await workspace(
      [
        'version: 1',
        `stack: ${uniqueName('lp')}`,
        `region: ${REGION}`,
        'buckets:',
        ...[...accesses.map((a) => bucket[a]), bucket.other].map((b) => `  ${b}: {}`),
        'policies:',
        ...accesses.map((a) => `  ${user[a]}-policy:\n    grants: [${grant(a)}]`),
        'users:',
        ...accesses.map((a) => `  ${user[a]}:\n    policies: [${user[a]}-policy]\n    accessKey: true`),
        '',
      ].join('\n'),
    );
    const applied = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets], { env: { AWS_ENDPOINT_URL: moto.endpoint } });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const secrets = JSON.parse(await readFile(ws.secrets, 'utf8')) as Record<string, Key>;
    for (const access of accesses) {
      const key = secrets[user[access]];
      if (!key) throw new Error(`apply delivered no key for ${user[access]}`);
      keys[access] = key;
    }

    // Seed objects, and an admin that can still look after enforcement is on.
    const boot = s3('bootstrap');
    for (const b of Object.values(bucket)) await boot.send(new PutObjectCommand({ Bucket: b, Key: 'seed.txt', Body: 'seed' }));
    await boot.send(new PutObjectCommand({ Bucket: bucket.prefix, Key: 'uploads/seed.txt', Body: 'seed' }));
    await boot.send(new PutObjectCommand({ Bucket: bucket.prefix, Key: 'private/seed.txt', Body: 'seed' }));
    const bootIam = iam({ accessKeyId: 'test', secretAccessKey: 'test' });
    const admin = uniqueName('lp-admin');
    await bootIam.send(new CreateUserCommand({ UserName: admin }));
    const policy = await bootIam.send(
      new CreatePolicyCommand({ PolicyName: admin, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }),
    );
    await bootIam.send(new AttachUserPolicyCommand({ UserName: admin, PolicyArn: policy.Policy?.Arn }));
    const adminKey = (await bootIam.send(new CreateAccessKeyCommand({ UserName: admin }))).AccessKey;
    keys.admin = { accessKeyId: adminKey?.AccessKeyId ?? '', secretAccessKey: adminKey?.SecretAccessKey ?? '' };

    const reset = await fetch(`${moto.endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    expect(reset.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await moto?.stop();
  });

  test('enforcement is on: unknown keys are refused, each key is its own user', async () => {
    expect(await list('admin', bucket.full)).toBe('ok');
    expect(await outcome(s3('bootstrap').send(new ListObjectsV2Command({ Bucket: bucket.full })))).toBe('InvalidAccessKeyId');
    const sts = new STSClient({ region: REGION, endpoint: moto.endpoint, credentials: keys.full });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toMatch(new RegExp(`:user/${user.full}$`));
  });

  test('access: full — Get/Put/Delete/List on its bucket; denied on another bucket and on IAM', async () => {
    expect(await get('full', bucket.full, 'seed.txt')).toBe('ok');
    expect(await put('full', bucket.full, 'new.txt')).toBe('ok');
    expect(await list('full', bucket.full)).toBe('ok');
    expect(await del('full', bucket.full, 'new.txt')).toBe('ok');
    expect(await exists(bucket.full, 'new.txt')).toBe(false);

    for (const b of [bucket.other, bucket.read]) {
      expect(await get('full', b, 'seed.txt')).toBe('AccessDenied');
      expect(await put('full', b, 'intruder.txt')).toBe('AccessDenied');
      expect(await del('full', b, 'seed.txt')).toBe('AccessDenied');
      expect(await list('full', b)).toBe('AccessDenied');
      expect(await exists(b, 'intruder.txt')).toBe(false);
      expect(await exists(b, 'seed.txt')).toBe(true);
    }
    expect(await outcome(s3('full').send(new CreateBucketCommand({ Bucket: uniqueName('lp-new'), CreateBucketConfiguration: { LocationConstraint: REGION } })))).toBe('AccessDenied');
    expect(await outcome(iam(keys.full).send(new ListUsersCommand({})))).toBe('AccessDenied');
    expect(await outcome(iam(keys.full).send(new CreateUserCommand({ UserName: uniqueName('lp-escalate') })))).toBe('AccessDenied');
  });

  test('access: read — Get and List; PutObject and DeleteObject denied', async () => {
    expect(await get('read', bucket.read, 'seed.txt')).toBe('ok');
    expect(await list('read', bucket.read)).toBe('ok');
    expect(await put('read', bucket.read, 'new.txt')).toBe('AccessDenied');
    expect(await exists(bucket.read, 'new.txt')).toBe(false);
    expect(await del('read', bucket.read, 'seed.txt')).toBe('AccessDenied');
    expect(await exists(bucket.read, 'seed.txt')).toBe(true);
  });

  test('access: write — Put and Delete; GetObject denied', async () => {
    expect(await put('write', bucket.write, 'new.txt')).toBe('ok');
    expect(await exists(bucket.write, 'new.txt')).toBe(true);
    expect(await get('write', bucket.write, 'seed.txt')).toBe('AccessDenied');
    expect(await get('write', bucket.write, 'new.txt')).toBe('AccessDenied');
    expect(await del('write', bucket.write, 'new.txt')).toBe('ok');
  });

  test('a prefix grant — objects under the prefix only', async () => {
    expect(await put('prefix', bucket.prefix, 'uploads/new.txt')).toBe('ok');
    expect(await get('prefix', bucket.prefix, 'uploads/seed.txt')).toBe('ok');
    expect(await del('prefix', bucket.prefix, 'uploads/new.txt')).toBe('ok');

    expect(await put('prefix', bucket.prefix, 'private/new.txt')).toBe('AccessDenied');
    expect(await put('prefix', bucket.prefix, 'new.txt')).toBe('AccessDenied');
    expect(await exists(bucket.prefix, 'private/new.txt')).toBe(false);
    expect(await exists(bucket.prefix, 'new.txt')).toBe(false);
    expect(await get('prefix', bucket.prefix, 'private/seed.txt')).toBe('AccessDenied');
    expect(await get('prefix', bucket.prefix, 'seed.txt')).toBe('AccessDenied');
    expect(await del('prefix', bucket.prefix, 'private/seed.txt')).toBe('AccessDenied');
    expect(await exists(bucket.prefix, 'private/seed.txt')).toBe(true);
  });

  test('listing outside the prefix: the policy says no, but moto cannot evaluate s3:prefix', async () => {
    // The compiled policy scopes ListBucket with a StringLike condition on s3:prefix, which AWS
    // enforces. moto 5.2 evaluates conditions only for StringEquals on sts:ExternalId and treats
    // any other operator as satisfied, so it lets this listing through. If this starts failing
    // with AccessDenied, moto learned conditions: assert the denial instead.
    // (Prefixes with a "/" cannot be tried at all: under enforcement moto 5.2 answers
    // SignatureDoesNotMatch to a correctly signed request whose query holds a %2F.)
    const arn = (await iam(keys.admin).send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies?.find((p) => p.PolicyName === `${user.prefix}-policy`);
    const version = await iam(keys.admin).send(new GetPolicyVersionCommand({ PolicyArn: arn?.Arn, VersionId: arn?.DefaultVersionId }));
    const raw = version.PolicyVersion?.Document ?? '';
    const document = JSON.parse(raw.startsWith('{') ? raw : decodeURIComponent(raw)) as { Statement: { Action: string | string[]; Condition?: unknown }[] };
    const listStatement = document.Statement.find((s) => [s.Action].flat().includes('s3:ListBucket'));
    expect(listStatement?.Condition).toEqual({ StringLike: { 's3:prefix': ['uploads/*'] } });

    expect(await list('prefix', bucket.prefix, 'private')).toBe('ok'); // AWS: AccessDenied
    expect(await list('prefix', bucket.prefix, 'private/')).toBe('SignatureDoesNotMatch'); // AWS: AccessDenied
  });
});
