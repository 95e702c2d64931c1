import {
  AttachUserPolicyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  ListUserTagsCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  DeleteObjectCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, test } from 'vitest';
import { iamClient, runCli, s3Client, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

const ACCOUNT = '123456789012';
const exists = (promise: Promise<unknown>) => promise.then(() => true, () => false);
const bucketExists = (name: string) => exists(s3Client().send(new HeadBucketCommand({ Bucket: name })));
const userExists = (name: string) => exists(iamClient().send(new GetUserCommand({ UserName: name })));
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

async function bucketTags(name: string): Promise<Record<string, string>> {
  const out = await s3Client().send(new GetBucketTaggingCommand({ Bucket: name })).catch(() => ({ TagSet: [] }));
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key, t.Value]));
}

function output(r: { stdout: string; stderr: string }): string {
  return r.stdout + r.stderr;
}

describe('adoption and conflicts', () => {
  test('an unmanaged bucket and user are adopted only with consent; another stack is a conflict', async () => {
    const stack = uniqueName('stack');
    const bucket = uniqueName('adopt-b');
    const user = uniqueName('adopt-u');
    await s3Client().send(new CreateBucketCommand({ Bucket: bucket }));
    await s3Client().send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'owner', Value: 'console' }] } }));
    await iamClient().send(new CreateUserCommand({ UserName: user, Path: '/legacy/' }));
    const ws = await workspace(
      [`version: 1`, `stack: ${stack}`, `account: "${ACCOUNT}"`, `buckets:`, `  ${bucket}:`, `    tags: {owner: console}`, `users:`, `  ${user}:`, `    path: /legacy/`, `    adopt: true`, ''].join('\n'),
    );

    const planned = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(planned.code, output(planned)).toBe(2);
    expect(planned.stdout).toMatch(new RegExp(`bucket\\.${bucket} \\(s3\\.bucket\\) adopt`));
    expect(planned.stdout).toMatch(new RegExp(`user\\.${user} \\(iam\\.user\\) adopt`));
    expect(planned.stdout).toContain('blocked: not adopted: pass --adopt');

    // adopt: true on the user takes it over; the bucket needs --adopt: blocked, exit 4
    const first = await runCli(['apply', '--auto-approve', '-f', ws.file]);
    expect(first.code, output(first)).toBe(4);
    expect(first.stdout).toContain('1 succeeded, 0 failed, 0 skipped, 1 blocked');
    expect((await bucketTags(bucket))['reconcile:stack']).toBeUndefined();
    const userTags = await iamClient().send(new ListUserTagsCommand({ UserName: user }));
    expect(userTags.Tags).toContainEqual({ Key: 'reconcile:stack', Value: stack });

    const second = await runCli(['apply', '--auto-approve', '--adopt', '-f', ws.file]);
    expect(second.code, output(second)).toBe(0);
    expect(await bucketTags(bucket)).toMatchObject({ owner: 'console', 'reconcile:stack': stack });
    const after = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(after.code, output(after)).toBe(0);

    // the same names claimed by another stack: a conflict, exit 1, nothing touched
    const other = await workspace([`version: 1`, `stack: ${uniqueName('other')}`, `buckets:`, `  ${bucket}: {}`, ''].join('\n'));
    const conflict = await runCli(['apply', '--auto-approve', '--adopt', '-f', other.file]);
    expect(conflict.code, output(conflict)).toBe(1);
    expect(conflict.stdout).toContain(`belongs to stack "${stack}"`);
    expect((await bucketTags(bucket))['reconcile:stack']).toBe(stack);
  });

  test('a file for another account is refused before anything is read or changed', async () => {
    const bucket = uniqueName('wrong-acct');
    const stack = uniqueName('stack');
    const ws = await workspace([`version: 1`, `stack: ${stack}`, `buckets:`, `  ${bucket}: {}`, ''].join('\n'));
    // a plan saved before the file named its account: applying it must be refused too
    const saved = `${ws.dir}/plan.json`;
    expect((await runCli(['plan', '--out', saved, '-f', ws.file])).code).toBe(0);
    await ws.write([`version: 1`, `stack: ${stack}`, `account: "210987654321"`, `buckets:`, `  ${bucket}: {}`, ''].join('\n'));
    for (const args of [['plan'], ['apply', '--auto-approve'], ['apply', '--auto-approve', saved], ['drift']]) {
      const result = await runCli([...args, '-f', ws.file]);
      expect(result.code, output(result)).toBe(1);
      expect(result.stderr).toContain(`credentials are for account ${ACCOUNT}`);
      expect(result.stderr).toContain('declares account 210987654321');
    }
    expect(await bucketExists(bucket)).toBe(false);
  });
});

