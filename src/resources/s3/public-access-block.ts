import {
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import type { PublicAccessBlockConfig } from '../../config/types.js';
import { bucketSettingHandler, type BucketSetting } from './setting.js';

/** The four flags, always all present (S3 treats an omitted flag as false). */
export interface PublicAccessBlockSpec {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export const PUBLIC_ACCESS_FLAGS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;

/** `true` blocks everything; in the object form an omitted flag is false, as in S3's API. */
export function publicAccessBlockFromConfig(config: PublicAccessBlockConfig): PublicAccessBlockSpec {
  const all = config === true;
  const flags = config === true ? {} : config;
  return {
    blockPublicAcls: all || flags.blockPublicAcls === true,
    ignorePublicAcls: all || flags.ignorePublicAcls === true,
    blockPublicPolicy: all || flags.blockPublicPolicy === true,
    restrictPublicBuckets: all || flags.restrictPublicBuckets === true,
  };
}

export function normalizePublicAccessBlock(spec: PublicAccessBlockSpec): PublicAccessBlockSpec {
  return {
    blockPublicAcls: spec.blockPublicAcls === true,
    ignorePublicAcls: spec.ignorePublicAcls === true,
    blockPublicPolicy: spec.blockPublicPolicy === true,
    restrictPublicBuckets: spec.restrictPublicBuckets === true,
  };
}

export function publicAccessBlockFromAws(c: PublicAccessBlockConfiguration): PublicAccessBlockSpec {
  return {
    blockPublicAcls: c.BlockPublicAcls === true,
    ignorePublicAcls: c.IgnorePublicAcls === true,
    blockPublicPolicy: c.BlockPublicPolicy === true,
    restrictPublicBuckets: c.RestrictPublicBuckets === true,
  };
}

export function publicAccessBlockToAws(spec: PublicAccessBlockSpec): PublicAccessBlockConfiguration {
  const n = normalizePublicAccessBlock(spec);
  return {
    BlockPublicAcls: n.blockPublicAcls,
    IgnorePublicAcls: n.ignorePublicAcls,
    BlockPublicPolicy: n.blockPublicPolicy,
    RestrictPublicBuckets: n.restrictPublicBuckets,
  };
}

export const publicAccessBlock: BucketSetting<PublicAccessBlockSpec> = {
  kind: 's3.bucket.public-access-block',
  notConfigured: ['NoSuchPublicAccessBlockConfiguration'],
  // no bucket-level block configured: S3 blocks nothing at the bucket level
  absent: { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false },
  normalize: normalizePublicAccessBlock,

  async read(s3, bucket) {
    const out = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    return out.PublicAccessBlockConfiguration ? publicAccessBlockFromAws(out.PublicAccessBlockConfiguration) : undefined;
  },

  async write(s3, bucket, spec) {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: publicAccessBlockToAws(spec) }));
    const on = PUBLIC_ACCESS_FLAGS.filter((f) => spec[f]);
    return on.length === 4 ? 'all public access blocked' : `public access block set (${on.join(', ') || 'nothing blocked'})`;
  },

  async remove(s3, bucket) {
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    return 'public access block removed';
  },
};

export const publicAccessBlockHandler = bucketSettingHandler(publicAccessBlock);
