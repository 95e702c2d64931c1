import type { BucketConfig } from '../../config/types.js';

/** A bucket setting's key in storage.yaml, and its address suffix (`bucket.NAME.<suffix>`). */
export interface BucketSettingSlot {
  key: Exclude<keyof BucketConfig, 'region' | 'tags'>;
  suffix: string;
}

/**
 * The order settings of one bucket are written in, one at a time: S3 rejects concurrent
 * configuration writes to a bucket (OperationAborted). Ownership before the public access
 * block and the policy (ACL-less ownership decides what a policy may grant), the block before
 * the policy (a public policy is refused while BlockPublicPolicy is on, so turning it off must
 * come first). Bucket creation (with its tags) comes before all of them; deletions go in reverse.
 */
export const BUCKET_WRITE_ORDER: readonly BucketSettingSlot[] = [
  { key: 'ownership', suffix: 'ownership' },
  { key: 'publicAccessBlock', suffix: 'public-access-block' },
  { key: 'policy', suffix: 'policy' },
  { key: 'cors', suffix: 'cors' },
  { key: 'versioning', suffix: 'versioning' },
  { key: 'encryption', suffix: 'encryption' },
  { key: 'lifecycle', suffix: 'lifecycle' },
];
