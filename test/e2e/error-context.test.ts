import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { endpoint, runCli, s3Client, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

const DENIED = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';

/**
 * The emulator behind a proxy that denies one S3 operation (GetBucketCors), as an IAM policy
 * without s3:GetBucketCORS would; every other request reaches the emulator unchanged.
 */
function denyingProxy(target: URL): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (req.method === 'GET' && url.searchParams.has('cors')) {
      res.writeHead(403, { 'content-type': 'application/xml' }).end(DENIED);
      return;
    }
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('AWS errors during plan name the resource and the operation', () => {
  let proxy: Server;
  beforeAll(async () => {
    proxy = await denyingProxy(new URL(endpoint()));
  });
  afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  test('AccessDenied on GetBucketCors: "bucket.<name>.cors: GetBucketCors: Access Denied", exit 1', async () => {
    const stack = uniqueName('stack');
    const bucket = uniqueName('denied');
    await s3Client().send(new CreateBucketCommand({ Bucket: bucket }));
    await s3Client().send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'reconcile:stack', Value: stack }] } }));
    const ws = await workspace(['version: 1', `stack: ${stack}`, 'buckets:', `  ${bucket}:`, '    cors: [{AllowedMethods: [GET], AllowedOrigins: ["*"]}]', ''].join('\n'));
    const { port } = proxy.address() as AddressInfo;
    const planned = await runCli(['plan', '-f', ws.file], { env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` } });
    expect(planned.code, planned.stdout + planned.stderr).toBe(1);
    expect(planned.stderr).toContain(`Error: bucket.${bucket}.cors: GetBucketCors: Access Denied`);
  });
});
