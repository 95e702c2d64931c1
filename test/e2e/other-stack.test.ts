import { CreateBucketCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli, s3Client, uniqueName } from '../support/aws.js';
import { workspace, type Workspace } from '../support/workspace.js';

describe('a declared bucket that belongs to another stack', () => {
  let ws: Workspace;
  let foreign: string;
  const owner = uniqueName('other-team');

  beforeAll(async () => {
    foreign = uniqueName('theirs');
    await s3Client().send(new CreateBucketCommand({ Bucket: foreign }));
    await s3Client().send(new PutBucketTaggingCommand({ Bucket: foreign, Tagging: { TagSet: [{ Key: 'reconcile:stack', Value: owner }] } }));
    ws = await workspace();
  });

  test('plan ends "Plan failed: 1 error(s); nothing else would change", never "No changes." (text, markdown, json)', async () => {
    await ws.write(['version: 1', `stack: ${uniqueName('stack')}`, 'buckets:', `  ${foreign}: {}`, ''].join('\n'));
    const text = await runCli(['plan', '-f', ws.file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`error bucket.${foreign}: exists and belongs to stack "${owner}"`);
    expect(text.stdout).not.toContain('No changes.');
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('Plan failed: 1 error(s); nothing else would change.');
    const md = await runCli(['plan', '-f', ws.file, '--format', 'markdown']);
    expect(md.stdout).toContain('**Plan failed: 1 error(s); nothing else would change.**');
    expect(md.stdout).not.toContain('No changes.');
    const json = JSON.parse((await runCli(['plan', '-f', ws.file, '--format', 'json'])).stdout);
    expect(json.summary).toEqual({ add: 0, change: 0, destroy: 0, errors: 1 });
    expect(json.errors[0]).toMatchObject({ address: `bucket.${foreign}`, owner });
  });

  test('drift reports it as unmanaged, with the owner, and exits 2', async () => {
    await ws.write(['version: 1', `stack: ${uniqueName('stack')}`, 'buckets:', `  ${foreign}: {}`, ''].join('\n'));
    const drift = await runCli(['drift', '-f', ws.file, '--format', 'json']);
    expect(drift.code, drift.stderr).toBe(2);
    const report = JSON.parse(drift.stdout);
    expect(report.items).toEqual([expect.objectContaining({ status: 'unmanaged', address: `bucket.${foreign}`, kind: 's3.bucket', source: `/buckets/${foreign}` })]);
    expect(report.items[0].reason).toContain(`belongs to stack "${owner}"`);
    expect(report.counts.unmanaged).toBe(1);
    const text = await runCli(['drift', '-f', ws.file]);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(new RegExp(`unmanaged +bucket\\.${foreign}`));
  });
});
