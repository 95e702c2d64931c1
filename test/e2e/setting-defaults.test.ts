import { DeletePublicAccessBlockCommand, GetPublicAccessBlockCommand, PutBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { expect, test } from 'vitest';
import { runCli, s3Client, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

/**
 * What S3 does when a setting is absent, or with the key it picks by default, is the same as
 * declaring it: no false diff. A real difference still shows.
 */
test('no bucket-level public access block ≡ four false flags; alias/aws/s3 ≡ no KMS key id', async () => {
  const bucket = uniqueName('defaults');
  const stack = uniqueName('stack');
  const file = (block: string) =>
    [`version: 1`, `stack: ${stack}`, `region: eu-west-1`, `buckets:`, `  ${bucket}:`, `    publicAccessBlock: ${block}`, `    encryption: aws:kms`, ''].join('\n');
  const ws = await workspace(file('{blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false}'));
  const applied = await runCli(['apply', '--auto-approve', '-f', ws.file]);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);

  const s3 = s3Client('eu-west-1');
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).rejects.toThrow();
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' }, BucketKeyEnabled: false }] },
    }),
  );
  const plan = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
  expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  expect(plan.stdout).toContain('No changes.');

  // declaring a flag that the absent block does not set is a change, shown as a create
  await ws.write(file('{blockPublicAcls: true}'));
  const changed = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
  expect(changed.code, changed.stdout + changed.stderr).toBe(2);
  expect(changed.stdout).toContain(`+ bucket.${bucket}.public-access-block`);
});
