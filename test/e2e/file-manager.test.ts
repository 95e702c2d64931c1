import { readFile, stat } from 'node:fs/promises';
import {
  DeleteAccessKeyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserTagsCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { DeleteBucketCorsCommand, GetBucketCorsCommand, GetBucketLocationCommand, GetBucketTaggingCommand, PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import { iamClient, runCli, s3Client, testEnv } from '../support/aws.js';
import { fileManagerYaml, workspace, type FileManagerNames, type Workspace } from '../support/workspace.js';

const ACCOUNT = '123456789012';

describe('storage.yaml converges on an empty emulator', () => {
  let ws: Workspace;
  let names: FileManagerNames;
  const env = () => testEnv();
  const plan = () => runCli(['plan', '--detailed-exitcode', '-f', ws.file], { env: env() });
  const apply = () => runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets], { env: env() });
  let secret = '';
  let applyOutput = '';

  beforeAll(async () => {
    const generated = await fileManagerYaml();
    names = generated.names;
    ws = await workspace(generated.yaml);
    const first = await plan();
    expect(first.code, first.stderr).toBe(2);
    for (const expected of ['+ bucket.', '.cors', '+ policy.', '+ user.', '.policy[', '.access-key', 'Plan: 6 to add, 0 to change, 0 to destroy.']) {
      expect(first.stdout).toContain(expected);
    }
    const applied = await apply();
    applyOutput = applied.stdout + applied.stderr;
    expect(applied.code, applyOutput).toBe(0);
    secret = (JSON.parse(await readFile(ws.secrets, 'utf8')) as Record<string, { secretAccessKey: string }>)[names.user]?.secretAccessKey ?? '';
  });

  test('every resource exists as declared, checked with direct SDK calls', async () => {
    const s3 = s3Client('eu-central-1');
    const iam = iamClient();
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: names.bucket }))).LocationConstraint).toBe('eu-central-1');
    const cors = await s3.send(new GetBucketCorsCommand({ Bucket: names.bucket }));
    expect(cors.CORSRules).toHaveLength(1);
    expect(cors.CORSRules?.[0]).toMatchObject({
      AllowedHeaders: ['*'],
      AllowedMethods: ['GET', 'PUT', 'POST'],
      AllowedOrigins: ['http://localhost:5173'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 3000,
    });
    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: names.bucket }));
    expect(tags.TagSet).toContainEqual({ Key: 'reconcile:stack', Value: names.stack });

    const user = await iam.send(new GetUserCommand({ UserName: names.user }));
    expect(user.User?.Path).toBe('/apps/');
    const userTags = await iam.send(new ListUserTagsCommand({ UserName: names.user }));
    expect(userTags.Tags).toContainEqual({ Key: 'reconcile:stack', Value: names.stack });

    const arn = `arn:aws:iam::${ACCOUNT}:policy/${names.policy}`;
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(policy.Policy?.Tags ?? []).toContainEqual({ Key: 'reconcile:stack', Value: names.stack });
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId }));
    const raw = version.PolicyVersion?.Document ?? '';
    const document = JSON.parse(raw.startsWith('{') ? raw : decodeURIComponent(raw)) as { Statement: { Resource: string[] }[] };
    const resources = document.Statement.flatMap((s) => s.Resource).sort();
    expect(resources).toEqual([`arn:aws:s3:::${names.bucket}`, `arn:aws:s3:::${names.bucket}/*`]);

    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: names.user }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([arn]);

    const keys = await iam.send(new ListAccessKeysCommand({ UserName: names.user }));
    expect(keys.AccessKeyMetadata).toHaveLength(1);
    const secrets = JSON.parse(await readFile(ws.secrets, 'utf8')) as Record<string, { accessKeyId: string; secretAccessKey: string }>;
    expect(secrets[names.user]?.accessKeyId).toBe(keys.AccessKeyMetadata?.[0]?.AccessKeyId);
    expect(secret.length).toBeGreaterThan(20);
    expect((await stat(ws.secrets)).mode & 0o777).toBe(0o600);
  });

  test('the secret appears in no output', () => {
    expect(secret).not.toBe('');
    expect(applyOutput).not.toContain(secret);
  });

  test('a second plan is empty and exits 0', async () => {
    const second = await plan();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('No changes.');
  });

  const drifts: { what: string; address: (n: FileManagerNames) => string; change: (n: FileManagerNames) => Promise<unknown> }[] = [
    {
      what: 'CORS deleted',
      address: (n) => `bucket.${n.bucket}.cors`,
      change: (n) => s3Client('eu-central-1').send(new DeleteBucketCorsCommand({ Bucket: n.bucket })),
    },
    {
      what: 'a CORS method removed',
      address: (n) => `bucket.${n.bucket}.cors`,
      change: (n) =>
        s3Client('eu-central-1').send(
          new PutBucketCorsCommand({
            Bucket: n.bucket,
            CORSConfiguration: {
              CORSRules: [{ AllowedHeaders: ['*'], AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['http://localhost:5173'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 }],
            },
          }),
        ),
    },
    {
      what: 'the policy detached',
      address: (n) => `user.${n.user}.policy[${n.policy}]`,
      change: (n) => iamClient().send(new DetachUserPolicyCommand({ UserName: n.user, PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/${n.policy}` })),
    },
    {
      what: 'a tag changed',
      address: (n) => `user.${n.user}`,
      change: (n) => iamClient().send(new TagUserCommand({ UserName: n.user, Tags: [{ Key: 'app', Value: 'tampered' }] })),
    },
    {
      what: 'the access key deleted',
      address: (n) => `user.${n.user}.access-key`,
      change: async (n) => {
        const iam = iamClient();
        const keys = await iam.send(new ListAccessKeysCommand({ UserName: n.user }));
        for (const key of keys.AccessKeyMetadata ?? []) await iam.send(new DeleteAccessKeyCommand({ UserName: n.user, AccessKeyId: key.AccessKeyId }));
      },
    },
  ];

  for (const drift of drifts) {
    test(`out-of-band: ${drift.what} → plan exits 2 naming it, apply restores`, async () => {
      await drift.change(names);
      const detected = await plan();
      expect(detected.code, detected.stderr).toBe(2);
      expect(detected.stdout).toContain(drift.address(names));
      const restored = await apply();
      expect(restored.code, restored.stdout + restored.stderr).toBe(0);
      expect(restored.stdout + restored.stderr).not.toContain(secret);
      const after = await plan();
      expect(after.code, after.stdout).toBe(0);
      expect(after.stdout).toContain('No changes.');
    });
  }
});

describe('apply without a secrets sink', () => {
  test('refuses before changing anything when a key must be created', async () => {
    const { yaml, names } = await fileManagerYaml();
    const ws = await workspace(yaml);
    const result = await runCli(['apply', '--auto-approve', '-f', ws.file], { env: testEnv() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--secrets-out');
    await expect(iamClient().send(new GetUserCommand({ UserName: names.user }))).rejects.toThrow();
  });
});
