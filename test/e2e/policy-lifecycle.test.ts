import { GetPolicyCommand, GetPolicyVersionCommand, ListAttachedUserPoliciesCommand, ListPolicyVersionsCommand } from '@aws-sdk/client-iam';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { describe, expect, test } from 'vitest';
import { iamClient, runCli, s3Client, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

const ACCOUNT = '123456789012';

describe('policies', () => {
  test('six successive edits stay within the 5-version limit; a description change is a replace that needs --allow-replace', async () => {
    const stack = uniqueName('stack');
    const policy = uniqueName('edits');
    const user = uniqueName('edits-user');
    const arn = `arn:aws:iam::${ACCOUNT}:policy/${policy}`;
    const ws = await workspace();
    const write = (actions: string[], description = 'v1') =>
      ws.write(
        [
          `version: 1`,
          `stack: ${stack}`,
          `policies:`,
          `  ${policy}:`,
          `    description: ${description}`,
          `    document:`,
          `      Version: "2012-10-17"`,
          `      Statement:`,
          `        - Effect: Allow`,
          `          Action: [${actions.join(', ')}]`,
          `          Resource: "*"`,
          `users:`,
          `  ${user}:`,
          `    policies: [${policy}]`,
          '',
        ].join('\n'),
      );
    const apply = (...flags: string[]) => runCli(['apply', '--auto-approve', ...flags, '-f', ws.file]);
    const actions = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectTagging', 's3:PutObjectTagging'];
    await write(actions.slice(0, 1));
    expect((await apply()).code).toBe(0);

    for (let edit = 1; edit <= 6; edit++) {
      await write(actions.slice(0, edit + 1));
      const result = await apply();
      expect(result.code, result.stdout + result.stderr).toBe(0);
      // AWS holds 5 versions after the 4th edit: from the 5th on, the oldest non-default goes first
      if (edit >= 5) expect(result.stdout).toContain(`delete the oldest non-default version v${edit - 4} (AWS keeps at most 5)`);
      else expect(result.stdout).not.toContain('delete the oldest');
      const versions = (await iamClient().send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [];
      expect(versions.length).toBe(Math.min(edit + 1, 5));
      const current = versions.find((v) => v.IsDefaultVersion);
      expect(current?.VersionId).toBe(`v${edit + 1}`);
      const doc = (await iamClient().send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: current?.VersionId }))).PolicyVersion?.Document ?? '';
      const parsed = JSON.parse(doc.startsWith('{') ? doc : decodeURIComponent(doc)) as { Statement: { Action: string[] }[] };
      expect(parsed.Statement[0]?.Action).toEqual(actions.slice(0, edit + 1));
    }
    const converged = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(converged.code, converged.stdout).toBe(0);

    // description is immutable in AWS: replace (detach, delete, create, re-attach), only with consent
    await write(actions, 'v2');
    const blocked = await apply();
    expect(blocked.code, blocked.stdout).toBe(4);
    expect(blocked.stdout).toContain(`-/+ policy.${policy}`);
    expect(blocked.stdout).toContain('blocked: replacing deletes the resource and creates it again: pass --allow-replace');
    expect(blocked.stdout).toContain(`detach from user/${user}`);
    expect((await iamClient().send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.Description).toBe('v1');
    const replaced = await apply('--allow-replace');
    expect(replaced.code, replaced.stdout + replaced.stderr).toBe(0);
    expect((await iamClient().send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.Description).toBe('v2');
    const attached = await iamClient().send(new ListAttachedUserPoliciesCommand({ UserName: user }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([arn]);
    expect((await runCli(['plan', '--detailed-exitcode', '-f', ws.file])).code).toBe(0);
  });

  test('a policy AWS rejects: independent resources applied, dependents skipped; fixing the file converges', async () => {
    const stack = uniqueName('stack');
    const n = { bucket: uniqueName('independent'), policy: uniqueName('rejected'), user: uniqueName('dependent'), other: uniqueName('other-user') };
    const ws = await workspace();
    const write = (statement: string[]) =>
      ws.write(
        [
          `version: 1`,
          `stack: ${stack}`,
          `buckets:`,
          `  ${n.bucket}: {}`,
          `policies:`,
          `  ${n.policy}:`,
          `    document:`,
          `      Version: "2012-10-17"`,
          `      Statement:`,
          ...statement.map((line) => `        ${line}`),
          `users:`,
          `  ${n.user}:`,
          `    policies: [${n.policy}]`,
          `    accessKey: true`,
          `  ${n.other}: {}`,
          '',
        ].join('\n'),
      );
    await write(REJECTED_STATEMENT);
    const failed = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', `${ws.dir}/secrets.json`]);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(new RegExp(`✗ policy\\.${n.policy}: create failed — .*MalformedPolicyDocument|✗ policy\\.${n.policy}: create failed`));
    expect(failed.stdout).toContain(`user.${n.user}.policy[${n.policy}]: create skipped — policy.${n.policy} did not succeed`);
    expect(failed.stdout).toMatch(new RegExp(`user\\.${n.user}\\.access-key: create skipped`));
    expect(failed.stdout.match(/ failed — /g)).toHaveLength(1); // the root cause, reported once
    expect(failed.stdout).toMatch(/\d+ succeeded, 1 failed, 2 skipped, 0 blocked/);
    await s3Client().send(new HeadBucketCommand({ Bucket: n.bucket }));

    await write([`- Effect: Allow`, `  Action: s3:GetObject`, `  Resource: "arn:aws:s3:::${n.bucket}/*"`]);
    const fixed = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', `${ws.dir}/secrets.json`]);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const converged = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(converged.code, converged.stdout).toBe(0);
  });
});

// accepted by `reconcile validate`, refused by IAM (see the probe in the commit message)
const REJECTED_STATEMENT = [`- Effect: Allow`, `  Action: s3:GetObject`, `  Resource: "arn:aws:s3:::*"`, `  Condition: {NotARealOperator: {"aws:SourceIp": "10.0.0.0/8"}}`];
