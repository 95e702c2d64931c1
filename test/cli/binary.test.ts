import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot, runCli, testEnv } from '../support/aws.js';

async function fileWith(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reconcile-cli-'));
  const file = join(dir, 'storage.yaml');
  await writeFile(file, text);
  return file;
}

describe('the built reconcile binary', () => {
  test('--help lists the commands', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['validate', 'plan', 'apply']) expect(result.stdout).toContain(command);
  });

  test('--region must be an AWS region (with a did-you-mean), exit 1 before anything runs', async () => {
    const result = await runCli(['plan', '-f', join(repoRoot, 'storage.yaml'), '--region', 'eu-wset-1'], { env: { ...testEnv(), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--region "eu-wset-1" is not an AWS region (did you mean "eu-west-1"?)');
  });

  test('validate accepts the repository storage.yaml without credentials', async () => {
    const env = { ...testEnv(), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    const result = await runCli(['validate', '-f', join(repoRoot, 'storage.yaml')], { env });
    expect(result.code, result.stderr).toBe(0);
  });

  test('a broken reference is reported at file:line:col with exit 1', async () => {
    const file = await fileWith(['version: 1', 'stack: s', 'users:', '  app:', '    policies: [missing-policy]', ''].join('\n'));
    const result = await runCli(['validate', '-f', file], { env: testEnv() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:5:16`);
    expect(result.stderr).toContain('missing-policy');
  });

  test('plan on an invalid file exits 1 before any AWS call', async () => {
    const file = await fileWith('version: 2\nstack: s\n');
    // the endpoint is a closed port: reaching AWS would fail differently
    const result = await runCli(['plan', '-f', file], { env: { ...testEnv(), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/:1:\d+ error/);
    expect(result.stderr).not.toMatch(/ECONNREFUSED/);
  });

  test('a missing file is a clear error', async () => {
    const result = await runCli(['plan', '-f', '/nonexistent/storage.yaml'], { env: testEnv() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('file not found');
  });

  test('an unknown option is exit 1', async () => {
    const result = await runCli(['plan', '--bogus'], { env: testEnv() });
    expect(result.code).toBe(1);
  });
});
