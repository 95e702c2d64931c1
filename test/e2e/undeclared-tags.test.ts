import { ListPolicyTagsCommand, ListUserTagsCommand, TagPolicyCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { GetBucketTaggingCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { expect, test } from 'vitest';
import { iamClient, runCli, s3Client, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

/**
 * Tags are managed only when the file writes them (top-level defaults or the resource's own):
 * a file without tags leaves the finance team's cost tags alone; once it declares tags, they are
 * the exact set.
 */
test('tags nobody declared are not diffed and survive apply; declared tags are exclusive', async () => {
  const stack = uniqueName('stack');
  const bucket = uniqueName('tags');
  const user = uniqueName('app');
  const policy = uniqueName('pol');
  const file = (extra: string) =>
    [
      `version: 1`,
      `stack: ${stack}`,
      extra,
      `buckets:`,
      `  ${bucket}: {}`,
      `policies:`,
      `  ${policy}:`,
      `    grants: [{bucket: ${bucket}, access: read}]`,
      `users:`,
      `  ${user}:`,
      `    policies: [${policy}]`,
      '',
    ].join('\n');
  const ws = await workspace(file(''));
  const first = await runCli(['apply', '--auto-approve', '-f', ws.file]);
  expect(first.code, first.stdout + first.stderr).toBe(0);

  const s3 = s3Client();
  const iam = iamClient();
  const current = (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
  await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [...current, { Key: 'cost-center', Value: '42' }] } }));
  await iam.send(new TagUserCommand({ UserName: user, Tags: [{ Key: 'cost-center', Value: '42' }] }));
  const arn = `arn:aws:iam::123456789012:policy/${policy}`;
  await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'cost-center', Value: '42' }] }));

  const quiet = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
  expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);

  // an apply that does write the bucket's tags (adopting back the stack tag) keeps the others
  const stripped = (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
  await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: stripped.filter((t) => t.Key !== 'reconcile:stack') } }));
  const adopted = await runCli(['apply', '--auto-approve', '--adopt', '-f', ws.file]);
  expect(adopted.code, adopted.stdout + adopted.stderr).toBe(0);
  const bucketTags = (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
  expect(bucketTags).toContainEqual({ Key: 'cost-center', Value: '42' });
  expect(bucketTags).toContainEqual({ Key: 'reconcile:stack', Value: stack });

  // declared tags are the exact set: the undeclared key is now a change, and apply removes it
  await ws.write(file('tags: {app: files}'));
  const exact = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
  expect(exact.code, exact.stdout + exact.stderr).toBe(2);
  expect(exact.stdout).toContain('- tag cost-center (was "42")');
  const applied = await runCli(['apply', '--auto-approve', '-f', ws.file]);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  const userTags = (await iam.send(new ListUserTagsCommand({ UserName: user }))).Tags ?? [];
  expect(userTags.map((t) => t.Key)).not.toContain('cost-center');
  const policyTags = (await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags ?? [];
  expect(policyTags).toContainEqual({ Key: 'app', Value: 'files' });
  expect((await runCli(['plan', '--detailed-exitcode', '-f', ws.file])).code).toBe(0);
});
