import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { describe, expect, test } from 'vitest';
import { runCli, s3Client, uniqueName } from '../support/aws.js';
import { actionsStep, warnings } from '../support/actions.js';
import { fileManagerYaml, workspace } from '../support/workspace.js';

describe('inside GitHub Actions (simulated runner environment)', () => {
  test('plan → summary, outputs; apply → masked secret, grouped log, summary; a converged plan says so', async () => {
    const { yaml, names } = await fileManagerYaml();
    const ws = await workspace(yaml);
    const planStep = await actionsStep(ws.dir, 'plan');
    const planPath = join(ws.dir, 'plan.json');
    const planned = await runCli(['plan', '--out', planPath], { cwd: ws.dir, env: planStep.env });
    expect(planned.code, planned.stderr).toBe(0);
    expect(await planStep.outputs()).toEqual({
      'has-changes': 'true',
      'to-create': '6',
      'to-update': '0',
      'to-replace': '0',
      'to-delete': '0',
      'plan-path': planPath,
    });
    const summary = await planStep.summary();
    expect(summary).toContain(`### reconcile plan · stack \`${names.stack}\``);
    expect(summary).toContain('**Plan: 6 to add, 0 to change, 0 to destroy.**');
    // one collapsed block per resource
    expect(summary.match(/<details><summary>/g)).toHaveLength(6);
    expect(summary).toContain(`<summary><code>+</code> bucket.${names.bucket}.cors</summary>`);

    const applyStep = await actionsStep(ws.dir, 'apply');
    const applied = await runCli(['apply', planPath, '--auto-approve', '--secrets-out', ws.secrets], { cwd: ws.dir, env: applyStep.env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const secret = (JSON.parse(await readFile(ws.secrets, 'utf8')) as Record<string, { secretAccessKey: string }>)[names.user]?.secretAccessKey as string;
    expect(secret.length).toBeGreaterThan(20);
    // the secret appears once: in the ::add-mask:: command, before any other line could carry it
    expect(applied.stdout).toContain(`::add-mask::${secret}`);
    expect(applied.stdout.split(secret)).toHaveLength(2);
    expect(applied.stderr).not.toContain(secret);
    expect(applied.stdout.indexOf(`::add-mask::${secret}`)).toBeLessThan(applied.stdout.indexOf(`user.${names.user}.access-key: create succeeded`));
    expect(applied.stdout).toMatch(/^::group::Apply steps \(6\)$/m);
    expect(applied.stdout).toMatch(/^::endgroup::$/m);
    const applySummary = await applyStep.summary();
    expect(applySummary).toContain('**Apply complete: 6 succeeded.**');
    expect(applySummary).not.toContain(secret);
    expect((await applyStep.outputs())['has-changes']).toBe('true');

    const again = await actionsStep(ws.dir, 'again');
    const converged = await runCli(['plan', '--detailed-exitcode'], { cwd: ws.dir, env: again.env });
    expect(converged.code, converged.stdout).toBe(0);
    expect((await again.outputs())['has-changes']).toBe('false');
    expect(await again.summary()).toContain('**No changes.**');
  });

  test('a resource that cannot be planned gets a warning annotation at the line declaring it', async () => {
    const bucket = uniqueName('wrong-region');
    await s3Client('us-east-1').send(new CreateBucketCommand({ Bucket: bucket }));
    const ws = await workspace(['version: 1', `stack: ${uniqueName('stack')}`, 'buckets:', `  ${bucket}:`, '    region: eu-west-1', ''].join('\n'));
    const step = await actionsStep(ws.dir);
    const planned = await runCli(['plan'], { cwd: ws.dir, env: step.env });
    expect(planned.code).toBe(1);
    const [warning, ...rest] = warnings(planned.stdout);
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ file: 'storage.yaml', line: 4 });
    expect(warning?.message).toContain(`bucket.${bucket}: the bucket exists in us-east-1`);
  });

  test('outside Actions nothing of this is written', async () => {
    const ws = await workspace(['version: 1', `stack: ${uniqueName('stack')}`, 'buckets:', `  ${uniqueName('quiet')}: {}`, ''].join('\n'));
    const step = await actionsStep(ws.dir);
    const planned = await runCli(['plan'], { cwd: ws.dir, env: { ...step.env, GITHUB_ACTIONS: undefined } as Record<string, string> });
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).not.toContain('::');
    expect(await step.summary()).toBe('');
    expect(await step.outputs()).toEqual({});
  });
});
