import { GetBucketVersioningCommand, PutBucketVersioningCommand, type BucketVersioningStatus } from '@aws-sdk/client-s3';
import { bucketSettingHandler, type BucketSetting } from './setting.js';

/**
 * `enabled: false` covers both a never-versioned bucket and a suspended one: once versioning
 * was enabled S3 can only suspend it, so false is written as Suspended, and only when needed.
 */
export interface VersioningSpec {
  enabled: boolean;
}

/** S3's Status (absent on a never-versioned bucket) as the spec. */
export function versioningFromStatus(status: string | undefined): VersioningSpec {
  return { enabled: status === 'Enabled' };
}

/** The Status to write to reach `desired` from `observed`, or undefined when nothing is to be written. */
export function versioningStatusToWrite(desired: VersioningSpec, observed: VersioningSpec | undefined): BucketVersioningStatus | undefined {
  if (desired.enabled) return 'Enabled';
  return observed?.enabled ? 'Suspended' : undefined;
}

export const versioning: BucketSetting<VersioningSpec> = {
  kind: 's3.bucket.versioning',
  notConfigured: [],

  normalize: (spec) => ({ enabled: spec.enabled === true }),

  async read(s3, bucket) {
    const out = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    return versioningFromStatus(out.Status);
  },

  async write(s3, bucket, spec, observed) {
    let live = observed;
    // A create (the bucket was missing at plan time) may still meet a bucket versioned since.
    if (!spec.enabled && live === undefined) live = await versioning.read(s3, bucket);
    const status = versioningStatusToWrite(spec, live);
    if (status === undefined) return 'versioning stays off (never enabled)';
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }));
    return status === 'Enabled' ? 'versioning enabled' : 'versioning suspended';
  },

  async remove(s3, bucket, observed) {
    // Versioning cannot be removed from a bucket, only suspended.
    return versioning.write(s3, bucket, { enabled: false }, observed);
  },
};

export const versioningHandler = bucketSettingHandler(versioning);
