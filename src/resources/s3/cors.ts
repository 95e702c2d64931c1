import { DeleteBucketCorsCommand, GetBucketCorsCommand, PutBucketCorsCommand, type CORSRule } from '@aws-sdk/client-s3';
import type { CorsRule } from '../../config/types.js';
import type { Observed } from '../../core/types.js';
import { isAwsError } from '../../aws/errors.js';
import type { ResourceHandler } from '../handler.js';

export interface CorsSpec {
  rules: CorsRule[];
}

function set(values: readonly string[] | undefined, lower = false): string[] {
  return [...new Set((values ?? []).map((v) => (lower ? v.toLowerCase() : v)))].sort();
}

/**
 * S3 uses the first matching rule, so rule order is kept; inside a rule the lists are sets,
 * header names are case-insensitive, and an absent list means an empty one.
 */
export function normalizeCorsRule(rule: CorsRule): CorsRule {
  const out: CorsRule = {
    AllowedHeaders: set(rule.AllowedHeaders, true),
    AllowedMethods: set(rule.AllowedMethods.map((m) => m.toUpperCase())),
    AllowedOrigins: set(rule.AllowedOrigins),
    ExposeHeaders: set(rule.ExposeHeaders),
  };
  if (rule.ID !== undefined && rule.ID !== '') out.ID = rule.ID;
  if (rule.MaxAgeSeconds !== undefined) out.MaxAgeSeconds = rule.MaxAgeSeconds;
  return out;
}

function fromAws(rule: CORSRule): CorsRule {
  const out: CorsRule = {
    AllowedMethods: rule.AllowedMethods ?? [],
    AllowedOrigins: rule.AllowedOrigins ?? [],
  };
  if (rule.AllowedHeaders) out.AllowedHeaders = rule.AllowedHeaders;
  if (rule.ExposeHeaders) out.ExposeHeaders = rule.ExposeHeaders;
  if (rule.ID) out.ID = rule.ID;
  if (rule.MaxAgeSeconds !== undefined) out.MaxAgeSeconds = rule.MaxAgeSeconds;
  return out;
}

function bucketRegion(region: string | undefined): string {
  return region ?? 'us-east-1';
}

export const corsHandler: ResourceHandler<CorsSpec> = {
  kind: 's3.bucket.cors',

  normalize(spec) {
    return { rules: spec.rules.map(normalizeCorsRule) };
  },

  async observe(ctx, d): Promise<Observed<CorsSpec>> {
    try {
      const out = await ctx.aws.s3(bucketRegion(d.region)).send(new GetBucketCorsCommand({ Bucket: d.name }));
      const rules = (out.CORSRules ?? []).map(fromAws);
      return rules.length === 0 ? { exists: false } : { exists: true, spec: { rules } };
    } catch (err) {
      if (isAwsError(err, 'NoSuchCORSConfiguration', 'NoSuchBucket')) return { exists: false };
      throw err;
    }
  },

  async create(ctx, d) {
    await ctx.aws
      .s3(bucketRegion(d.region))
      .send(new PutBucketCorsCommand({ Bucket: d.name, CORSConfiguration: { CORSRules: d.spec.rules } }));
    return { message: `${d.spec.rules.length} rule(s) set` };
  },

  async update(ctx, d) {
    return corsHandler.create(ctx, d);
  },

  async delete(ctx, d) {
    try {
      await ctx.aws.s3(bucketRegion(d.region)).send(new DeleteBucketCorsCommand({ Bucket: d.name }));
    } catch (err) {
      if (!isAwsError(err, 'NoSuchBucket')) throw err;
    }
    return { message: 'CORS configuration removed' };
  },
};
