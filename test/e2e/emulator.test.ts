import { CreateBucketCommand, GetBucketLocationCommand } from '@aws-sdk/client-s3';
import { expect, inject, test } from 'vitest';
import { s3Client, uniqueName } from '../support/aws.js';

test('creates a bucket in eu-central-1 on the shared emulator', async () => {
  const bucket = uniqueName('smoke');
  const s3 = s3Client('eu-central-1');
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' },
    }),
  );
  const location = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
  expect(location.LocationConstraint).toBe('eu-central-1');
});

test.runIf(inject('emulatorKind') === 'moto')(
  'moto does not answer CORS preflights permissively (MOTO_DISABLE_GLOBAL_CORS)',
  async () => {
    const bucket = uniqueName('nocors');
    await s3Client('us-east-1').send(new CreateBucketCommand({ Bucket: bucket }));
    const res = await fetch(`${inject('endpoint')}/${bucket}/x`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://example.com', 'Access-Control-Request-Method': 'PUT' },
    });
    await res.arrayBuffer();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  },
);
