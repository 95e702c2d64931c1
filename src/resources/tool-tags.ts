import { ListPolicyTagsCommand, ListUserTagsCommand, TagPolicyCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { GetBucketTaggingCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { isAwsError, isNotFound } from '../aws/errors.js';
import { DIGEST_TAG, STACK_TAG } from '../core/types.js';
import type { Kind } from '../core/types.js';
import type { ReadContext, WriteContext } from './handler.js';
import { localPolicyArn } from './iam/policy-lookup.js';
import type { TagPair } from './tags.js';

/** The tool's own tags on a resource, read raw (observe hides the digest). */
export interface ToolTags {
  stack?: string;
  digest?: string;
}

/** Enough to address a taggable top-level resource. */
export interface TaggedResource {
  kind: Kind;
  name: string;
  region?: string;
  /** A policy's path (its ARN contains it). */
  path?: string;
}

function pick(list: readonly TagPair[] | undefined): ToolTags {
  const out: ToolTags = {};
  for (const { Key, Value } of list ?? []) {
    if (Key === STACK_TAG) out.stack = Value ?? '';
    if (Key === DIGEST_TAG) out.digest = Value ?? '';
  }
  return out;
}

async function bucketTags(ctx: ReadContext, r: TaggedResource): Promise<TagPair[] | undefined> {
  try {
    return (await ctx.aws.s3(r.region ?? ctx.defaultRegion).send(new GetBucketTaggingCommand({ Bucket: r.name }))).TagSet ?? [];
  } catch (err) {
    if (isAwsError(err, 'NoSuchTagSet', 'NoSuchTagSetError')) return [];
    if (isAwsError(err, 'NoSuchBucket')) return undefined;
    throw err;
  }
}

/** Found by name: the policy's path in AWS may differ from the file's (or the file may name none). */
async function arnOf(ctx: ReadContext, r: TaggedResource): Promise<string> {
  return localPolicyArn(ctx, r.name, r.path || '/');
}

/** The stack and digest tags of a bucket, user or policy; undefined when it does not exist. */
export async function readToolTags(ctx: ReadContext, r: TaggedResource): Promise<ToolTags | undefined> {
  try {
    if (r.kind === 's3.bucket') {
      const list = await bucketTags(ctx, r);
      return list === undefined ? undefined : pick(list);
    }
    if (r.kind === 'iam.user') return pick((await ctx.aws.iam().send(new ListUserTagsCommand({ UserName: r.name }))).Tags);
    if (r.kind === 'iam.policy') return pick((await ctx.aws.iam().send(new ListPolicyTagsCommand({ PolicyArn: await arnOf(ctx, r) }))).Tags);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  throw new Error(`${r.kind} carries no tags`);
}

/** Record the digest tag, leaving every other tag as it is. */
export async function writeDigest(ctx: WriteContext, r: TaggedResource, digest: string): Promise<void> {
  const tag = { Key: DIGEST_TAG, Value: digest };
  if (r.kind === 's3.bucket') {
    // PutBucketTagging replaces the whole set: merge into what is there
    const current = (await bucketTags(ctx, r)) ?? [];
    const TagSet = [...current.filter((t) => t.Key !== DIGEST_TAG && !t.Key?.startsWith('aws:')), tag].map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
    await ctx.aws.s3(r.region ?? ctx.defaultRegion).send(new PutBucketTaggingCommand({ Bucket: r.name, Tagging: { TagSet } }));
  } else if (r.kind === 'iam.user') {
    await ctx.aws.iam().send(new TagUserCommand({ UserName: r.name, Tags: [tag] }));
  } else if (r.kind === 'iam.policy') {
    await ctx.aws.iam().send(new TagPolicyCommand({ PolicyArn: await arnOf(ctx, r), Tags: [tag] }));
  } else {
    throw new Error(`${r.kind} carries no tags`);
  }
}

/** A group's parent as a tagged resource. */
export function taggedResource(change: { kind: Kind; name: string; region?: string; desired: unknown }): TaggedResource {
  const path = (change.desired as { path?: unknown } | null)?.path;
  return { kind: change.kind, name: change.name, ...(change.region ? { region: change.region } : {}), ...(typeof path === 'string' ? { path } : {}) };
}
