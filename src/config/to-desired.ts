import type { Desired } from '../core/types.js';
import { DELETION_TAG, STACK_TAG } from '../core/types.js';
import { compileGrants } from '../resources/iam/grants.js';
import type { AccessKeySpec } from '../resources/iam/access-key.js';
import type { AttachmentSpec } from '../resources/iam/attachment.js';
import { customerPolicyName, isPolicyArn } from '../resources/iam/arn.js';
import type { PolicySpec } from '../resources/iam/policy.js';
import type { UserSpec } from '../resources/iam/user.js';
import type { BucketSpec } from '../resources/s3/bucket.js';
import type { BucketPolicySpec } from '../resources/s3/bucket-policy.js';
import type { CorsSpec } from '../resources/s3/cors.js';
import { encryptionFromConfig } from '../resources/s3/encryption.js';
import { lifecycleFromConfig } from '../resources/s3/lifecycle.js';
import { BUCKET_WRITE_ORDER, type BucketSettingSlot } from '../resources/s3/order.js';
import type { OwnershipSpec } from '../resources/s3/ownership.js';
import { publicAccessBlockFromConfig } from '../resources/s3/public-access-block.js';
import type { VersioningSpec } from '../resources/s3/versioning.js';
import { joinPointer } from './source.js';
import type { BucketConfig, StorageConfig, Tags } from './types.js';

export const DEFAULT_REGION = 'us-east-1';

export const address = {
  bucket: (name: string) => `bucket.${name}`,
  cors: (name: string) => `bucket.${name}.cors`,
  /** A bucket sub-setting: `bucket.NAME.versioning`, `bucket.NAME.public-access-block`, ... */
  bucketSetting: (name: string, suffix: string) => `bucket.${name}.${suffix}`,
  policy: (name: string) => `policy.${name}`,
  user: (name: string) => `user.${name}`,
  attachment: (user: string, policy: string) => `user.${user}.policy[${policy}]`,
  accessKey: (user: string) => `user.${user}.access-key`,
};

/** Defaults ∪ the resource's own tags ∪ the ownership tags, written in one call. */
function ownedTags(config: StorageConfig, resource: { tags?: Tags; deletion?: string }): Tags {
  return {
    ...(config.tags ?? {}),
    ...(resource.tags ?? {}),
    [STACK_TAG]: config.stack,
    ...(resource.deletion ? { [DELETION_TAG]: resource.deletion } : {}),
  };
}

/** Tags are an attribute like any other: written nowhere in the file (no defaults, none of its own), not managed. */
function otherTags(config: StorageConfig, resource: { tags?: Tags }): { otherTags?: 'keep' } {
  return config.tags === undefined && resource.tags === undefined ? { otherTags: 'keep' } : {};
}

function adoptFlag(resource: { adopt?: boolean }): { adopt?: true } {
  return resource.adopt === true ? { adopt: true } : {};
}

