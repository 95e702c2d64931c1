import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium; .ci/run installs it when missing. Never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh, throw-away profile. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: browser tests drive Debian's chromium (apt-get install -y chromium; .ci/run does it)`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'reconcile-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface AppServer {
  close(): Promise<void>;
}

const PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>uploader</title></head><body>app</body></html>';
const PORT_WAIT_MS = 90_000;

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * Serves a blank app page on loopback `port` (IPv4, and IPv6 when the machine has it), so a
 * page can live on the origin the CORS rule declares (http://localhost:5173). The origin fixes
 * the port; when another test run holds it, wait for it a while, then fail saying so.
 */
export async function serveApp(port: number): Promise<AppServer> {
  const handler: http.RequestListener = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(PAGE);
  };
  const deadline = Date.now() + PORT_WAIT_MS;
  const v4 = http.createServer(handler);
  for (;;) {
    try {
      await listen(v4, port, '127.0.0.1');
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() > deadline) {
        throw new Error(
          `cannot serve the app page on 127.0.0.1:${port} (${(err as Error).message}). The browser tests need port ${port}: ` +
            `the CORS rule in storage.yaml names the origin http://localhost:${port}. Stop whatever listens there (another test run?).`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const v6 = http.createServer(handler);
  const haveV6 = await listen(v6, port, '::1').then(
    () => true,
    () => false, // no IPv6 loopback, or it is taken: Chromium falls back to 127.0.0.1
  );
  return {
    async close() {
      await closeServer(v4);
      if (haveV6) await closeServer(v6);
    },
  };
}