describe('pruning', () => {
  test('orphans are kept without --prune, deleted in AWS order with it, data only with both opt-ins', async () => {
    const stack = uniqueName('stack');
    const n = {
      keep: uniqueName('keep'),
      empty: uniqueName('orphan-empty'),
      full: uniqueName('orphan-full'),
      versioned: uniqueName('orphan-ver'),
      retained: uniqueName('orphan-retain'),
      user: uniqueName('orphan-user'),
      policy: uniqueName('orphan-pol'),
      outsider: uniqueName('outsider'),
    };
    const ws = await workspace();
    const header = [`version: 1`, `stack: ${stack}`, `buckets:`, `  ${n.keep}: {}`];
    await ws.write(
      [
        ...header,
        `  ${n.empty}: {}`,
        `  ${n.full}: {}`,
        `  ${n.versioned}: {deletion: destroy-data}`,
        `  ${n.retained}: {deletion: retain}`,
        `policies:`,
        `  ${n.policy}:`,
        `    grants: [{bucket: ${n.keep}, access: read}]`,
        `users:`,
        `  ${n.user}:`,
        `    policies: [${n.policy}]`,
        `    accessKey: true`,
        '',
      ].join('\n'),
    );
    const created = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', `${ws.dir}/secrets.json`]);
    expect(created.code, output(created)).toBe(0);

    // data in two buckets; the orphan user gets what AWS makes you remove before DeleteUser;
    // a user outside the stack gets the orphan policy attached (DeletePolicy must detach it first)
    const s3 = s3Client();
    const iam = iamClient();
    await s3.send(new PutObjectCommand({ Bucket: n.full, Key: 'a.txt', Body: 'a' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: n.versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: n.versioned, Key: 'v.txt', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket: n.versioned, Key: 'v.txt', Body: '2' }));
    await s3.send(new DeleteObjectCommand({ Bucket: n.versioned, Key: 'v.txt' }));
    await iam.send(new PutUserPolicyCommand({ UserName: n.user, PolicyName: 'inline', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }) }));
    await iam.send(new CreateLoginProfileCommand({ UserName: n.user, Password: 'Long-enough-password-1!' }));
    await iam.send(new CreateUserCommand({ UserName: n.outsider }));
    await iam.send(new AttachUserPolicyCommand({ UserName: n.outsider, PolicyArn: policyArn(n.policy) }));

    await ws.write([...header, ''].join('\n'));
    const kept = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(kept.code, output(kept)).toBe(0);
    expect(kept.stdout).toContain('Kept (tagged with this stack, no longer in the file):');
    for (const address of [`bucket.${n.empty}`, `bucket.${n.full}`, `user.${n.user}`, `policy.${n.policy}`]) expect(kept.stdout).toContain(address);
    expect(kept.stdout).toContain(`bucket.${n.retained} (s3.bucket) # orphaned (not in the file) with deletion: retain`);
    const keptApply = await runCli(['apply', '--auto-approve', '-f', ws.file]);
    expect(keptApply.code, output(keptApply)).toBe(0);
    expect(await bucketExists(n.empty)).toBe(true);

    const pruned = await runCli(['apply', '--auto-approve', '--prune', '-f', ws.file]);
    expect(pruned.code, output(pruned)).toBe(4);
    // every sub-deletion is listed, in AWS's order
    const userBlock = pruned.stdout.slice(pruned.stdout.indexOf(`- user.${n.user}`));
    const order = ['delete access key', `detach ${policyArn(n.policy)}`, 'delete inline policy inline', 'delete the login profile', 'delete the user'].map((s) => userBlock.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const policyBlock = pruned.stdout.slice(pruned.stdout.indexOf(`- policy.${n.policy}`));
    expect(policyBlock.indexOf(`detach from user/${n.outsider}`)).toBeLessThan(policyBlock.indexOf('delete the policy'));
    expect(pruned.stdout).toMatch(new RegExp(`bucket\\.${n.full}[\\s\\S]*blocked: the bucket holds 1 object\\(s\\), 0 noncurrent version\\(s\\), 0 delete marker\\(s\\)`));
    expect(pruned.stdout).toMatch(new RegExp(`bucket\\.${n.versioned}[\\s\\S]*blocked: the bucket holds 0 object\\(s\\), 2 noncurrent version\\(s\\), 1 delete marker\\(s\\); not emptied or deleted because the run did not pass --allow-data-loss`));
    expect(pruned.stdout).toContain('2 blocked');

    expect(await bucketExists(n.empty)).toBe(false);
    expect(await bucketExists(n.full)).toBe(true);
    expect(await bucketExists(n.versioned)).toBe(true);
    expect(await bucketExists(n.retained)).toBe(true);
    expect(await bucketExists(n.keep)).toBe(true);
    expect(await userExists(n.user), pruned.stdout).toBe(false);
    expect(await exists(iam.send(new GetPolicyCommand({ PolicyArn: policyArn(n.policy) })))).toBe(false);
    // the policy was detached from the outsider before DeletePolicy (moto would not have refused)
    const outsiderPolicies = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: n.outsider }));
    expect(outsiderPolicies.AttachedPolicies ?? []).toEqual([]);

    const destroyed = await runCli(['apply', '--auto-approve', '--prune', '--allow-data-loss', '-f', ws.file]);
    expect(destroyed.code, output(destroyed)).toBe(4);
    expect(destroyed.stdout).toContain('the bucket did not declare deletion: destroy-data');
    expect(await bucketExists(n.versioned)).toBe(false);
    expect(await bucketExists(n.full)).toBe(true);
    expect(await bucketExists(n.retained)).toBe(true);
  });
});
