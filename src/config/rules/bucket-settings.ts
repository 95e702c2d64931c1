import type { RuleContext, RuleFamily } from './context.js';
import { statementsOf } from './policy-documents.js';
import { isObject, list, section, stringsAt } from './view.js';

const S3_ARN = 'arn:aws:s3:::';
const NONCURRENT_ACTIONS = ['NoncurrentVersionExpiration', 'NoncurrentVersionTransitions'] as const;

/** Lifecycle rules are keyed by ID (S3 requires unique IDs; the plan compares rules by ID). */
function lifecycleIds(ctx: RuleContext): void {
  for (const bucket of section(ctx.root, 'buckets')) {
    const first = new Map<string, number>();
    list(bucket.value.lifecycle).forEach((rule, i) => {
      if (!isObject(rule) || typeof rule.ID !== 'string') return;
      const earlier = first.get(rule.ID);
      if (earlier === undefined) {
        first.set(rule.ID, i);
        return;
      }
      ctx.report({
        code: 'RC4201',
        path: [...bucket.path, 'lifecycle', i, 'ID'],
        message: `bucket "${bucket.name}" has two lifecycle rules with ID "${rule.ID}"; S3 requires unique IDs`,
        hint: 'give each rule its own ID',
        related: [{ message: 'first used here', path: [...bucket.path, 'lifecycle', earlier, 'ID'] }],
      });
    });
    if (bucket.value.versioning !== false) continue;
    list(bucket.value.lifecycle).forEach((rule, i) => {
      if (!isObject(rule)) return;
      for (const action of NONCURRENT_ACTIONS) {
        if (!(action in rule)) continue;
        ctx.report({
          code: 'RC4204',
          severity: 'warning',
          path: [...bucket.path, 'lifecycle', i, action],
          key: true,
          message: `${action} never acts on bucket "${bucket.name}": it declares versioning: false, so there are no noncurrent versions`,
          hint: 'set versioning: true, or drop the noncurrent-version action',
        });
      }
    });
  }
}

/** What S3 refuses in a bucket policy, found before any AWS call. */
function bucketPolicies(ctx: RuleContext): void {
  for (const bucket of section(ctx.root, 'buckets')) {
    const document = bucket.value.policy;
    if (!isObject(document)) continue;
    const ownArn = `${S3_ARN}${bucket.name}`;
    for (const { statement, path } of statementsOf(document, [...bucket.path, 'policy'])) {
      if (!('Principal' in statement) && !('NotPrincipal' in statement)) {
        ctx.report({
          code: 'RC4202',
          path,
          message: `a statement of bucket "${bucket.name}"'s policy has no Principal; S3 rejects it ("Missing required field Principal")`,
          hint: 'add Principal: "*" (everyone, usually with a Deny or a Condition) or {AWS: "arn:aws:iam::ACCOUNT:root"}',
        });
      }
      for (const key of ['Resource', 'NotResource'] as const) {
        for (const resource of stringsAt(statement[key], [...path, key])) {
          const value = resource.value;
          // malformed ARNs are the policy-document rules' business; a wildcard bucket part may match
          if (!value.startsWith(S3_ARN)) continue;
          const named = value.slice(S3_ARN.length).split('/')[0] ?? '';
          if (named === bucket.name || /[*?]/.test(named)) continue;
          ctx.report({
            code: 'RC4203',
            path: resource.path,
            message: `the policy of bucket "${bucket.name}" names ${JSON.stringify(value)}; a bucket policy may only name that bucket and its objects (S3: "Policy has invalid resource")`,
            hint: `use ${ownArn} or ${ownArn}/*`,
          });
        }
      }
    }
  }
}

const NO_ENCRYPTION = new Set(['none', 'off', 'disabled', 'false', 'null']);

/** `encryption: none` is a common wish AWS no longer grants: say so rather than "not in enum". */
function noEncryption(ctx: RuleContext): void {
  for (const bucket of section(ctx.root, 'buckets')) {
    const value = bucket.value.encryption;
    if (!('encryption' in bucket.value) || !(value === null || value === false || (typeof value === 'string' && NO_ENCRYPTION.has(value.toLowerCase())))) continue;
    ctx.report({
      code: 'RC4205',
      path: [...bucket.path, 'encryption'],
      message: `bucket "${bucket.name}" cannot be unencrypted: S3 encrypts every new object (SSE-S3 at least) since January 2023`,
      hint: 'write encryption: AES256 (SSE-S3) or encryption: {algorithm: "aws:kms", kmsKeyId: ..., bucketKey: true}, or leave encryption out',
    });
  }
}

export const bucketSettingRules: RuleFamily = {
  name: 'bucket settings',
  check(ctx) {
    noEncryption(ctx);
    lifecycleIds(ctx);
    bucketPolicies(ctx);
  },
};
