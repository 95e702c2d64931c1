import { GetPolicyCommand, GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import { expect, test } from 'vitest';
import { iamClient, runCli, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

/** A file written the way people write: mixed-case and duplicate actions, bare strings, empty Sid, unsorted lists. */
function storageYaml(stack: string, bucket: string, policy: string, extraAction = '', exposeHeader = 'ETag'): string {
  return `version: 1
stack: ${stack}
buckets:
  ${bucket}:
    region: eu-central-1
    cors:
      - AllowedHeaders: [Content-Type, content-type, "x-amz-*"]
        AllowedMethods: [PUT, GET]
        AllowedOrigins: ["https://b.example.com", "https://a.example.com"]
        ExposeHeaders: [${exposeHeader}]
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Deny
          Principal: {"*": "*"}
          Action: "s3:*"
          Resource: ["arn:aws:s3:::${bucket}/*", "arn:aws:s3:::${bucket}"]
          Condition: {Bool: {aws:SecureTransport: false}}
policies:
  ${policy}:
    document:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [S3:GetObject, s3:PutObject, s3:getobject${extraAction}]
          Resource: "arn:aws:s3:::${bucket}/*"
        - Sid: ""
          Effect: Allow
          Action: s3:ListBucket
          Resource: ["arn:aws:s3:::${bucket}"]
          Condition: {StringLike: {S3:Prefix: ["uploads/*"]}}
`;
}

test('a file in other spellings converges: apply, then plan is empty twice; a real change is still shown, in one line, and applied', async () => {
  const stack = uniqueName('spell');
  const bucket = uniqueName('spell-b');
  const policy = uniqueName('spell-p');
  const ws = await workspace(storageYaml(stack, bucket, policy));
  const plan = (...extra: string[]) => runCli(['plan', '--detailed-exitcode', '-f', ws.file, ...extra]);
  const apply = () => runCli(['apply', '--auto-approve', '-f', ws.file]);

  const applied = await apply();
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  expect(applied.stdout).toContain('4 succeeded, 0 failed, 0 skipped, 0 blocked.');
  expect(applied.stdout).not.toContain('non-converging');

  // the user's own spelling was sent
  const iam = iamClient();
  const arn = (await iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::123456789012:policy/${policy}` }))).Policy;
  const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn?.Arn, VersionId: arn?.DefaultVersionId }));
  expect(decodeURIComponent(version.PolicyVersion?.Document ?? '')).toContain('"S3:GetObject"');

  for (let run = 0; run < 2; run++) {
    const again = await plan();
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes.');
  }

  // a real semantic change is not suppressed: one added action, one cosmetic header case change
  await ws.write(storageYaml(stack, bucket, policy, ', s3:DeleteObject', 'etag'));
  const changed = await plan();
  expect(changed.code, changed.stdout + changed.stderr).toBe(2);
  expect(changed.stdout).toContain(`      + Allow s3:DeleteObject on arn:aws:s3:::${bucket}/* [broadens permissions]\n`);
  expect(changed.stdout).toContain('~ rules[0].ExposeHeaders: + etag, - ETag (case only) (cosmetic)');
  expect(changed.stdout).toContain('Plan: 0 to add, 2 to change, 0 to destroy.');
  const markdown = await runCli(['plan', '--format', 'markdown', '-f', ws.file]);
  expect(markdown.stdout).toContain(`+     + Allow s3:DeleteObject on arn:aws:s3:::${bucket}/* [broadens permissions]`);

  const reapplied = await apply();
  expect(reapplied.code, reapplied.stdout + reapplied.stderr).toBe(0);
  expect(reapplied.stdout).toContain('2 succeeded, 0 failed, 0 skipped, 0 blocked.');
  const settled = await plan('--explain');
  expect(settled.code, settled.stdout).toBe(0);
  expect(settled.stdout).toContain('Judged equivalent');
});
