import { join } from 'node:path';
import { AttachUserPolicyCommand, CreatePolicyCommand, CreateUserCommand, DetachUserPolicyCommand, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { describe, expect, test } from 'vitest';
import { iamClient, runCli, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

const ACCOUNT = '123456789012';
const DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] });

async function attached(user: string): Promise<string[]> {
  const out = await iamClient().send(new ListAttachedUserPoliciesCommand({ UserName: user }));
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '').sort();
}

interface DriftJson {
  items: { status: string; address: string; details: string[] }[];
}

describe("a user's declared policies list is exclusive", () => {
  test('removed from the file or attached out of band: planned as a detach, applied without --prune, reported by drift, saved plans included', async () => {
    const stack = uniqueName('stack');
    const [a, b] = [uniqueName('pol-a'), uniqueName('pol-b')];
    const user = uniqueName('excl-user');
    const bystander = uniqueName('no-list-user');
    const extra = uniqueName('console-pol');
    const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
    const ws = await workspace();
    const write = (policies: string[]) =>
      ws.write(
        [
          `version: 1`,
          `stack: ${stack}`,
          `policies:`,
          ...[a, b].flatMap((p) => [`  ${p}:`, `    document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:ListAllMyBuckets", Resource: "*"}]}`]),
          `users:`,
          `  ${user}:`,
          `    policies: [${policies.join(', ')}]`,
          `  ${bystander}: {}`,
          '',
        ].join('\n'),
      );
    await iamClient().send(new CreatePolicyCommand({ PolicyName: extra, PolicyDocument: DOCUMENT }));
    await write([a, b]);
    const first = await runCli(['apply', '--auto-approve', '-f', ws.file]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(await attached(user)).toEqual([arn(a), arn(b)].sort());

    // a user that declares no policies: attachments are neither read nor touched
    await iamClient().send(new AttachUserPolicyCommand({ UserName: bystander, PolicyArn: arn(extra) }));
    expect((await runCli(['plan', '--detailed-exitcode', '-f', ws.file])).code).toBe(0);

    // attached out of band to the user with a list: drift (the file did not change), then detached by plain apply
    await iamClient().send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: arn(extra) }));
    const drift = await runCli(['drift', '--format', 'json', '-f', ws.file]);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    const report = JSON.parse(drift.stdout) as DriftJson;
    expect(report.items).toEqual([expect.objectContaining({ status: 'drifted', address: `user.${user}` })]);
    expect(report.items[0]?.details.join('\n')).toContain(`user.${user}.policy[${extra}]: delete`);
    const planned = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(planned.code, planned.stdout).toBe(2);
    expect(planned.stdout).toContain(`- user.${user}.policy[${extra}]`);
    expect(planned.stdout).toContain(`detach ${arn(extra)}`);
    expect(planned.stdout).toContain('Plan: 0 to add, 0 to change, 1 to destroy.');
    const fixed = await runCli(['apply', '--auto-approve', '-f', ws.file]);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(await attached(user)).toEqual([arn(a), arn(b)].sort());
    expect(await attached(bystander)).toEqual([arn(extra)]);
    expect((await runCli(['plan', '--detailed-exitcode', '-f', ws.file])).code).toBe(0);
    expect((await runCli(['drift', '-f', ws.file])).code).toBe(0);

    // removed from the file: pending in drift; a saved plan shows and applies the detach
    await write([a]);
    const pending = JSON.parse((await runCli(['drift', '--format', 'json', '-f', ws.file])).stdout) as DriftJson;
    expect(pending.items).toEqual([expect.objectContaining({ status: 'pending', address: `user.${user}` })]);
    const planPath = join(ws.dir, 'plan.json');
    const saved = await runCli(['plan', '--out', planPath, '-f', ws.file]);
    expect(saved.code, saved.stdout + saved.stderr).toBe(0);
    expect(saved.stdout).toContain(`- user.${user}.policy[${b}]`);
    expect(saved.stdout).toContain('Plan: 0 to add, 0 to change, 1 to destroy.');
    const applied = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await attached(user)).toEqual([arn(a)]);
    expect((await runCli(['plan', '--detailed-exitcode', '-f', ws.file])).code).toBe(0);
    expect((await runCli(['drift', '-f', ws.file])).code).toBe(0);

    // a saved detach whose attachment went away before apply is stale: exit 3, nothing applied
    await iamClient().send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: arn(b) }));
    expect((await runCli(['plan', '--out', planPath, '-f', ws.file])).code).toBe(0);
    await iamClient().send(new DetachUserPolicyCommand({ UserName: user, PolicyArn: arn(b) }));
    const stale = await runCli(['apply', planPath, '--auto-approve', '-f', ws.file]);
    expect(stale.code, stale.stdout + stale.stderr).toBe(3);
    expect(stale.stderr + stale.stdout).toContain(`user.${user}.policy[${b}]`);
  });

  // moto does not load AWS-managed policies (AdministratorAccess): console-made ones, declared by ARN, stand in
  test('a policy attached out of band to an adopted user is detached (the list names ARNs); not before the user is adopted', async () => {
    const stack = uniqueName('stack');
    const user = uniqueName('adopted-user');
    const [adminName, readName] = [uniqueName('console-admin'), uniqueName('console-read')];
    const admin = `arn:aws:iam::${ACCOUNT}:policy/${adminName}`;
    const readOnly = `arn:aws:iam::${ACCOUNT}:policy/ops/${readName}`;
    await iamClient().send(new CreatePolicyCommand({ PolicyName: adminName, PolicyDocument: DOCUMENT }));
    await iamClient().send(new CreatePolicyCommand({ PolicyName: readName, Path: '/ops/', PolicyDocument: DOCUMENT }));
    await iamClient().send(new CreateUserCommand({ UserName: user }));
    await iamClient().send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: admin }));
    const ws = await workspace([`version: 1`, `stack: ${stack}`, `users:`, `  ${user}:`, `    policies: ["${readOnly}"]`, ''].join('\n'));
    const blocked = await runCli(['apply', '--auto-approve', '-f', ws.file]);
    expect(blocked.code, blocked.stdout + blocked.stderr).toBe(4);
    expect(blocked.stdout).toContain(`- user.${user}.policy[${adminName}]`);
    expect(blocked.stdout).toContain("the user's change is blocked");
    expect(await attached(user)).toContain(admin);
    const adopted = await runCli(['apply', '--auto-approve', '--adopt', '-f', ws.file]);
    expect(adopted.code, adopted.stdout + adopted.stderr).toBe(0);
    expect(await attached(user)).toEqual([readOnly]);
    expect((await runCli(['plan', '--detailed-exitcode', '-f', ws.file])).code).toBe(0);
  });
});
