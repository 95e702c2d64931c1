import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreatePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type CORSRule,
} from '@aws-sdk/client-s3';
import { describe, expect, test } from 'vitest';
import type { Plan } from '../../src/plan/model.js';
import { detailLine, userDetails } from '../../src/plan/render/details.js';
import { iamClient, runCli, s3Client, uniqueName } from '../support/aws.js';
import { corpusDir, readCase, type Expected } from '../support/corpus.js';
import { workspace } from '../support/workspace.js';

type Spec = Record<string, unknown>;

/** IAM stores the document decoded; URL-encoding is only how it answers. */
function storedDocument(text: string): string {
  return text.trim().startsWith('{') ? text : decodeURIComponent(text);
}

function tagSet(tags: unknown): { Key: string; Value: string }[] {
  return Object.entries((tags ?? {}) as Record<string, string>).map(([Key, Value]) => ({ Key, Value }));
}

/** Put one observed answer into the emulator out-of-band, in the form AWS stores it. */
async function putOutOfBand(address: string, spec: Spec, bucket: string, policy: string): Promise<void> {
  const region = bucketRegion;
  const s3 = s3Client(region);
  if (address === `bucket.${bucket}`) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }) }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tagSet(spec.tags) } }));
  } else if (address.endsWith('.cors')) {
    await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: spec.rules as CORSRule[] } }));
  } else if (address.endsWith('.policy') && address.startsWith('bucket.')) {
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: spec.document as string }));
  } else if (address.endsWith('.encryption')) {
    const kms = spec.algorithm === 'aws:kms';
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: kms ? 'aws:kms' : 'AES256' }, ...(kms ? { BucketKeyEnabled: spec.bucketKey === true } : {}) }] },
      }),
    );
  } else if (address.endsWith('.public-access-block')) {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: spec.blockPublicAcls === true,
          IgnorePublicAcls: spec.ignorePublicAcls === true,
          BlockPublicPolicy: spec.blockPublicPolicy === true,
          RestrictPublicBuckets: spec.restrictPublicBuckets === true,
        },
      }),
    );
  } else if (address.endsWith('.ownership')) {
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: spec.objectOwnership as 'BucketOwnerEnforced' }] } }));
  } else if (address === `policy.${policy}`) {
    await iamClient().send(
      new CreatePolicyCommand({ PolicyName: policy, Path: spec.path as string, PolicyDocument: storedDocument(spec.document as string), Tags: tagSet(spec.tags) }),
    );
  } else {
    throw new Error(`the emulator test cannot put ${address} out-of-band`);
  }
}

// every fixture bucket lives in the same region
const bucketRegion = 'eu-central-1';

/** Order matters: the bucket first, then its settings (a policy is independent). */
function writeOrder(address: string): number {
  return address.split('.').length === 2 && address.startsWith('bucket.') ? 0 : 1;
}

const cases = readdirSync(corpusDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .filter((name) => readCase(name).expected.emulator === true)
  .sort();

describe('normalization corpus against the emulator', () => {
  test('covers the fixtures AWS would accept as stored', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  test.concurrent.each(cases)('%s: put out-of-band as AWS stores it, then plan shows exactly the expected change', async (name) => {
    const dir = join(corpusDir, name);
    const bucket = uniqueName('norm');
    const policy = uniqueName('np');
    const stack = uniqueName('corpus');
    // the policy name contains the bucket name's prefix: replace it first
    const rename = (text: string) => text.replaceAll('acme-uploads-rw', policy).replaceAll('acme-uploads', bucket).replaceAll('"corpus"', JSON.stringify(stack));
    const yaml = rename(await readFile(join(dir, 'storage.yaml'), 'utf8')).replace(/^stack: corpus$/m, `stack: ${stack}`);
    const observed = JSON.parse(rename(await readFile(join(dir, 'observed.json'), 'utf8'))) as Record<string, { spec?: Spec; error?: string }>;
    const expected = JSON.parse(rename(JSON.stringify(readCase(name).expected))) as Expected;

    const entries = Object.entries(observed).sort(([a], [b]) => writeOrder(a) - writeOrder(b));
    for (const [address, answer] of entries) if (answer.spec) await putOutOfBand(address, answer.spec, bucket, policy);

    const ws = await workspace(yaml);
    const result = await runCli(['plan', '--format', 'json', '-f', ws.file]);
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout) as Plan;
    const planned: Record<string, unknown> = {};
    for (const c of plan.changes.filter((c) => c.action !== 'no-op')) {
      const want = expected.changes?.[c.address];
      planned[c.address] = {
        action: c.action,
        ...(want?.details ? { details: userDetails(c).map(detailLine) } : {}),
        ...(want?.internal ? { internal: c.details.filter((d) => d.internal).map((d) => d.path) } : {}),
        ...(want?.broadens !== undefined ? { broadens: c.broadens === true } : {}),
      };
    }
    expect(planned, expected.reason).toEqual(expected.changes ?? {});
  });
});
