import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { isPlainObject } from '../../core/canonical.js';
import { canonicalPolicy, parsePolicyDocument } from '../iam/policy-document.js';
import { bucketSettingHandler, type BucketSetting } from './setting.js';

/** A bucket policy: an AWS policy document (in the file's spelling until normalized). */
export interface BucketPolicySpec {
  document: unknown;
}

const ACCOUNT_ID = /^\d{12}$/;

function principalValues(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * How S3 reads principals: `{"AWS": "*"}` means everyone, as `"*"` does; a bare account id
 * is stored as that account's root ARN (`arn:aws:iam::123456789012:root`).
 */
export function canonicalPrincipal(principal: unknown): unknown {
  if (!isPlainObject(principal)) return principal;
  const keys = Object.keys(principal);
  if (keys.length === 1 && keys[0] === 'AWS' && principalValues(principal.AWS).every((v) => v === '*')) return '*';
  if (principal.AWS === undefined) return principal;
  const aws = principalValues(principal.AWS).map((v) => (typeof v === 'string' && ACCOUNT_ID.test(v) ? `arn:aws:iam::${v}:root` : v));
  return { ...principal, AWS: aws };
}

/** Canonical bucket policy: S3's principal rules first, then the shared IAM canonical form. */
export function normalizeBucketPolicy(spec: BucketPolicySpec): BucketPolicySpec {
  const doc = parsePolicyDocument(spec.document);
  if (!isPlainObject(doc)) return { document: canonicalPolicy(doc) };
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).map((s: unknown) => {
    if (!isPlainObject(s)) return s;
    const out: Record<string, unknown> = { ...s };
    if (s.Principal !== undefined) out.Principal = canonicalPrincipal(s.Principal);
    if (s.NotPrincipal !== undefined) out.NotPrincipal = canonicalPrincipal(s.NotPrincipal);
    return out;
  });
  return { document: canonicalPolicy({ ...doc, Statement: statements }) };
}

export const bucketPolicy: BucketSetting<BucketPolicySpec> = {
  kind: 's3.bucket.policy',
  notConfigured: ['NoSuchBucketPolicy'],
  normalize: normalizeBucketPolicy,

  async read(s3, bucket) {
    const out = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return out.Policy ? { document: parsePolicyDocument(out.Policy) } : undefined;
  },

  async write(s3, bucket, spec) {
    const document = parsePolicyDocument(spec.document);
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(document) }));
    const count = isPlainObject(document) && Array.isArray(document.Statement) ? document.Statement.length : 1;
    return `bucket policy set (${count} statement(s))`;
  },

  async remove(s3, bucket) {
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    return 'bucket policy removed';
  },
};

export const bucketPolicyHandler = bucketSettingHandler(bucketPolicy);
