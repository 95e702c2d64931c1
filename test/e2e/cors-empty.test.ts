import { GetBucketCorsCommand } from '@aws-sdk/client-s3';
import { expect, test } from 'vitest';
import { runCli, s3Client, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

test('cors: [] declares "no CORS": apply removes the configuration, and a bucket without one plans no change', async () => {
  const bucket = uniqueName('nocors');
  const file = (cors: string) => [`version: 1`, `stack: ${uniqueName('stack')}`, `buckets:`, `  ${bucket}:`, `    cors: ${cors}`, ''].join('\n');
  const stackFile = file('[{AllowedMethods: [GET], AllowedOrigins: ["https://app.example.com"]}]');
  const stack = /stack: (\S+)/.exec(stackFile)?.[1] ?? '';
  const ws = await workspace(stackFile);
  expect((await runCli(['apply', '--auto-approve', '-f', ws.file])).code).toBe(0);

  await ws.write(stackFile.replace(/cors: .*/, 'cors: []').replace(/stack: \S+/, `stack: ${stack}`));
  const planned = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
  expect(planned.code, planned.stdout + planned.stderr).toBe(2);
  const applied = await runCli(['apply', '--auto-approve', '-f', ws.file]);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  await expect(s3Client().send(new GetBucketCorsCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchCORSConfiguration' });
  const converged = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
  expect(converged.code, converged.stdout + converged.stderr).toBe(0);
});
