import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { isPlainObject, stableStringify } from '../../core/canonical.js';
import { scoped, type Detail, type Recorder } from '../../core/semantics.js';
import { describePolicyChange } from '../iam/policy-diff.js';
import { actionSpellings, canonicalPolicy, parsePolicyDocument, type CanonicalPolicy } from '../iam/policy-document.js';
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
export function normalizeBucketPolicy(spec: BucketPolicySpec, recorder?: Recorder): BucketPolicySpec {
  const at = scoped(recorder, 'document');
  const doc = parsePolicyDocument(spec.document, at);
  if (!isPlainObject(doc)) return { document: canonicalPolicy(doc, at) };
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).map((s: unknown) => {
    if (!isPlainObject(s)) return s;
    const out: Record<string, unknown> = { ...s };
    for (const key of ['Principal', 'NotPrincipal'] as const) {
      if (s[key] === undefined) continue;
      out[key] = canonicalPrincipal(s[key]);
      if (stableStringify(out[key]) !== stableStringify(s[key])) {
        at?.note({ rule: 'S3 principal spelling (`{"AWS": "*"}` ≡ `"*"`, account id ≡ its root ARN)', path: key, detail: `${JSON.stringify(s[key])} → ${JSON.stringify(out[key])}`, key: stableStringify(s[key]) });
      }
    }
    return out;
  });
  return { document: canonicalPolicy({ ...doc, Statement: statements }, at) };
}

/** Statements added and removed; a statement added to a bucket policy is flagged as broadening. */
export function describeBucketPolicy(before: BucketPolicySpec | null, after: BucketPolicySpec | null, raw: { desired?: BucketPolicySpec; observed?: BucketPolicySpec }): Detail[] {
  const doc = (spec: BucketPolicySpec | null): CanonicalPolicy | null => (spec ? (spec.document as CanonicalPolicy) : null);
  return describePolicyChange(doc(before), doc(after), actionSpellings(raw.desired?.document, raw.observed?.document));
}

export const bucketPolicy: BucketSetting<BucketPolicySpec> = {
  kind: 's3.bucket.policy',
  notConfigured: ['NoSuchBucketPolicy'],
  normalize: normalizeBucketPolicy,
  describe: describeBucketPolicy,

  async read(s3, bucket) {
    const out = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    // kept as S3 returns it (JSON text): normalize parses it, and `plan --explain` can say so
    return out.Policy ? { document: out.Policy } : undefined;
  },

  async write(s3, bucket, spec) {
    const document = parsePolicyDocument(spec.document);
    // the user's own spelling is what is sent
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: typeof spec.document === 'string' ? spec.document : JSON.stringify(document) }));
    const count = isPlainObject(document) && Array.isArray(document.Statement) ? document.Statement.length : 1;
    return `bucket policy set (${count} statement(s))`;
  },

  async remove(s3, bucket) {
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    return 'bucket policy removed';
  },
};

export const bucketPolicyHandler = bucketSettingHandler(bucketPolicy);
