import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, uniqueName } from './aws.js';

export interface Workspace {
  dir: string;
  file: string;
  secrets: string;
  write(yaml: string): Promise<void>;
}

/** A temp dir holding a storage.yaml, for running the CLI as a user would. */
export async function workspace(yaml?: string): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'reconcile-'));
  const file = join(dir, 'storage.yaml');
  const ws: Workspace = {
    dir,
    file,
    secrets: join(dir, 'secrets.json'),
    write: (text) => writeFile(file, text),
  };
  if (yaml !== undefined) await ws.write(yaml);
  return ws;
}

export interface FileManagerNames {
  stack: string;
  bucket: string;
  policy: string;
  user: string;
}

/**
 * The repository's own storage.yaml with every AWS name made unique, so tests running in
 * parallel on one emulator never share resources.
 */
export async function fileManagerYaml(): Promise<{ yaml: string; names: FileManagerNames }> {
  const original = await readFile(join(repoRoot, 'storage.yaml'), 'utf8');
  const names: FileManagerNames = {
    stack: uniqueName('stack'),
    bucket: uniqueName('fm-uploads'),
    policy: uniqueName('fm-policy'),
    user: uniqueName('fm-app'),
  };
  const yaml = original
    .replaceAll('acme-file-manager-uploads', names.bucket)
    .replaceAll('file-manager-full-access', names.policy)
    .replaceAll('file-manager-app', names.user)
    .replace(/^stack: .*$/m, `stack: ${names.stack}`);
  return { yaml, names };
}
