import { CreatePolicyCommand, CreateUserCommand, GetPolicyCommand, GetUserCommand, ListAttachedUserPoliciesCommand, ListPolicyTagsCommand } from '@aws-sdk/client-iam';
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { iamClient, runCli, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

/** A policy without path or description, attached to a user without a path. */
function policyAndUser(stack: string, policy: string, user: string): string {
  return [
    `version: 1`,
    `stack: ${stack}`,
    `policies:`,
    `  ${policy}:`,
    `    document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:ListAllMyBuckets", Resource: "*"}]}`,
    `users:`,
    `  ${user}:`,
    `    policies: [${policy}]`,
    '',
  ].join('\n');
}

const ACCOUNT = '123456789012';
const DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] });

async function exists(arn: string): Promise<boolean> {
  try {
    await iamClient().send(new GetPolicyCommand({ PolicyArn: arn }));
    return true;
  } catch {
    return false;
  }
}

describe('policies are found by name, whatever their path', () => {
  test('a path change is a replace (needs --allow-replace), the old policy is deleted and the user re-attached to the new one', async () => {
    const stack = uniqueName('stack');
    const policy = uniqueName('moved');
    const user = uniqueName('moved-user');
    const ws = await workspace();
    const write = (path: string) =>
      ws.write(
        [
          `version: 1`,
          `stack: ${stack}`,
          `policies:`,
          `  ${policy}:`,
          `    path: ${path}`,
          `    document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:ListAllMyBuckets", Resource: "*"}]}`,
          `users:`,
          `  ${user}:`,
          `    policies: [${policy}]`,
          '',
        ].join('\n'),
      );
    const oldArn = `arn:aws:iam::${ACCOUNT}:policy/a/${policy}`;
    const newArn = `arn:aws:iam::${ACCOUNT}:policy/b/${policy}`;
    await write('/a/');
    expect((await runCli(['apply', '--auto-approve', '-f', ws.file])).code).toBe(0);

    await write('/b/');
    const planned = await runCli(['plan', '-f', ws.file]);
    expect(planned.stdout).toContain(`-/+ policy.${policy}`);
    expect(planned.stdout).not.toMatch(new RegExp(`^\\s*\\+ policy\\.${policy}`, 'm'));
    const blocked = await runCli(['apply', '--auto-approve', '-f', ws.file]);
    expect(blocked.code, blocked.stdout).toBe(4);
    expect(blocked.stdout).toContain('pass --allow-replace');
    expect(await exists(oldArn)).toBe(true);
    expect(await exists(newArn)).toBe(false);

    const replaced = await runCli(['apply', '--auto-approve', '--allow-replace', '-f', ws.file]);
    expect(replaced.code, replaced.stdout + replaced.stderr).toBe(0);
    expect(await exists(oldArn)).toBe(false);
    expect(await exists(newArn)).toBe(true);
    const attached = await iamClient().send(new ListAttachedUserPoliciesCommand({ UserName: user }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([newArn]);
    const converged = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(converged.code, converged.stdout).toBe(0);
    const drift = await runCli(['drift', '-f', ws.file]);
    expect(drift.code, drift.stdout).toBe(0);
  });

  test('an unmanaged policy at another path, declared without path or description, is adopted in place (not created, not moved, not replaced)', async () => {
    const stack = uniqueName('stack');
    const policy = uniqueName('legacy-pol');
    const user = uniqueName('legacy-user');
    await iamClient().send(new CreatePolicyCommand({ PolicyName: policy, Path: '/legacy/', Description: 'made in the console', PolicyDocument: DOCUMENT }));
    await iamClient().send(new CreateUserCommand({ UserName: user, Path: '/legacy/' }));
    const arn = `arn:aws:iam::${ACCOUNT}:policy/legacy/${policy}`;
    const ws = await workspace(
      policyAndUser(stack, policy, user),
    );
    const planned = await runCli(['plan', '-f', ws.file]);
    expect(planned.stdout).toMatch(new RegExp(`policy\\.${policy} \\(iam\\.policy\\) adopt`));
    expect(planned.stdout).toMatch(new RegExp(`user\\.${user} \\(iam\\.user\\) adopt`));
    expect(planned.stdout).not.toContain('-/+');
    expect(planned.stdout).not.toContain('path');
    expect(planned.stdout).not.toContain('description');

    const applied = await runCli(['apply', '--auto-approve', '--adopt', '-f', ws.file]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const live = (await iamClient().send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
    expect(live?.Description).toBe('made in the console');
    const tags = (await iamClient().send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags ?? [];
    expect(tags).toContainEqual({ Key: 'reconcile:stack', Value: stack });
    expect((await iamClient().send(new GetUserCommand({ UserName: user }))).User?.Path).toBe('/legacy/');
    const attached = await iamClient().send(new ListAttachedUserPoliciesCommand({ UserName: user }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([arn]);
    const converged = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(converged.code, converged.stdout).toBe(0);

    // a declared description is a replace; the path the file leaves out is kept, not reset to "/"
    await ws.write((await readFile(ws.file, 'utf8')).replace(`  ${policy}:\n`, `  ${policy}:\n    description: now declared\n`));
    const replaced = await runCli(['apply', '--auto-approve', '--allow-replace', '-f', ws.file]);
    expect(replaced.code, replaced.stdout + replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain(`-/+ policy.${policy}`);
    expect((await iamClient().send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.Description).toBe('now declared');
    const reattached = await iamClient().send(new ListAttachedUserPoliciesCommand({ UserName: user }));
    expect(reattached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([arn]);
    expect((await runCli(['plan', '--detailed-exitcode', '-f', ws.file])).code).toBe(0);
  });

  test('a create of a policy and user without path or description shows no undeclared defaults, and converges', async () => {
    const stack = uniqueName('stack');
    const policy = uniqueName('plain-pol');
    const user = uniqueName('plain-user');
    const ws = await workspace(
      policyAndUser(stack, policy, user),
    );
    const planned = await runCli(['plan', '--format', 'json', '-f', ws.file]);
    const plan = JSON.parse(planned.stdout) as { changes: { address: string; action: string; after: Record<string, unknown> }[] };
    for (const address of [`policy.${policy}`, `user.${user}`]) {
      const change = plan.changes.find((c) => c.address === address);
      expect(change?.action).toBe('create');
      expect(change?.after).not.toHaveProperty('path');
      expect(change?.after).not.toHaveProperty('description');
    }
    const text = await runCli(['plan', '-f', ws.file]);
    expect(text.stdout).not.toContain('description');
    expect(text.stdout).not.toMatch(/path: "\/"/);
    expect((await runCli(['apply', '--auto-approve', '-f', ws.file])).code).toBe(0);
    expect((await iamClient().send(new GetUserCommand({ UserName: user }))).User?.Path).toBe('/');
    const converged = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(converged.code, converged.stdout).toBe(0);
  });
});
