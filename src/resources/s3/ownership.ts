import {
  DeleteBucketOwnershipControlsCommand,
  GetBucketOwnershipControlsCommand,
  PutBucketOwnershipControlsCommand,
  type ObjectOwnership as AwsObjectOwnership,
} from '@aws-sdk/client-s3';
import type { ObjectOwnership } from '../../config/types.js';
import { bucketSettingHandler, type BucketSetting } from './setting.js';

/** S3 Object Ownership; BucketOwnerEnforced disables ACLs. */
export interface OwnershipSpec {
  objectOwnership: ObjectOwnership;
}

export const ownership: BucketSetting<OwnershipSpec> = {
  kind: 's3.bucket.ownership',
  notConfigured: ['OwnershipControlsNotFoundError'],
  normalize: (spec) => ({ objectOwnership: spec.objectOwnership }),

  async read(s3, bucket) {
    const out = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    const value = out.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
    return value ? { objectOwnership: value as ObjectOwnership } : undefined;
  },

  async write(s3, bucket, spec) {
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: bucket,
        OwnershipControls: { Rules: [{ ObjectOwnership: spec.objectOwnership as AwsObjectOwnership }] },
      }),
    );
    return `object ownership ${spec.objectOwnership}`;
  },

  async remove(s3, bucket) {
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: bucket }));
    return 'ownership controls removed';
  },
};

export const ownershipHandler = bucketSettingHandler(ownership);
