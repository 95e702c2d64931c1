import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketTaggingCommand,
  type BucketLocationConstraint,
  type CreateBucketCommandInput,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { Tags } from '../../config/types.js';
import type { Desired, Observed } from '../../core/types.js';
import { httpStatus, isAwsError, isNotConfigured } from '../../aws/errors.js';
import { describeFields } from '../../core/describe.js';
import type { Discovered, ReadContext, ResourceHandler, WriteContext } from '../handler.js';
import { ownerFromTags } from '../ownership.js';
import { describeTags, managedTags, sortedTags, tagsFromList, tagsToList, tagsToWrite, type OtherTags } from '../tags.js';
import { countContents, describeContents, emptyBucket, type BucketContents } from './contents.js';
import { regionFromLocation } from './region.js';

/**
 * CreateBucket with the tags in the same call, so a run killed right after it leaves a bucket
 * that is already ours (not "unmanaged"). Tagging at creation needs s3:TagResource, and some
 * S3-compatible endpoints do not know the field: then the bucket is created without tags (no
 * bucket exists after a refused create) and tagged by the next call, as before.
 */
export function createBucketInput(name: string, region: string, tags: Tags | undefined): CreateBucketCommandInput {
  const location = region === 'us-east-1' ? {} : { LocationConstraint: region as BucketLocationConstraint };
  const tagList = tags ? tagsToList(tags) : [];
  const configuration = { ...location, ...(tagList.length > 0 ? { Tags: tagList } : {}) };
  return { Bucket: name, ...(Object.keys(configuration).length > 0 ? { CreateBucketConfiguration: configuration } : {}) };
}

async function createBucket(ctx: WriteContext, name: string, region: string, tags: Tags): Promise<void> {
  const send = (withTags: boolean) => ctx.aws.s3(region).send(new CreateBucketCommand(createBucketInput(name, region, withTags ? tags : undefined)));
  try {
    await send(true);
  } catch (err) {
    if (!isAwsError(err, 'AccessDenied', 'MalformedXML', 'InvalidArgument', 'NotImplemented', 'InvalidRequest')) throw err;
    await send(false);
  }
}

export interface BucketSpec {
  /** A region, or S3's LocationConstraint as observed (`""` for us-east-1, `EU`). */
  region: string;
  tags: Tags;
  otherTags?: OtherTags;
  /** Orphans only: what the bucket holds (read for the plan and the data-loss guard). */
  contents?: BucketContents;
  /** Orphan deletes only: empty the bucket first (the file said destroy-data and the run allowed data loss). */
  destroyData?: boolean;
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
  // PutBucketTagging replaces the whole set: when others' tags are kept, read them first
  const current = d.spec.otherTags === 'keep' ? await readTags(ctx, d.name, d.spec.region) : {};
  const tags = tagsToWrite(d.spec.tags, current, d.spec.otherTags);
  await ctx.aws.s3(d.spec.region).send(new PutBucketTaggingCommand({ Bucket: d.name, Tagging: { TagSet: tagsToList(tags) } }));
}

/**
 * HeadBucket answers 404 when no one has the name, 403 when another account owns it, 200 when
 * we can reach it. In us-east-1 CreateBucket answers 200 even for a bucket we already own, so
 * its success does not prove this run created the bucket: ask HeadBucket first.
 */
async function bucketState(ctx: ReadContext, name: string, region: string): Promise<'absent' | 'ours-account' | 'other-account'> {
  try {
    await ctx.aws.s3(region).send(new HeadBucketCommand({ Bucket: name }));
    return 'ours-account';
  } catch (err) {
    if (httpStatus(err) === 404 || isAwsError(err, 'NotFound', 'NoSuchBucket')) return 'absent';
    if (httpStatus(err) === 403) return 'other-account';
    throw err;
  }
}

