import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ExitCode, UserError } from '../core/errors.js';
import { isSecretsFile } from '../secrets/file-sink.js';

async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [x, y] = await Promise.all([stat(a), stat(b)]);
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks (before anything is read from or changed in AWS) that `path` can receive the output:
 * not the -f file, not a directory, its directory exists and is writable (files are written
 * through a temporary file beside them and renamed), and an existing file is writable. Returns
 * whether the file exists.
 */
async function checkOutputPath(path: string, flag: string, configFile: string): Promise<boolean> {
  const fail = (what: string, hint: string): never => {
    throw new UserError(`${flag} ${path}: ${what}; nothing was read or changed`, ExitCode.error, hint);
  };
  if (await sameFile(path, configFile)) fail(`is the configuration file (-f ${configFile}); it would be overwritten`, `name another file, e.g. ${flag} ${flag === '--secrets-out' ? 'secrets.json' : 'plan.json'}`);
  let exists = false;
  try {
    const info = await stat(path);
    if (info.isDirectory()) fail('is a directory', 'name a file inside it');
    if (!info.isFile()) fail('is not a regular file', 'name a regular file');
    exists = true;
  } catch (err) {
    if (err instanceof UserError) throw err;
  }
  const dir = dirname(resolve(path));
  let dirInfo: Awaited<ReturnType<typeof stat>>;
  try {
    dirInfo = await stat(dir);
  } catch {
    return fail(`the directory ${dir} does not exist`, `create it first (mkdir -p ${dir})`);
  }
  if (!dirInfo.isDirectory()) fail(`${dir} is not a directory`, 'name a file in an existing directory');
  if (!(await writable(dir))) fail(`the directory ${dir} is not writable`, 'choose a directory you can write to');
  if (exists && !(await writable(path))) fail('the file is not writable', 'choose a file you can write to');
  return exists;
}

/** `--secrets-out`: also refuses an existing file that is not a secrets file reconcile wrote. */
export async function checkSecretsOut(path: string, configFile: string): Promise<void> {
  if (!(await checkOutputPath(path, '--secrets-out', configFile))) return;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(`--secrets-out ${path}: the file cannot be read; nothing was read or changed`, ExitCode.error, 'choose a file you can read and write');
  }
  if (!isSecretsFile(text)) {
    throw new UserError(
      `--secrets-out ${path}: the file exists and is not a secrets file written by reconcile (a JSON object of {userName: {accessKeyId, secretAccessKey}}); it is never overwritten; nothing was read or changed`,
      ExitCode.error,
      'name a new file, or an existing reconcile secrets file (new keys are added to it)',
    );
  }
}

/** `plan --out`: the plan file must be writable before AWS is read. */
export async function checkPlanOut(path: string, configFile: string): Promise<void> {
  await checkOutputPath(path, '--out', configFile);
}
