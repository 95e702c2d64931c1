/// <reference path="./provided.d.ts" />
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { inject } from 'vitest';
import { emulatorEnv } from '../../scripts/emulator.mjs';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export function endpoint(): string {
  return inject('endpoint');
}

/**
 * Environment for spawning the CLI against the emulator. Starts from process.env without
 * AWS_* (no real profile, session token or region leaks in), GITHUB_* (no writes to a real job
 * summary), and CI / FORCE_COLOR (picocolors colours piped output when CI is set); NO_COLOR=1.
 */
export function testEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(AWS_|GITHUB_)/.test(key) || key === 'CI' || key === 'FORCE_COLOR') continue;
    env[key] = value;
  }
  return {
    ...env,
    ...emulatorEnv(endpoint()),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    NO_COLOR: '1',
  };
}

const s3Clients = new Map<string, S3Client>();

/** One S3 client per region (as the CLI does), path-style, against the emulator. */
export function s3Client(region = 'us-east-1'): S3Client {
  let client = s3Clients.get(region);
  if (!client) {
    client = new S3Client({ region, endpoint: endpoint(), forcePathStyle: true, credentials });
    s3Clients.set(region, client);
  }
  return client;
}

export function iamClient(): IAMClient {
  return new IAMClient({ region: 'us-east-1', endpoint: endpoint(), credentials });
}

export function stsClient(): STSClient {
  return new STSClient({ region: 'us-east-1', endpoint: endpoint(), credentials });
}

let sequence = 0;

/**
 * A name unique across calls, workers and runs, valid as an S3 bucket name (lowercase letters,
 * digits, hyphens; starts and ends alphanumeric; at most 63 chars) and as an IAM name.
 */
export function uniqueName(prefix = 't'): string {
  const suffix = [
    process.pid.toString(36),
    (sequence++).toString(36),
    Math.random().toString(36).slice(2, 6).padEnd(4, '0'),
  ].join('-');
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63 - suffix.length - 1)
      .replace(/-+$/, '') || 't';
  return `${clean}-${suffix}`;
}

export interface CliResult {
  /** Exit code; null when killed by a signal (e.g. the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd?: string;
  /** Merged over testEnv(); a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed (it is closed at once without input). */
  input?: string;
}

const CLI_TIMEOUT_MS = 60_000;

/** Runs the built CLI (`dist/cli/main.js`). Resolves on any exit code; never rejects on one. */
export function runCli(args: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  if (!existsSync(cliPath)) {
    return Promise.reject(new Error(`${cliPath} does not exist: run "npm run build" first`));
  }
  const env = { ...testEnv(), ...opts.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[runCli] killed after ${CLI_TIMEOUT_MS} ms: reconcile ${args.join(' ')}\n`;
      child.kill('SIGKILL');
    }, CLI_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the CLI may exit without reading its input (EPIPE)
    child.stdin.end(opts.input ?? '');
  });
}
