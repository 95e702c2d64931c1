import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, testEnv } from '../support/aws.js';

async function fileWith(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'reconcile-validate-')), 'storage.yaml');
  await writeFile(file, text);
  return file;
}

const SEVERAL_ERRORS = [
  'version: 1', //                                     1
  'stack: demo', //                                    2
  'buckets:', //                                       3
  '  Acme_Uploads:', //                                4  RC4002 4:3
  '    region: eu-centrl-1', //                        5  RC4101 5:13
  'users:', //                                         6
  '  app:', //                                         7
  '    policies: [missing]', //                        8  RC3001 8:16
  '    acessKey: true', //                             9  RC2002 9:5
  '',
].join('\n');

const WARNINGS_ONLY = [
  'version: 1',
  'stack: demo',
  'buckets:',
  '  acme-uploads:',
  '    cors:',
  '      - AllowedMethods: [GET, PUT]', // RC9002 6:31 (PUT without ETag)
  '        AllowedOrigins: ["https://app.example.com"]',
  '',
].join('\n');

describe('reconcile validate: output contract', () => {
  test('every error at once, sorted by position, with source line, caret and hint; exit 1', async () => {
    const file = await fileWith(SEVERAL_ERRORS);
    const result = await runCli(['validate', '-f', file]);
    expect(result.code).toBe(1);
    const heads = [...result.stderr.matchAll(/^(\S+):(\d+):(\d+) error (RC\d{4}) /gm)].map((m) => `${m[4]} ${m[2]}:${m[3]}`);
    expect(heads).toEqual(['RC4002 4:3', 'RC4101 5:13', 'RC3001 8:16', 'RC2002 9:5']);
    expect(result.stderr).toContain(`${file}:5:13 error RC4101 "eu-centrl-1" is not an AWS region\n   5 |     region: eu-centrl-1\n     |             ^\n     hint: did you mean "eu-central-1"?`);
    expect(result.stderr).toContain('hint: use "acme-uploads"');
    expect(result.stderr).toContain('4 error(s), 0 warning(s)');
  });

  test('warnings only: exit 0; --strict makes them errors (exit 1)', async () => {
    const file = await fileWith(WARNINGS_ONLY);
    const lenient = await runCli(['validate', '-f', file]);
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stderr).toContain(`${file}:6:31 warning RC9002 `);
    const strict = await runCli(['validate', '-f', file, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`${file}:6:31 error RC9002 `);
  });

  test('--format json prints the diagnostics as data on stdout', async () => {
    const file = await fileWith(SEVERAL_ERRORS);
    const result = await runCli(['validate', '-f', file, '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { valid: boolean; errorCount: number; diagnostics: { code: string; line: number; col: number; file: string; severity: string; hint?: string }[] };
    expect(report.valid).toBe(false);
    expect(report.errorCount).toBe(4);
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.col}`)).toEqual(['error RC4002 4:3', 'error RC4101 5:13', 'error RC3001 8:16', 'error RC2002 9:5']);
    expect(report.diagnostics[0]?.file).toBe(file);
    expect(report.diagnostics[1]?.hint).toBe('did you mean "eu-central-1"?');
  });

  test('inside GitHub Actions: ::error annotations; stdout stays pure JSON with --format json', async () => {
    const file = await fileWith(SEVERAL_ERRORS);
    const env = { GITHUB_ACTIONS: 'true' };
    const text = await runCli(['validate', '-f', file], { env });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`::error file=${file},line=5,col=13,title=RC4101 error::RC4101 "eu-centrl-1" is not an AWS region%0Ahint: did you mean "eu-central-1"?`);
    expect(text.stdout.match(/^::error /gm)).toHaveLength(4);
    const json = await runCli(['validate', '-f', file, '--format', 'json'], { env });
    expect(() => JSON.parse(json.stdout) as unknown).not.toThrow();
    expect(json.stderr.match(/^::error /gm)).toHaveLength(4);
    const outside = await runCli(['validate', '-f', file]);
    expect(outside.stdout).not.toContain('::error');
  });
});

describe('invalid input makes no network request', () => {
  let server: Server;
  let requests = 0;
  let endpoint = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(403, { 'content-type': 'text/xml' }).end('<Error><Code>AccessDenied</Code><Message>counting server</Message></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('plan and apply on an invalid file: exit 1, located errors, 0 requests', async () => {
    const file = await fileWith(SEVERAL_ERRORS);
    const env = { ...testEnv(), AWS_ENDPOINT_URL: endpoint };
    requests = 0;
    const plan = await runCli(['plan', '-f', file, '--endpoint-url', endpoint], { env });
    const apply = await runCli(['apply', '-f', file, '--endpoint-url', endpoint, '--auto-approve'], { env });
    expect(plan.code).toBe(1);
    expect(apply.code).toBe(1);
    expect(plan.stderr).toContain(`${file}:4:3 error RC4002 `);
    expect(apply.stderr).toContain(`${file}:9:5 error RC2002 `);
    expect(requests).toBe(0);
  });

  test('control: the same server does see requests when the file is valid', async () => {
    const file = await fileWith(['version: 1', 'stack: demo', 'buckets:', '  acme-counting-control: {}', ''].join('\n'));
    requests = 0;
    const plan = await runCli(['plan', '-f', file, '--endpoint-url', endpoint], { env: { ...testEnv(), AWS_ENDPOINT_URL: endpoint } });
    expect(plan.code).not.toBe(0);
    expect(requests).toBeGreaterThan(0);
  });
});
