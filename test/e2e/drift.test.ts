import { CreateBucketCommand, GetBucketCorsCommand, GetBucketTaggingCommand, PutBucketCorsCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli, s3Client, uniqueName } from '../support/aws.js';
import { actionsStep, warnings } from '../support/actions.js';
import { fileManagerYaml, workspace, type FileManagerNames, type Workspace } from '../support/workspace.js';

function lineOf(yaml: string, text: string): number {
  return yaml.split('\n').findIndex((l) => l.startsWith(text)) + 1;
}

describe('reconcile drift', () => {
  let ws: Workspace;
  let yaml: string;
  let names: FileManagerNames;
  const s3 = () => s3Client('eu-central-1');

  beforeAll(async () => {
    ({ yaml, names } = await fileManagerYaml());
    ws = await workspace(yaml);
    const applied = await runCli(['apply', '--auto-approve', '--secrets-out', ws.secrets], { cwd: ws.dir });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  });

  test('converged: exit 0 and an empty-drift summary; the digest tag is recorded and never shows in a plan', async () => {
    const tags = await s3().send(new GetBucketTaggingCommand({ Bucket: names.bucket }));
    expect(tags.TagSet?.find((t) => t.Key === 'reconcile:digest')?.Value).toMatch(/^[0-9a-f]{16}$/);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd: ws.dir })).code).toBe(0);

    const step = await actionsStep(ws.dir, 'clean');
    const drift = await runCli(['drift'], { cwd: ws.dir, env: step.env });
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    expect(drift.stdout).toContain('No drift: 3 resource(s) match storage.yaml.');
    expect(warnings(drift.stdout)).toEqual([]);
    expect(await step.summary()).toContain('**No drift: 3 resource\\(s\\) match storage.yaml.**');
    expect(await step.outputs()).toEqual({ 'has-drift': 'false', drifted: '0', pending: '0', missing: '0', orphaned: '0', unmanaged: '0' });
  });

  test('an out-of-band CORS change: exit 2, the bucket drifted, annotated at its line; drift wrote nothing', async () => {
    const rogue = [{ AllowedMethods: ['GET', 'DELETE'], AllowedOrigins: ['*'] }];
    await s3().send(new PutBucketCorsCommand({ Bucket: names.bucket, CORSConfiguration: { CORSRules: rogue } }));
    const step = await actionsStep(ws.dir, 'drifted');
    const drift = await runCli(['drift'], { cwd: ws.dir, env: step.env });
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    const line = lineOf(yaml, `  ${names.bucket}:`);
    expect(drift.stdout).toContain(`drifted   bucket.${names.bucket} (storage.yaml:${line})`);
    expect(drift.stdout).toContain(`bucket.${names.bucket}.cors: differs`);
    expect(drift.stdout).toContain('Drift: 1 drifted, 0 pending, 0 missing, 0 orphaned, 0 unmanaged (2 in sync).');
    expect(warnings(drift.stdout)).toEqual([{ file: 'storage.yaml', line, message: expect.stringContaining(`bucket.${names.bucket}: drifted — changed outside reconcile since the last apply`) }]);
    expect((await step.outputs())['drifted']).toBe('1');
    expect((await step.outputs())['has-drift']).toBe('true');
    const summary = await step.summary();
    expect(summary).toContain('| drifted |');
    expect(summary).toContain(`<details><summary>drifted: bucket.${names.bucket}</summary>`);
    expect((await s3().send(new GetBucketCorsCommand({ Bucket: names.bucket }))).CORSRules?.[0]?.AllowedMethods).toEqual(['GET', 'DELETE']);

    const json = JSON.parse((await runCli(['drift', '--format', 'json'], { cwd: ws.dir })).stdout);
    expect(json.formatVersion).toBe(1);
    expect(json.items).toEqual([expect.objectContaining({ status: 'drifted', address: `bucket.${names.bucket}`, source: `/buckets/${names.bucket}` })]);
    const md = await runCli(['drift', '--format', 'markdown'], { cwd: ws.dir });
    expect(md.stdout.split('\n')[0]).toBe('**Drift: 1 drifted, 0 pending, 0 missing, 0 orphaned, 0 unmanaged \\(2 in sync\\).**');
  });

  test('pending (file edited, not applied), missing (declared, absent), unmanaged (exists without our tag), orphaned (our tag, not declared)', async () => {
    const foreign = uniqueName('foreign');
    await s3().send(new CreateBucketCommand({ Bucket: foreign, CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } }));
    const orphan = uniqueName('orphan');
    await s3().send(new CreateBucketCommand({ Bucket: orphan, CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } }));
    await s3().send(new PutBucketTaggingCommand({ Bucket: orphan, Tagging: { TagSet: [{ Key: 'reconcile:stack', Value: names.stack }] } }));
    const absent = uniqueName('absent');
    const extended = yaml
      .replace('http://localhost:5173', 'https://app.example')
      .replace(/^buckets:\n/m, `buckets:\n  ${absent}: {}\n  ${foreign}: {}\n`);
    await ws.write(extended);
    try {
      const drift = await runCli(['drift', '--format', 'json'], { cwd: ws.dir });
      expect(drift.code, drift.stderr).toBe(2);
      const report = JSON.parse(drift.stdout);
      const status = Object.fromEntries(report.items.map((i: { address: string; status: string }) => [i.address, i.status]));
      expect(status).toEqual({
        [`bucket.${absent}`]: 'missing',
        [`bucket.${foreign}`]: 'unmanaged',
        [`bucket.${names.bucket}`]: 'pending',
        [`bucket.${orphan}`]: 'orphaned',
      });
      expect(report.counts).toEqual({ drifted: 0, pending: 1, missing: 1, orphaned: 1, unmanaged: 1 });
    } finally {
      await ws.write(yaml);
    }
  });
});
