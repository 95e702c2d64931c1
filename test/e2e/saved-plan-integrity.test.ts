import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateUserCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetBucketCorsCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import { iamClient, runCli, s3Client, uniqueName } from '../support/aws.js';
import { workspace, type Workspace } from '../support/workspace.js';

interface SavedChange {
  address: string;
  kind: string;
  action: string;
  desired: Record<string, unknown>;
  dependsOn: string[];
  orphan?: boolean;
}

/** A saved plan as JSON, edited in place by `edit`. */
async function tamper(path: string, edit: (changes: SavedChange[]) => void): Promise<void> {
  const plan = JSON.parse(await readFile(path, 'utf8')) as { changes: SavedChange[] };
  edit(plan.changes);
  await writeFile(path, JSON.stringify(plan, null, 2) + '\n');
}

describe('a saved plan is applied only when its changes are what the file declares', () => {
  let ws: Workspace;
  let bucket: string;
  let user: string;
  let victim: string;

  beforeAll(async () => {
    bucket = uniqueName('integrity');
    user = uniqueName('app');
    victim = uniqueName('admin-human');
    await iamClient().send(new CreateUserCommand({ UserName: victim }));
    ws = await workspace(
      [
        'version: 1',
        `stack: ${uniqueName('stack')}`,
        'buckets:',
        `  ${bucket}:`,
        '    cors: [{AllowedMethods: [GET], AllowedOrigins: ["https://app.example"]}]',
        'users:',
        `  ${user}:`,
        '    accessKey: true',
        '',
      ].join('\n'),
    );
  });

  test('access key desired.user edited to another user: exit 3, the mismatch named, nothing applied', async () => {
    const planPath = join(ws.dir, 'key.json');
    expect((await runCli(['plan', '-f', ws.file, '--out', planPath])).code).toBe(0);
    await tamper(planPath, (changes) => {
      const key = changes.find((c) => c.kind === 'iam.access-key') as SavedChange;
      key.desired.user = victim;
    });
    const applied = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(3);
    expect(applied.stderr).toContain('is stale; nothing was applied');
    expect(applied.stderr).toContain(`user.${user}.access-key: the saved change is not what the file declares`);
    expect(applied.stderr).toContain('desired spec differs from the file at /user');
    expect((await iamClient().send(new ListAccessKeysCommand({ UserName: victim }))).AccessKeyMetadata).toEqual([]);
    await expect(s3Client().send(new GetBucketCorsCommand({ Bucket: bucket }))).rejects.toThrow();
  });

  test('CORS rules or dependsOn edited, or a declared resource turned into a delete: each refused and named', async () => {
    const planPath = join(ws.dir, 'cors.json');
    expect((await runCli(['plan', '-f', ws.file, '--out', planPath])).code).toBe(0);
    const pristine = await readFile(planPath, 'utf8');
    await tamper(planPath, (changes) => {
      const cors = changes.find((c) => c.kind === 's3.bucket.cors') as SavedChange;
      (cors.desired.rules as { AllowedOrigins: string[] }[])[0]!.AllowedOrigins = ['*'];
      const attach = changes.find((c) => c.kind === 'iam.access-key') as SavedChange;
      attach.dependsOn = [];
    });
    const applied = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(3);
    expect(applied.stderr).toContain(`bucket.${bucket}.cors: the saved change is not what the file declares`);
    expect(applied.stderr).toMatch(/desired spec differs from the file at \/rules\/0\/AllowedOrigins/);
    expect(applied.stderr).toContain('dependsOn differs from the file');

    await writeFile(planPath, pristine);
    await tamper(planPath, (changes) => {
      const b = changes.find((c) => c.kind === 's3.bucket') as SavedChange;
      b.action = 'delete';
      b.orphan = true;
    });
    const deleted = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
    expect(deleted.code, deleted.stdout + deleted.stderr).toBe(3);
    expect(deleted.stderr).toContain(`bucket.${bucket}: the plan deletes a resource the file declares`);

    // the untouched plan still applies
    await writeFile(planPath, pristine);
    const ok = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
  });
});

describe('saved plan messages', () => {
  test('consent flags given to apply plan.json are reported as having no effect', async () => {
    const ws = await workspace(['version: 1', `stack: ${uniqueName('stack')}`, 'buckets:', `  ${uniqueName('consent')}: {}`, ''].join('\n'));
    const planPath = join(ws.dir, 'plan.json');
    expect((await runCli(['plan', '-f', ws.file, '--out', planPath])).code).toBe(0);
    const applied = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file, '--prune', '--allow-replace']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain(`warning: --prune, --allow-replace have no effect on this saved plan: no action in ${planPath} needs it, and a saved plan gains no actions at apply`);
    expect(applied.stderr).toContain(`pass --prune --allow-replace to \`reconcile plan --out ${planPath}\``);
    const quiet = await runCli(['plan', '-f', ws.file, '--out', planPath]);
    expect(quiet.stderr).not.toContain('no effect');
  });

  test('apply plan.json -f other.yaml names other.yaml, and the hint says -f', async () => {
    const ws = await workspace(['version: 1', `stack: ${uniqueName('stack')}`, 'buckets:', `  ${uniqueName('named')}: {}`, ''].join('\n'));
    const planPath = join(ws.dir, 'plan.json');
    expect((await runCli(['plan', '--out', planPath], { cwd: ws.dir })).code).toBe(0);
    const other = join(ws.dir, 'other.yaml');
    await writeFile(other, (await readFile(ws.file, 'utf8')) + '# edited\n');
    const applied = await runCli(['apply', planPath, '--auto-approve', '-f', other], { cwd: ws.dir });
    expect(applied.code, applied.stderr).toBe(3);
    expect(applied.stderr).toContain(`${other} is not the file the plan was made from (storage.yaml)`);
    expect(applied.stderr).toContain(`reconcile plan -f ${other} --out ${planPath}`);
  });

  test('validate -f missing.yaml labels the error with the given path', async () => {
    const result = await runCli(['validate', '-f', 'nonexist.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nonexist.yaml error RC1001 file not found: nonexist.yaml');
    expect(result.stderr).not.toContain('storage.yaml');
  });

  test('show refuses a malformed plan with a clear message (exit 1)', async () => {
    const ws = await workspace();
    const planPath = join(ws.dir, 'bad.json');
    const base = { formatVersion: 2, toolVersion: '0.0.0', stack: 's', file: 'storage.yaml', fileHash: 'x', createdAt: 'now', errors: [], summary: { add: 0, change: 0, destroy: 0 }, fingerprints: {} };
    await writeFile(planPath, JSON.stringify({ ...base, changes: [{ address: 'x' }] }));
    const shown = await runCli(['show', planPath]);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toBe('');
    expect(shown.stderr).toContain(`${planPath} is not a valid reconcile plan: changes[0] (x) has no string "name"`);
    await writeFile(planPath, JSON.stringify({ ...base, changes: [{ address: 'x', name: 'x', source: '/x', kind: 'iam.user', action: 'explode', dependsOn: [] }] }));
    const action = await runCli(['show', planPath]);
    expect(action.code).toBe(1);
    expect(action.stderr).toContain('changes[0] (x) has an unknown action "explode"');
  });
});
