import { DeleteBucketCorsCommand, PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import { endpoint, runCli, s3Client } from '../support/aws.js';
import { fileManagerYaml, workspace, type FileManagerNames, type Workspace } from '../support/workspace.js';

describe('reconcile verify sends real preflights to the converged bucket', () => {
  let ws: Workspace;
  let names: FileManagerNames;
  const verify = (...args: string[]) => runCli(['verify', '-f', ws.file, ...args]);

  beforeAll(async () => {
    const generated = await fileManagerYaml();
    names = generated.names;
    ws = await workspace(generated.yaml);
    const applied = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  });

  test('passes on a converged emulator, one line per declared origin × method, without credentials', async () => {
    const result = await runCli(['verify', '-f', ws.file], { env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`OPTIONS ${endpoint()}/${names.bucket}/reconcile-verify-preflight`);
    for (const method of ['GET', 'PUT', 'POST']) {
      expect(result.stdout).toContain(`pass  ${method} from http://localhost:5173 [headers: content-type]: rule #1 matches`);
    }
    expect(result.stdout).toContain('All 3 origin × method pair(s) on 1 bucket(s) pass');
  });

  test('--origin/--method checks one pair; a pair no rule allows fails with the rule that refused it', async () => {
    const one = await verify('--origin', 'http://localhost:5173', '--method', 'PUT', '--header', 'Content-Type');
    expect(one.code, one.stdout + one.stderr).toBe(0);
    expect(one.stdout).toContain('pass  PUT from http://localhost:5173 [headers: content-type]');

    const other = await verify('--origin', 'http://127.0.0.1:5173', '--method', 'PUT');
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('FAIL  PUT from http://127.0.0.1:5173: rule #1: origin http://127.0.0.1:5173 not in AllowedOrigins [http://localhost:5173]');
    // the file named is the one given with -f, not a hard-coded storage.yaml
    expect(other.stdout).toContain(`${ws.file}: no declared rule allows this pair`);

    const lonely = await verify('--origin', 'http://localhost:5173');
    expect(lonely.code).toBe(1);
    expect(lonely.stderr).toContain('--origin and --method go together');
  });

  test('fails naming origin, method and header once the rule is changed or removed out-of-band', async () => {
    const s3 = s3Client('eu-central-1');
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: names.bucket,
        CORSConfiguration: { CORSRules: [{ AllowedHeaders: ['*'], AllowedMethods: ['GET', 'PUT', 'POST'], AllowedOrigins: ['http://localhost:5173'] }] },
      }),
    );
    const noEtag = await verify();
    expect(noEtag.code).toBe(1);
    expect(noEtag.stderr).toContain('3 of 3 origin × method pair(s) failed');
    expect(noEtag.stderr).toContain('PUT from http://localhost:5173 [headers: content-type]: Access-Control-Expose-Headers absent does not list ETag');

    await s3.send(new DeleteBucketCorsCommand({ Bucket: names.bucket }));
    const removed = await verify();
    expect(removed.code).toBe(1);
    for (const method of ['GET', 'PUT', 'POST']) {
      expect(removed.stderr).toContain(
        `${names.bucket}: ${method} from http://localhost:5173 [headers: content-type]: Access-Control-Allow-Origin absent, expected "http://localhost:5173" or "*"`,
      );
    }

    const restored = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect((await verify()).code).toBe(0);
  });

  test('a file without CORS rules has nothing to verify', async () => {
    const bare = await workspace('version: 1\nstack: bare\nbuckets:\n  some-bucket-without-cors: {}\n');
    const result = await runCli(['verify', '-f', bare.file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('declares CORS rules; nothing to verify');
  });
});
