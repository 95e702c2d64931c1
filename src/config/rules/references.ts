import { didYouMean } from '../did-you-mean.js';
import { bucketNameProblems } from './bucket-names.js';
import type { RuleFamily } from './context.js';
import { isObject, list, section } from './view.js';

const PARTITION = '(aws|aws-cn|aws-us-gov|aws-eusc|aws-iso[a-z-]*)';
const POLICY_ARN = new RegExp(`^arn:${PARTITION}:iam::(aws|\\d{12}):policy/([\\x21-\\x7e]*/)?[A-Za-z0-9+=,.@_-]{1,128}$`);
const BUCKET_ARN = new RegExp(`^arn:${PARTITION}:s3:::([^/]+)$`);

function listing(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown}, … (${names.length} in all)` : shown;
}

/** Cross references the schema cannot express: attachments, grants, unused policies. */
export const referenceRules: RuleFamily = {
  name: 'references',
  check(ctx) {
    const buckets = section(ctx.root, 'buckets').map((b) => b.name);
    const bucketSet = new Set(buckets);
    const policies = section(ctx.root, 'policies').map((p) => p.name);
    const policySet = new Set(policies);
    const used = new Set<string>();

    for (const user of section(ctx.root, 'users')) {
      const seen = new Map<string, number>();
      list(user.value.policies).forEach((ref, i) => {
        if (typeof ref !== 'string') return;
        const path = [...user.path, 'policies', i];
        const first = seen.get(ref);
        if (first !== undefined) {
          ctx.report({
            code: 'RC3005',
            path,
            message: `user "${user.name}" lists policy "${ref}" twice`,
            hint: 'delete the repeated entry',
            related: [{ message: 'first listed here', path: [...user.path, 'policies', first] }],
          });
          return;
        }
        seen.set(ref, i);
        if (policySet.has(ref)) {
          used.add(ref);
          return;
        }
        if (ref.startsWith('arn:')) {
          if (!POLICY_ARN.test(ref)) {
            ctx.report({
              code: 'RC3004',
              path,
              message: `"${ref}" is not a well-formed policy ARN`,
              hint: 'policy ARNs look like arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::123456789012:policy/path/name',
            });
          }
          return;
        }
        const guess = didYouMean(ref, policies);
        ctx.report({
          code: 'RC3001',
          path,
          message: `user "${user.name}" attaches "${ref}", which is neither a policy in this file nor a policy ARN`,
          hint: guess ?? (policies.length > 0 ? `policies in this file: ${listing(policies)}` : 'declare it under `policies:` or give its full ARN'),
        });
      });
    }

    for (const policy of section(ctx.root, 'policies')) {
      list(policy.value.grants).forEach((grant, i) => {
        if (!isObject(grant) || typeof grant.bucket !== 'string') return;
        if (typeof grant.prefix === 'string' && (grant.prefix.startsWith('/') || /[*?]/.test(grant.prefix))) {
          const fixed = grant.prefix.replace(/^\/+/, '').replace(/[*?]+$/, '');
          ctx.report({
            code: 'RC3007',
            path: [...policy.path, 'grants', i, 'prefix'],
            message: `grant prefix "${grant.prefix}" would match no key as meant: S3 keys do not start with "/", and the grant already ends the prefix with *`,
            hint: /[*?]/.test(fixed) ? 'give the literal key prefix, e.g. prefix: uploads/' : `write prefix: ${fixed || '(none: drop it for the whole bucket)'}`,
          });
        }
        const bucket = grant.bucket;
        const path = [...policy.path, 'grants', i, 'bucket'];
        if (bucketSet.has(bucket)) return;
        if (bucket.startsWith('arn:')) {
          const match = BUCKET_ARN.exec(bucket);
          if (!match || bucketNameProblems(match[2] as string).length > 0) {
            ctx.report({
              code: 'RC3006',
              path,
              message: `"${bucket}" is not a well-formed bucket ARN`,
              hint: 'bucket ARNs look like arn:aws:s3:::bucket-name (no key part: use `prefix:` for that)',
            });
          }
          return;
        }
        const guess = didYouMean(bucket, buckets);
        ctx.report({
          code: 'RC3002',
          path,
          message: `policy "${policy.name}" grants access to bucket "${bucket}", which is not declared in this file`,
          hint: guess ?? (buckets.length > 0 ? `buckets in this file: ${listing(buckets)}` : 'declare the bucket under `buckets:` or give its ARN (arn:aws:s3:::name)'),
        });
      });
      if (!used.has(policy.name)) {
        ctx.report({
          code: 'RC3003',
          severity: 'warning',
          path: policy.path,
          key: true,
          message: `policy "${policy.name}" is not attached to any user in this file`,
          hint: 'attach it under a user\'s `policies:` or remove it',
        });
      }
    }
  },
};
