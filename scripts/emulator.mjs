// Starts an S3/IAM emulator for the demo and the test suite: AWS_ENDPOINT_URL if set, else
// LocalStack when a container engine answers, else a local moto_server. See ARCHITECTURE.md
// ("How it is tested").
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const LOCALSTACK_IMAGE = 'localstack/localstack:4.14.0';
const ENGINE_PING_TIMEOUT_MS = 1200;
const MOTO_READY_TIMEOUT_MS = 20_000;
const MOTO_STOP_GRACE_MS = 3_000;

const HOW_TO =
  'No S3/IAM emulator available. Get one of:\n' +
  '  - set AWS_ENDPOINT_URL to a running emulator (e.g. http://127.0.0.1:4566), or\n' +
  '  - start a Docker engine, so LocalStack (' + LOCALSTACK_IMAGE + ') can run via testcontainers, or\n' +
  '  - install moto\'s standalone server: pip install "moto[server]" (puts moto_server on PATH).';

/**
 * @param {{log?: (msg: string) => void}} [options]
 * @returns {Promise<{endpoint: string, kind: 'external'|'localstack'|'moto', stop: () => Promise<void>}>}
 */
export async function startEmulator({ log = () => {} } = {}) {
  const external = process.env.AWS_ENDPOINT_URL;
  if (external) {
    log(`emulator: using AWS_ENDPOINT_URL=${external}`);
    return { endpoint: external.replace(/\/+$/, ''), kind: 'external', stop: async () => {} };
  }
  if (await containerEngineAnswers()) {
    log(`emulator: starting LocalStack ${LOCALSTACK_IMAGE} via testcontainers`);
    return startLocalStack();
  }
  const moto = findOnPath('moto_server');
  if (moto) {
    const emu = await startMoto(moto);
    log(`emulator: moto_server on ${emu.endpoint}`);
    return emu;
  }
  throw new Error(HOW_TO);
}

/** Env vars that point the CLI (or any AWS SDK client) at the emulator. */
export function emulatorEnv(endpoint) {
  const haveKeys = Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY);
  return {
    AWS_ENDPOINT_URL: endpoint,
    // Keys are kept or replaced as a pair: a real key id with a fake secret helps nobody.
    AWS_ACCESS_KEY_ID: haveKeys ? process.env.AWS_ACCESS_KEY_ID : 'test',
    AWS_SECRET_ACCESS_KEY: haveKeys ? process.env.AWS_SECRET_ACCESS_KEY : 'test',
    AWS_REGION: process.env.AWS_REGION || 'us-east-1',
  };
}

/** Wipes all emulator state. Only moto supports this; a no-op elsewhere. */
export async function resetEmulator(endpoint, kind) {
  if (kind !== 'moto') return;
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
}

/** True when a Docker-compatible engine answers GET /_ping; the docker CLI alone is no engine. */
export async function containerEngineAnswers() {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('tcp://') || host?.startsWith('http://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return ping({ host: url.hostname, port: Number(url.port) || 2375 });
  }
  const candidates = host?.startsWith('unix://')
    ? [host.slice('unix://'.length)]
    : [
        '/var/run/docker.sock',
        process.env.XDG_RUNTIME_DIR && path.join(process.env.XDG_RUNTIME_DIR, 'docker.sock'),
        path.join(os.homedir(), '.docker', 'run', 'docker.sock'),
      ].filter(Boolean);
  for (const socketPath of candidates) {
    if (existsSync(socketPath) && (await ping({ socketPath }))) return true;
  }
  return false;
}

function ping(target) {
  return new Promise((resolve) => {
    const req = http.get({ ...target, path: '/_ping' }, (res) => {
      res.resume();
      clearTimeout(timer);
      resolve(res.statusCode === 200);
    });
    const timer = setTimeout(() => req.destroy(), ENGINE_PING_TIMEOUT_MS);
    req.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

async function startLocalStack() {
  // Imported lazily so that no Docker client code loads when there is no engine.
  const { LocalstackContainer } = await import('@testcontainers/localstack');
  const container = await new LocalstackContainer(LOCALSTACK_IMAGE)
    .withEnvironment({ SERVICES: 's3,iam,sts,ssm,secretsmanager' })
    .start();
  return {
    endpoint: container.getConnectionUri(),
    kind: 'localstack',
    stop: async () => {
      await container.stop();
    },
  };
}

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A private moto_server from PATH on a free loopback port (for tests that must change server-wide
 * settings, such as IAM enforcement, without touching the shared emulator). Throws when
 * moto_server is not on PATH.
 */
export async function startMotoServer() {
  const moto = findOnPath('moto_server');
  if (!moto) throw new Error('moto_server is not on PATH: pip install "moto[server]"');
  return startMoto(moto);
}

async function startMoto(command) {
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    // Without this moto answers every CORS preflight permissively, hiding real CORS bugs.
    env: { ...process.env, MOTO_DISABLE_GLOBAL_CORS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  // moto logs every request; keep draining its output (a full pipe would block it) but
  // remember only the tail, for error messages.
  let output = '';
  const keepTail = (chunk) => {
    output = (output + chunk).slice(-4000);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);

  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  let spawnError = null;
  child.on('error', (err) => {
    spawnError = err;
  });

  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  // Let a parent that forgot stop() still exit; the 'exit' hook above then kills moto.
  child.unref();
  child.stdout.unref?.();
  child.stderr.unref?.();

  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited || spawnError) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), MOTO_STOP_GRACE_MS);
    await exitPromise;
    clearTimeout(timer);
  };

  const deadline = Date.now() + MOTO_READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError || exited) {
      await stop();
      const why = spawnError ? spawnError.message : `exited with ${exited.code ?? exited.signal}`;
      throw new Error(`moto_server ${why} before it was ready. Its output:\n${output}`);
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return { endpoint, kind: 'moto', stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `moto_server did not answer on ${endpoint} within ${MOTO_READY_TIMEOUT_MS / 1000} s. Its output:\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