/** The desired spec of one bucket setting, or undefined when the file does not declare it. */
function bucketSetting(slot: BucketSettingSlot, bucket: BucketConfig): Pick<Desired, 'kind' | 'spec'> | undefined {
  switch (slot.key) {
    case 'ownership':
      return bucket.ownership === undefined ? undefined : { kind: 's3.bucket.ownership', spec: { objectOwnership: bucket.ownership } satisfies OwnershipSpec };
    case 'publicAccessBlock':
      return bucket.publicAccessBlock === undefined
        ? undefined
        : { kind: 's3.bucket.public-access-block', spec: publicAccessBlockFromConfig(bucket.publicAccessBlock) };
    case 'policy':
      return bucket.policy === undefined ? undefined : { kind: 's3.bucket.policy', spec: { document: bucket.policy } satisfies BucketPolicySpec };
    case 'cors':
      return bucket.cors === undefined ? undefined : { kind: 's3.bucket.cors', spec: { rules: bucket.cors } satisfies CorsSpec };
    case 'versioning':
      return bucket.versioning === undefined ? undefined : { kind: 's3.bucket.versioning', spec: { enabled: bucket.versioning } satisfies VersioningSpec };
    case 'encryption':
      return bucket.encryption === undefined ? undefined : { kind: 's3.bucket.encryption', spec: encryptionFromConfig(bucket.encryption) };
    case 'lifecycle':
      return bucket.lifecycle === undefined ? undefined : { kind: 's3.bucket.lifecycle', spec: lifecycleFromConfig(bucket.lifecycle) };
  }
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
      spec: { region, tags: ownedTags(config, bucket), ...otherTags(config, bucket) } satisfies BucketSpec,
      dependsOn: [],
      source,
      ...adoptFlag(bucket),
    });
    // One writer per bucket at a time: each declared setting waits for every earlier declared
    // one (not only the previous: the executor does not wait through a step that is a no-op).
    const earlier: string[] = [address.bucket(name)];
    for (const slot of BUCKET_WRITE_ORDER) {
      const setting = bucketSetting(slot, bucket);
      if (!setting) continue;
      const settingAddress = address.bucketSetting(name, slot.suffix);
      out.push({
        address: settingAddress,
        kind: setting.kind,
        name,
        region,
        spec: setting.spec,
        dependsOn: [...earlier],
        source: joinPointer(['buckets', name, slot.key]),
      });
      earlier.push(settingAddress);
    }
  }

  for (const [name, policy] of Object.entries(config.policies ?? {})) {
    const document = policy.document ?? compileGrants(policy.grants ?? []);
    out.push({
      address: address.policy(name),
      kind: 'iam.policy',
      name,
      spec: {
        // only attributes written in the file are managed: no path or description means "leave as is"
        ...(policy.path !== undefined ? { path: policy.path } : {}),
        ...(policy.description !== undefined ? { description: policy.description } : {}),
        document,
        tags: ownedTags(config, policy),
        ...otherTags(config, policy),
      } satisfies PolicySpec,
      dependsOn: [],
      source: joinPointer(['policies', name]),
      ...adoptFlag(policy),
    });
  }

  for (const [name, user] of Object.entries(config.users ?? {})) {
    out.push({
      address: address.user(name),
      kind: 'iam.user',
      name,
      spec: { ...(user.path !== undefined ? { path: user.path } : {}), tags: ownedTags(config, user), ...otherTags(config, user) } satisfies UserSpec,
      dependsOn: [],
      source: joinPointer(['users', name]),
      ...adoptFlag(user),
    });
    (user.policies ?? []).forEach((ref, i) => {
      const inFile = !isPolicyArn(ref);
      // an ARN may still name a customer policy this file declares: it must exist before the attachment
      const arnName = inFile ? undefined : customerPolicyName(ref);
      const declaredByArn = arnName !== undefined && config.policies?.[arnName] !== undefined;
      out.push({
        address: address.attachment(name, ref),
        kind: 'iam.user.policy-attachment',
        name: `${name}/${ref}`,
        spec: { user: name, policy: ref, policyPath: inFile ? (config.policies?.[ref]?.path ?? '/') : '/' } satisfies AttachmentSpec,
        dependsOn: [address.user(name), ...(inFile ? [address.policy(ref)] : declaredByArn ? [address.policy(arnName)] : [])],
        source: joinPointer(['users', name, 'policies', i]),
      });
    });
    const key = user.accessKey;
    if (key !== undefined) {
      // false is declared, not absent: no key of ours (the ones the record names are deleted)
      const options = key === true || key === false ? {} : key;
      out.push({
        address: address.accessKey(name),
        kind: 'iam.access-key',
        name,
        spec: {
          user: name,
          keySteps: [],
          ...(key === false ? { none: true as const } : {}),
          ...(options.rotateAfterDays !== undefined ? { rotateAfterDays: options.rotateAfterDays } : {}),
          ...(options.deliverTo !== undefined ? { deliverTo: options.deliverTo } : {}),
        } satisfies AccessKeySpec,
        // AWS-aware order: user → policy → attachment → key (the key is handed out last)
        dependsOn: [address.user(name), ...(user.policies ?? []).map((ref) => address.attachment(name, ref))],
        source: joinPointer(['users', name, 'accessKey']),
      });
    }
  }
  return out;
}
