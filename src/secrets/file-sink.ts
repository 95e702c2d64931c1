import { chmod, open, readFile, rename } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import type { AccessKeySecret, SecretSink } from '../resources/handler.js';

type SecretsFile = Record<string, { accessKeyId: string; secretAccessKey: string }>;

/** True for the text of a secrets file this tool writes: {userName: {accessKeyId, secretAccessKey}}. */
export function isSecretsFile(text: string): boolean {
  // an empty file (e.g. from mktemp) holds nothing to lose
  if (text.trim() === '') return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  return Object.values(parsed).every((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return false;
    const e = entry as Record<string, unknown>;
    return typeof e.accessKeyId === 'string' && typeof e.secretAccessKey === 'string';
  });
}

async function readExisting(path: string): Promise<SecretsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (typeof err === 'object' && err !== null && (err as { code?: string }).code === 'ENOENT') return {};
    throw err;
  }
  // checked before apply began; checked again here, so a file replaced meanwhile is never overwritten
  if (!isSecretsFile(text)) throw new Error(`${path} is not a secrets file written by reconcile; it was not overwritten`);
  return text.trim() === '' ? {} : (JSON.parse(text) as SecretsFile);
}

/**
 * Secrets go to a JSON file readable only by its owner (0600), keyed by user name. Writes go
 * through a temporary file created 0600 and renamed, so the secret is never world-readable.
 */
export class FileSecretSink implements SecretSink {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  describe(): string {
    return this.path;
  }

  deliver(secret: AccessKeySecret): Promise<string> {
    const next = this.queue.then(() => this.write(secret));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(secret: AccessKeySecret): Promise<string> {
    const data = await readExisting(this.path);
    data[secret.userName] = { accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey };
    const tmp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.tmp`);
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(data, null, 2) + '\n');
    } finally {
      await handle.close();
    }
    await chmod(tmp, 0o600);
    await rename(tmp, this.path);
    return this.path;
  }
}
