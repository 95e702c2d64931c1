import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  PutBucketTaggingCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import type { Tags } from '../../config/types.js';
import type { Desired, Observed } from '../../core/types.js';
import { isAwsError, isNotConfigured } from '../../aws/errors.js';
import { describeFields } from '../../core/describe.js';
import type { ReadContext, ResourceHandler, WriteContext } from '../handler.js';
import { describeTags, sortedTags, tagsFromList, tagsToList } from '../tags.js';
import { regionFromLocation } from './region.js';

export interface BucketSpec {
  /** A region, or S3's LocationConstraint as observed (`""` for us-east-1, `EU`). */
  region: string;
  tags: Tags;
}

async function readTags(ctx: ReadContext, name: string, region: string): Promise<Tags> {
  try {
    const out = await ctx.aws.s3(region).send(new GetBucketTaggingCommand({ Bucket: name }));
    return tagsFromList(out.TagSet);
  } catch (err) {
    if (isNotConfigured(err)) return {};
    throw err;
  }
}

async function writeTags(ctx: WriteContext, d: Desired<BucketSpec>): Promise<void> {
  await ctx.aws.s3(d.spec.region).send(new PutBucketTaggingCommand({ Bucket: d.name, Tagging: { TagSet: tagsToList(d.spec.tags) } }));
}

export const bucketHandler: ResourceHandler<BucketSpec> = {
  kind: 's3.bucket',

  normalize(spec, recorder) {
    return { region: regionFromLocation(spec.region, recorder), tags: sortedTags(spec.tags, recorder) };
  },

  describe(before, after) {
    return [...describeFields(before, after, ['region']), ...describeTags(before?.tags, after?.tags)];
  },

  conflict(desired, observed) {
    if (desired.region !== observed.region) {
      return `the bucket exists in ${observed.region} but the file says ${desired.region}; a bucket's region cannot change (set region: ${observed.region}, or use a new bucket name)`;
    }
    return undefined;
  },

  async observe(ctx, d): Promise<Observed<BucketSpec>> {
    let location: string;
    try {
      const out = await ctx.aws.s3(d.spec.region).send(new GetBucketLocationCommand({ Bucket: d.name }));
      location = out.LocationConstraint ?? '';
    } catch (err) {
      if (isAwsError(err, 'NoSuchBucket')) return { exists: false };
      throw err;
    }
    // kept as S3 spells it (normalize maps it), so `plan --explain` can say what was equated
    return { exists: true, spec: { region: location, tags: await readTags(ctx, d.name, regionFromLocation(location)) } };
  },

  async create(ctx, d) {
    const region = regionFromLocation(d.spec.region);
    try {
      await ctx.aws.s3(region).send(
        new CreateBucketCommand({
          Bucket: d.name,
          ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        }),
      );
    } catch (err) {
      if (!isAwsError(err, 'BucketAlreadyOwnedByYou')) throw err;
    }
    await writeTags(ctx, { ...d, spec: { ...d.spec, region } });
    return { message: `created in ${region}` };
  },

  async update(ctx, d) {
    await writeTags(ctx, { ...d, spec: { ...d.spec, region: regionFromLocation(d.spec.region) } });
    return { message: 'tags updated' };
  },

  async delete(ctx, d) {
    try {
      await ctx.aws.s3(regionFromLocation(d.spec.region)).send(new DeleteBucketCommand({ Bucket: d.name }));
    } catch (err) {
      if (!isAwsError(err, 'NoSuchBucket')) throw err;
    }
    return { message: 'deleted' };
  },
};