async function bucketRegion(ctx: ReadContext, name: string, listed: string | undefined): Promise<string> {
  if (listed) return listed;
  const out = await ctx.aws.s3(ctx.defaultRegion).send(new GetBucketLocationCommand({ Bucket: name }));
  return regionFromLocation(out.LocationConstraint);
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

  steps({ action, desired, observed }) {
    if (action !== 'delete') return [];
    const contents = observed?.contents;
    const steps: string[] = [];
    if (contents && desired.destroyData) steps.push(`empty the bucket: delete ${describeContents(contents)} and abort unfinished uploads`);
    steps.push('delete the bucket');
    return steps;
  },

  async observe(ctx, d): Promise<Observed<BucketSpec>> {
    let location: string;
    try {
      const out = await ctx.aws.s3(d.spec.region).send(new GetBucketLocationCommand({ Bucket: d.name }));
      location = out.LocationConstraint ?? '';
    } catch (err) {
      if (isAwsError(err, 'NoSuchBucket')) return { exists: false };
      if (httpStatus(err) === 403) {
        throw new Error(`bucket ${d.name} exists but this account cannot read it: the name is taken by another AWS account (bucket names are global); choose another name`);
      }
      throw err;
    }
    // kept as S3 spells it (normalize maps it), so `plan --explain` can say what was equated
    const tags = await readTags(ctx, d.name, regionFromLocation(location));
    return { exists: true, spec: { region: location, tags: managedTags(tags, d.spec.otherTags) }, owner: ownerFromTags(tags, ctx.stack) };
  },

  async discover(ctx, declared): Promise<Discovered<BucketSpec>[]> {
    const listed = await ctx.aws.s3(ctx.defaultRegion).send(new ListBucketsCommand({}));
    const candidates = (listed.Buckets ?? []).filter((b) => b.Name !== undefined && !declared.has(b.Name));
    const limit = pLimit(8);
    const found = await Promise.all(
      candidates.map((b) =>
        limit(async (): Promise<Discovered<BucketSpec> | undefined> => {
          const name = b.Name as string;
          try {
            const region = await bucketRegion(ctx, name, b.BucketRegion);
            const tags = await readTags(ctx, name, region);
            if (ownerFromTags(tags, ctx.stack).kind !== 'ours') return undefined;
            const contents = await countContents(ctx.aws.s3(region), name);
            return { name, region, spec: { region, tags, contents } };
          } catch (err) {
            // deleted while we listed: not ours to report
            if (isAwsError(err, 'NoSuchBucket')) return undefined;
            throw err;
          }
        }),
      ),
    );
    return found.filter((f): f is Discovered<BucketSpec> => f !== undefined);
  },

  async create(ctx, d) {
    const region = regionFromLocation(d.spec.region);
    const state = await bucketState(ctx, d.name, region);
    if (state === 'other-account') throw new Error(`bucket name ${d.name} is taken by another AWS account; choose another name`);
    if (state === 'ours-account') {
      // It appeared since the plan (or an interrupted run created it): take it only if it is ours.
      const owner = ownerFromTags(await readTags(ctx, d.name, region), ctx.stack);
      if (owner.kind !== 'ours') {
        throw new Error(`bucket ${d.name} appeared after the plan was made and is not tagged with this stack; run plan again (it will show it as adoptable)`);
      }
    } else {
      try {
        await createBucket(ctx, d.name, region, d.spec.tags);
      } catch (err) {
        if (!isAwsError(err, 'BucketAlreadyOwnedByYou')) throw err;
      }
    }
    await writeTags(ctx, { ...d, spec: { ...d.spec, region } });
    return { message: `created in ${region}` };
  },

  async update(ctx, d) {
    await writeTags(ctx, { ...d, spec: { ...d.spec, region: regionFromLocation(d.spec.region) } });
    return { message: 'tags updated' };
  },

  /** Never empties a bucket unless the plan said so (destroy-data and --allow-data-loss). */
  async delete(ctx, d) {
    const s3 = ctx.aws.s3(regionFromLocation(d.spec.region));
    let removed = 0;
    try {
      if (d.spec.destroyData) removed = await emptyBucket(s3, d.name);
      await s3.send(new DeleteBucketCommand({ Bucket: d.name }));
    } catch (err) {
      if (isAwsError(err, 'NoSuchBucket')) return { message: 'already gone' };
      if (isAwsError(err, 'BucketNotEmpty')) throw new Error('the bucket is not empty (objects were added since the plan); nothing was deleted');
      throw err;
    }
    return { message: removed > 0 ? `emptied (${removed} version(s) and marker(s)) and deleted` : 'deleted' };
  },
};

