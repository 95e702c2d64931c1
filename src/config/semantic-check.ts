import type { Diagnostic } from '../core/diagnostics.js';
import { joinPointer, locate, type SourceFile } from './source.js';
import type { StorageConfig } from './types.js';

const POLICY_ARN = /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/;

/** Cross-reference checks the schema cannot express. */
export function semanticCheck(source: SourceFile, config: StorageConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  const buckets = new Set(Object.keys(config.buckets ?? {}));
  const policies = new Set(Object.keys(config.policies ?? {}));
  const usedPolicies = new Set<string>();

  for (const [userName, user] of Object.entries(config.users ?? {})) {
    (user.policies ?? []).forEach((ref, i) => {
      if (policies.has(ref)) {
        usedPolicies.add(ref);
        return;
      }
      if (POLICY_ARN.test(ref)) return;
      const pointer = joinPointer(['users', userName, 'policies', i]);
      out.push({
        severity: 'error',
        code: 'RC3001',
        at: locate(source, pointer),
        message: `user "${userName}" attaches "${ref}", which is neither a policy in this file nor a policy ARN`,
        hint: policies.size > 0 ? `policies in this file: ${[...policies].join(', ')}` : 'declare it under `policies:` or give its full ARN',
      });
    });
  }

  for (const [policyName, policy] of Object.entries(config.policies ?? {})) {
    (policy.grants ?? []).forEach((grant, i) => {
      if (buckets.has(grant.bucket) || grant.bucket.startsWith('arn:')) return;
      out.push({
        severity: 'error',
        code: 'RC3002',
        at: locate(source, joinPointer(['policies', policyName, 'grants', i, 'bucket'])),
        message: `policy "${policyName}" grants access to bucket "${grant.bucket}", which is not declared in this file`,
        hint: buckets.size > 0 ? `buckets in this file: ${[...buckets].join(', ')}` : 'declare the bucket under `buckets:` or give its ARN',
      });
    });
    if (!usedPolicies.has(policyName)) {
      out.push({
        severity: 'warning',
        code: 'RC3003',
        at: locate(source, joinPointer(['policies', policyName]), { key: true }),
        message: `policy "${policyName}" is not attached to any user in this file`,
      });
    }
  }
  return out;
}
