import {
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli, s3Client, testEnv, uniqueName } from '../support/aws.js';
import { workspace, type Workspace } from '../support/workspace.js';

const REGION = 'eu-west-1';
const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function storageYaml(stack: string, full: string, plain: string): string {
  return `version: 1
stack: ${stack}
buckets:
  ${full}:
    region: ${REGION}
    ownership: BucketOwnerEnforced
    publicAccessBlock: true
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: DenyInsecureTransport
          Effect: Deny
          Principal: {AWS: "*"}
          Action: "s3:*"
          Resource: ["arn:aws:s3:::${full}", "arn:aws:s3:::${full}/*"]
          Condition: {Bool: {"aws:SecureTransport": false}}
        - Sid: PartnerRead
          Effect: Allow
          Principal: {AWS: "123456789012"}
          Action: s3:GetObject
          Resource: "arn:aws:s3:::${full}/*"
    versioning: true
    encryption: {algorithm: "aws:kms", kmsKeyId: "${KMS_KEY}", bucketKey: true}
    lifecycle:
      - ID: tidy
        Status: Enabled
        Filter: {}
        NoncurrentVersionExpiration: {NoncurrentDays: 30}
        AbortIncompleteMultipartUpload: {DaysAfterInitiation: 7}
      - ID: logs
        Status: Enabled
        Filter: {And: {Prefix: logs/, Tags: [{Key: kind, Value: log}, {Key: env, Value: test}]}}
        Expiration: {Days: 365}
        Transitions: [{Days: 90, StorageClass: GLACIER}, {Days: 30, StorageClass: STANDARD_IA}]
  ${plain}:
    versioning: false
    publicAccessBlock: {blockPublicAcls: true, ignorePublicAcls: true}
    encryption: AES256
`;
}

describe('bucket settings: created, changed out of band, detected, restored', () => {
  let ws: Workspace;
  const full = uniqueName('settings-full');
  const plain = uniqueName('settings-plain');
  const s3 = s3Client(REGION);
  const s3Default = s3Client('us-east-1');
  const at = (bucket: string, suffix: string) => `bucket.${bucket}.${suffix}`;
  const plan = () => runCli(['plan', '--detailed-exitcode', '-f', ws.file], { env: testEnv() });
  const apply = () => runCli(['apply', '--auto-approve', '-f', ws.file], { env: testEnv() });

  /** plan exits 2 listing exactly `expected` (with the given symbol), apply succeeds, plan exits 0. */
  async function detectedAndRestored(symbol: '~' | '+', expected: string[]): Promise<void> {
    const drifted = await plan();
    expect(drifted.code, drifted.stdout + drifted.stderr).toBe(2);
    const listed = [...drifted.stdout.matchAll(/^\s+([~+-]|-\/\+) (\S+) \(/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    expect(listed).toEqual(expected.map((a) => `${symbol} ${a}`).sort());
    const applied = await apply();
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).not.toContain('non-converging');
    const again = await plan();
    expect(again.code, again.stdout + again.stderr).toBe(0);
  }

  beforeAll(async () => {
    ws = await workspace(storageYaml(uniqueName('stack'), full, plain));
    const first = await plan();
    expect(first.code, first.stderr).toBe(2);
    const applied = await apply();
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  });

  test('every setting is created as declared; a second plan is empty', async () => {
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: full }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe('BucketOwnerEnforced');
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: full }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: full }))).Policy ?? '{}') as { Statement: { Sid: string }[] };
    expect(policy.Statement.map((s) => s.Sid).sort()).toEqual(['DenyInsecureTransport', 'PartnerRead']);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: full }))).Status).toBe('Enabled');
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: full }))).ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KMS_KEY },
      BucketKeyEnabled: true,
    });
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: full }))).Rules ?? [];
    expect(rules.map((r) => r.ID).sort()).toEqual(['logs', 'tidy']);
    // versioning: false on a never-versioned bucket writes nothing: the bucket stays unversioned
    expect((await s3Default.send(new GetBucketVersioningCommand({ Bucket: plain }))).Status).toBeUndefined();
    expect((await s3Default.send(new GetPublicAccessBlockCommand({ Bucket: plain }))).PublicAccessBlockConfiguration?.BlockPublicPolicy).toBe(false);

    const second = await plan();
    expect(second.code, second.stdout + second.stderr).toBe(0);
  });

  test('what S3 treats as the same is no change (rules reordered, principals respelled)', async () => {
    const reordered = [...((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: full }))).Rules ?? [])].reverse();
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: full, LifecycleConfiguration: { Rules: reordered } }));
    const respelled = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'PartnerRead', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::123456789012:root'] }, Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${full}/*`] },
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${full}/*`, `arn:aws:s3:::${full}`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: full, Policy: JSON.stringify(respelled) }));
    const result = await plan();
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  test('each setting changed out of band is detected by address and restored', async () => {
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: full, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: full,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false },
      }),
    );
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: full,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'PartnerRead', Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${full}/*` }],
        }),
      }),
    );
    await s3.send(new PutBucketVersioningCommand({ Bucket: full, VersioningConfiguration: { Status: 'Suspended' } }));
    await s3.send(new PutBucketEncryptionCommand({ Bucket: full, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: full,
        LifecycleConfiguration: {
          Rules: [{ ID: 'tidy', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 90 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }],
        },
      }),
    );
    await s3Default.send(new PutBucketVersioningCommand({ Bucket: plain, VersioningConfiguration: { Status: 'Enabled' } }));

    await detectedAndRestored('~', [
      at(full, 'ownership'),
      at(full, 'public-access-block'),
      at(full, 'policy'),
      at(full, 'versioning'),
      at(full, 'encryption'),
      at(full, 'lifecycle'),
      at(plain, 'versioning'),
    ]);
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: full }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe('BucketOwnerEnforced');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: full }))).Status).toBe('Enabled');
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: full }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.BucketKeyEnabled).toBe(true);
    // versioning cannot be turned off once enabled: false restores it as Suspended
    expect((await s3Default.send(new GetBucketVersioningCommand({ Bucket: plain }))).Status).toBe('Suspended');
  });

  test('each setting removed out of band is detected as missing and re-created', async () => {
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: full }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: full }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: full }));
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: full }));
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: full }));
    await s3Default.send(new DeletePublicAccessBlockCommand({ Bucket: plain }));

    await detectedAndRestored('+', [
      at(full, 'ownership'),
      at(full, 'public-access-block'),
      at(full, 'policy'),
      at(full, 'encryption'),
      at(full, 'lifecycle'),
      at(plain, 'public-access-block'),
    ]);
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: full }))).Rules ?? [];
    expect(rules.map((r) => r.ID).sort()).toEqual(['logs', 'tidy']);
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: full }))).Policy).toContain('aws:SecureTransport');
  });
});
