import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { describe, expect, test } from 'vitest';
import { runCli, s3Client, uniqueName } from '../support/aws.js';
import { actionsStep } from '../support/actions.js';
import { workspace } from '../support/workspace.js';

/** Lines the runner would read as workflow commands (its rule: the trimmed line starts with `::`). */
function commandLines(text: string): string[] {
  return text.split(/\r?\n|\r/).filter((l) => l.trimStart().startsWith('::'));
}

describe('in GitHub Actions only the tool writes workflow commands', () => {
  test('a CORS origin set out of band with "\\n::stop-commands::" cannot switch off the mask of a new secret', async () => {
    const bucket = uniqueName('inject');
    const user = uniqueName('inject-app');
    const stack = uniqueName('stack');
    const yaml = (withUser: boolean) =>
      ['version: 1', `stack: ${stack}`, 'buckets:', `  ${bucket}:`, '    cors: [{AllowedMethods: [GET], AllowedOrigins: ["https://app.example"]}]', ...(withUser ? ['users:', `  ${user}:`, '    accessKey: true'] : []), ''].join('\n');
    const ws = await workspace(yaml(false));
    expect((await runCli(['apply', '--auto-approve', '-f', ws.file])).code).toBe(0);
    const evil = 'http://a\n::stop-commands::tok\n  ::warning::forged';
    await s3Client().send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: [evil] }] } }));
    await ws.write(yaml(true));

    const step = await actionsStep(ws.dir);
    for (const format of ['text', 'markdown', 'json']) {
      const planned = await runCli(['plan', '-f', ws.file, '--format', format], { env: step.env });
      expect(planned.code, planned.stderr).toBe(0);
      const forged = (text: string) => commandLines(text).filter((l) => /stop-commands|forged/.test(l));
      expect(forged(planned.stdout), format).toEqual([]);
      expect(forged(planned.stderr), format).toEqual([]);
      // the only workflow command plan writes is the mask of the credentials in the environment
      expect(commandLines(planned.stdout), format).toEqual(['::add-mask::test']);
    }
    const drift = await runCli(['drift', '-f', ws.file], { env: step.env });
    expect(commandLines(drift.stdout).filter((l) => !l.startsWith('::warning file=') && l !== '::add-mask::test')).toEqual([]);

    const applied = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets], { env: step.env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const commands = commandLines(applied.stdout);
    expect(commands.some((l) => l.startsWith('::add-mask::'))).toBe(true);
    expect(commands.filter((l) => /stop-commands|::warning::forged/.test(l))).toEqual([]);
    // shown escaped, on the line of the change it belongs to
    expect(applied.stdout).toContain('- http://a\\n::stop-commands::tok\\n  ::warning::forged');
  });

  test('outside Actions the report is left as it is', async () => {
    const out = await runCli(['validate', '-f', '/nonexistent/::x.yaml']);
    expect(out.stderr).toContain('/nonexistent/::x.yaml error RC1001');
  });
});
