import type { Desired } from '../core/types.js';
import { STACK_TAG } from '../core/types.js';
import { compileGrants } from '../resources/iam/grants.js';
import type { AccessKeySpec } from '../resources/iam/access-key.js';
import type { AttachmentSpec } from '../resources/iam/attachment.js';
import { isPolicyArn } from '../resources/iam/arn.js';
import type { PolicySpec } from '../resources/iam/policy.js';
import type { UserSpec } from '../resources/iam/user.js';
import type { BucketSpec } from '../resources/s3/bucket.js';
import type { CorsSpec } from '../resources/s3/cors.js';
import { joinPointer } from './source.js';
import type { StorageConfig, Tags } from './types.js';

export const DEFAULT_REGION = 'us-east-1';

export const address = {
  bucket: (name: string) => `bucket.${name}`,
  cors: (name: string) => `bucket.${name}.cors`,
  policy: (name: string) => `policy.${name}`,
  user: (name: string) => `user.${name}`,
  attachment: (user: string, policy: string) => `user.${user}.policy[${policy}]`,
  accessKey: (user: string) => `user.${user}.access-key`,
};

/** Defaults ∪ the resource's own tags ∪ the ownership tag, written in one call. */
function ownedTags(config: StorageConfig, own: Tags | undefined): Tags {
  return { ...(config.tags ?? {}), ...(own ?? {}), [STACK_TAG]: config.stack };
}

/** Expand a validated config into the flat list of resources it declares, with dependencies. */
export function toDesired(config: StorageConfig): Desired[] {
  const out: Desired[] = [];
  const defaultRegion = config.region ?? DEFAULT_REGION;

  for (const [name, bucket] of Object.entries(config.buckets ?? {})) {
    const region = bucket.region ?? defaultRegion;
    const source = joinPointer(['buckets', name]);
    out.push({
      address: address.bucket(name),
      kind: 's3.bucket',
      name,
      region,
      spec: { region, tags: ownedTags(config, bucket.tags) } satisfies BucketSpec,
      dependsOn: [],
      source,
    });
    if (bucket.cors !== undefined) {
      out.push({
        address: address.cors(name),
        kind: 's3.bucket.cors',
        name,
        region,
        spec: { rules: bucket.cors } satisfies CorsSpec,
        dependsOn: [address.bucket(name)],
        source: joinPointer(['buckets', name, 'cors']),
      });
    }
  }

  for (const [name, policy] of Object.entries(config.policies ?? {})) {
    const document = policy.document ?? compileGrants(policy.grants ?? []);
    out.push({
      address: address.policy(name),
      kind: 'iam.policy',
      name,
      spec: { path: policy.path ?? '/', description: policy.description ?? '', document, tags: ownedTags(config, policy.tags) } satisfies PolicySpec,
      dependsOn: [],
      source: joinPointer(['policies', name]),
    });
  }

  for (const [name, user] of Object.entries(config.users ?? {})) {
    out.push({
      address: address.user(name),
      kind: 'iam.user',
      name,
      spec: { path: user.path ?? '/', tags: ownedTags(config, user.tags) } satisfies UserSpec,
      dependsOn: [],
      source: joinPointer(['users', name]),
    });
    (user.policies ?? []).forEach((ref, i) => {
      const inFile = !isPolicyArn(ref);
      out.push({
        address: address.attachment(name, ref),
        kind: 'iam.user.policy-attachment',
        name: `${name}/${ref}`,
        spec: { user: name, policy: ref, policyPath: inFile ? (config.policies?.[ref]?.path ?? '/') : '/' } satisfies AttachmentSpec,
        dependsOn: [address.user(name), ...(inFile ? [address.policy(ref)] : [])],
        source: joinPointer(['users', name, 'policies', i]),
      });
    });
    if (user.accessKey === true) {
      out.push({
        address: address.accessKey(name),
        kind: 'iam.access-key',
        name,
        spec: { user: name } satisfies AccessKeySpec,
        dependsOn: [address.user(name)],
        source: joinPointer(['users', name, 'accessKey']),
      });
    }
  }
  return out;
}
