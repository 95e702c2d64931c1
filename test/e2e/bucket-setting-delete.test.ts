import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { expect, test } from 'vitest';
import { AwsClients } from '../../src/aws/clients.js';
import { toDesired } from '../../src/config/to-desired.js';
import type { WriteContext } from '../../src/resources/handler.js';
import { handlerFor } from '../../src/resources/registry.js';
import { endpoint, s3Client, uniqueName } from '../support/aws.js';

test('each setting handler deletes idempotently (gone is success), in reverse write order', async () => {
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  const aws = new AwsClients({ region: 'us-east-1', endpoint: endpoint() });
  const ctx = {
    aws,
    stack: 's',
    defaultRegion: 'us-east-1',
    caller: async () => ({ accountId: '123456789012', partition: 'aws', arn: 'arn:aws:iam::123456789012:root' }),
    now: () => new Date(),
  } as WriteContext;
  const bucket = uniqueName('setting-delete');
  await s3Client('us-east-1').send(new CreateBucketCommand({ Bucket: bucket }));
  const settings = toDesired({
    version: 1,
    stack: 's',
    buckets: {
      [bucket]: {
        ownership: 'BucketOwnerPreferred',
        publicAccessBlock: true,
        policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
        versioning: true,
        encryption: 'AES256',
        lifecycle: [{ ID: 'a', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
      },
    },
  }).filter((d) => d.kind !== 's3.bucket');

  for (const d of settings) await handlerFor(d.kind).create(ctx, d);
  for (const d of [...settings].reverse()) {
    const handler = handlerFor(d.kind);
    const before = await handler.observe(ctx, d);
    expect(before.exists, d.address).toBe(true);
    if (!before.exists) continue;
    await handler.delete(ctx, d, before.spec);
    await handler.delete(ctx, d, before.spec); // a second delete of something gone succeeds
    const after = await handler.observe(ctx, d);
    // versioning cannot be removed, only suspended: it reads as enabled: false
    expect(after, d.address).toEqual(d.kind === 's3.bucket.versioning' ? { exists: true, spec: { enabled: false } } : { exists: false });
  }
  aws.destroy();
});
