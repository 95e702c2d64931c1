import { expect, test } from 'vitest';
import { runCli, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

test('a policy ARN that does not exist is a plan error naming it, not minutes of "waiting for IAM propagation" at apply', async () => {
  const user = uniqueName('app');
  const ws = await workspace(
    [`version: 1`, `stack: ${uniqueName('stack')}`, `users:`, `  ${user}:`, `    policies: ["arn:aws:iam::123456789012:policy/typo-no-such-policy"]`, ''].join('\n'),
  );
  const started = Date.now();
  const plan = await runCli(['plan', '-f', ws.file]);
  expect(plan.code, plan.stdout + plan.stderr).toBe(1);
  expect(plan.stdout + plan.stderr).toContain('policy arn:aws:iam::123456789012:policy/typo-no-such-policy does not exist');
  const apply = await runCli(['apply', '--auto-approve', '-f', ws.file]);
  expect(apply.code).toBe(1);
  expect(apply.stdout + apply.stderr).not.toContain('waiting for IAM propagation');
  expect(Date.now() - started).toBeLessThan(60_000);
});
