import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { OUTPUT_NAMES } from '../../src/github/outputs.js';
import { repoRoot, testEnv, uniqueName } from '../support/aws.js';
import { parseOutputs } from '../support/actions.js';

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; uses?: string; run?: string; env?: Record<string, string> }[] };
}
interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Step[]; environment?: unknown }>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
}

const action = async () => parse(await readFile(join(repoRoot, 'action.yml'), 'utf8')) as ActionYml;
const ACTION_OWN_OUTPUTS = ['exit-code', 'report-path'];
const isReconcile = (uses: string | undefined) => uses !== undefined && (/(^|\/)reconcile@/.test(uses) || uses === './');

async function workflows(): Promise<[string, string, Workflow][]> {
  const dir = join(repoRoot, 'examples/github');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.yml'));
  return Promise.all(names.map(async (n) => {
    const text = await readFile(join(dir, n), 'utf8');
    return [n, text, parse(text) as Workflow] as [string, string, Workflow];
  }));
}

describe('action.yml and the example workflows', () => {
  test('action.yml: composite, inputs command/file/args, outputs mirror the CLI’s', async () => {
    const a = await action();
    expect(a.runs.using).toBe('composite');
    expect(Object.keys(a.inputs).sort()).toEqual(['args', 'command', 'file']);
    expect(Object.keys(a.outputs).sort()).toEqual([...OUTPUT_NAMES, ...ACTION_OWN_OUTPUTS].sort());
    for (const [name, o] of Object.entries(a.outputs)) expect(o.value).toBe(`\${{ steps.run.outputs.${name} }}`);
    expect(a.runs.steps[0]?.uses).toMatch(/^actions\/setup-node@v\d+$/);
  });

  test('the three workflows parse, and use only the inputs and outputs action.yml declares', async () => {
    const a = await action();
    const found = await workflows();
    expect(found.map(([n]) => n).sort()).toEqual(['apply-on-push.yml', 'drift-on-schedule.yml', 'plan-on-pr.yml']);
    for (const [name, text, wf] of found) {
      const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
      const ours = steps.filter((s) => isReconcile(s.uses));
      expect(ours.length, name).toBeGreaterThan(0);
      for (const s of ours) for (const key of Object.keys(s.with ?? {})) expect(Object.keys(a.inputs), `${name}: with.${key}`).toContain(key);
      const ids = new Set(ours.map((s) => s.id).filter(Boolean));
      const referenced = [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)].filter((m) => ids.has(m[1] as string));
      expect(referenced.length, name).toBeGreaterThan(0);
      for (const m of referenced) expect(Object.keys(a.outputs), `${name}: ${m[0]}`).toContain(m[2]);
    }
  });

  test('each workflow does what the README says', async () => {
    const byName = Object.fromEntries((await workflows()).map(([n, text, wf]) => [n, { text, wf }]));
    const plan = byName['plan-on-pr.yml'] as { text: string; wf: Workflow };
    expect(Object.keys(plan.wf.on as object)).toEqual(['pull_request']);
    expect(plan.text).toContain('<!-- reconcile-plan -->');
    expect(plan.text).toContain('updateComment');
    const apply = byName['apply-on-push.yml'] as { text: string; wf: Workflow };
    expect((apply.wf.on as { push: { branches: string[] } }).push.branches).toEqual(['main']);
    expect(apply.wf.concurrency).toEqual({ group: 'reconcile-apply', 'cancel-in-progress': false });
    expect(apply.wf.jobs.apply?.environment).toBe('production');
    expect(apply.text).toContain('aws-actions/configure-aws-credentials@');
    expect(apply.text).toContain('id-token: write');
    expect(apply.text).toContain('--lock-bucket');
    const drift = byName['drift-on-schedule.yml'] as { text: string; wf: Workflow };
    expect((drift.wf.on as { schedule: { cron: string }[] }).schedule[0]?.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    for (const call of ['issues.create', 'issues.update', "state: 'closed'"]) expect(drift.text).toContain(call);
  });

  // run as the runner runs a composite step with `shell: bash`
  test('the action’s run step, executed by bash against the emulator: exit 2 is not a failure; outputs and a clean report', async () => {
    const a = await action();
    const step = a.runs.steps.find((s) => s.id === 'run');
    const dir = await mkdtemp(join(tmpdir(), 'reconcile-action-'));
    await writeFile(join(dir, 'storage.yaml'), ['version: 1', `stack: ${uniqueName('stack')}`, 'buckets:', `  ${uniqueName('action')}: {}`, ''].join('\n'));
    const output = join(dir, 'output.txt');
    await writeFile(output, '');
    const env = {
      ...testEnv(),
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: output,
      GITHUB_ACTION_PATH: repoRoot,
      GITHUB_RUN_ID: '1',
      GITHUB_RUN_ATTEMPT: '1',
      RUNNER_TEMP: dir,
      RECONCILE_COMMAND: 'plan',
      RECONCILE_FILE: 'storage.yaml',
      RECONCILE_ARGS: '--format markdown --detailed-exitcode',
    };
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step?.run ?? 'exit 99'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(result.code, result.stdout).toBe(0);
    const outputs = parseOutputs(await readFile(output, 'utf8'));
    expect(outputs['exit-code']).toBe('2');
    expect(outputs['has-changes']).toBe('true');
    expect(outputs['to-create']).toBe('1');
    const report = await readFile(outputs['report-path'] as string, 'utf8');
    expect(report.startsWith('**Plan: 1 to add, 0 to change, 0 to destroy.**')).toBe(true);
    expect(report).not.toMatch(/^::/m);
    // the log (stdout) still shows it live
    expect(result.stdout).toContain('**Plan: 1 to add');

    const failing = await new Promise<number | null>((resolve) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step?.run ?? ''], { cwd: dir, env: { ...env, RECONCILE_FILE: 'missing.yaml' }, stdio: 'ignore' });
      child.on('close', resolve);
    });
    expect(failing).toBe(1);
  });
});
