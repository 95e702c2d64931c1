import { DeleteBucketCorsCommand, GetBucketCorsCommand, PutBucketCorsCommand, type CORSRule } from '@aws-sdk/client-s3';
import type { CorsRule } from '../../config/types.js';
import type { Observed } from '../../core/types.js';
import { isAwsError, isNotConfigured } from '../../aws/errors.js';
import type { ResourceHandler } from '../handler.js';
import { stableStringify } from '../../core/canonical.js';
import { scoped, type Detail, type Recorder } from '../../core/semantics.js';

export interface CorsSpec {
  rules: CorsRule[];
}

type Fold = 'lower' | 'upper' | 'none';

function fold(value: string, how: Fold): string {
  return how === 'lower' ? value.toLowerCase() : how === 'upper' ? value.toUpperCase() : value;
}

const FOLD_RULE: Record<Fold, string> = {
  lower: 'header names are case-insensitive',
  upper: 'method names are case-insensitive',
  none: '',
};

function set(values: readonly string[] | undefined, path: string, recorder: Recorder | undefined, how: Fold = 'none'): string[] {
  if (values === undefined) {
    recorder?.note({ rule: 'absent list ≡ []', path });
    return [];
  }
  const folded = values.map((v) => fold(v, how));
  const changed = values.filter((v, i) => v !== folded[i]);
  if (changed.length > 0) recorder?.note({ rule: FOLD_RULE[how], path, detail: changed.map((v) => `"${v}" ≡ "${fold(v, how)}"`).join(', '), key: changed.join(',') });
  const unique = [...new Set(folded)];
  if (unique.length < folded.length) recorder?.note({ rule: 'duplicates ignored (a set)', path, key: values.join(',') });
  const sorted = [...unique].sort();
  if (unique.some((v, i) => v !== sorted[i])) recorder?.note({ rule: 'list order inside a rule (a set)', path, key: unique.join(',') });
  return sorted;
}

/**
 * S3 uses the first matching rule, so rule order is kept; inside a rule the lists are sets,
 * header names are case-insensitive, and an absent list means an empty one. ExposeHeaders keep
 * their case: a case change is shown (as cosmetic), never suppressed.
 */
export function normalizeCorsRule(rule: CorsRule, recorder?: Recorder): CorsRule {
  const out: CorsRule = {
    AllowedHeaders: set(rule.AllowedHeaders, 'AllowedHeaders', recorder, 'lower'),
    AllowedMethods: set(rule.AllowedMethods, 'AllowedMethods', recorder, 'upper'),
    AllowedOrigins: set(rule.AllowedOrigins, 'AllowedOrigins', recorder),
    ExposeHeaders: set(rule.ExposeHeaders, 'ExposeHeaders', recorder),
  };
  if (rule.ID !== undefined && rule.ID !== '') out.ID = rule.ID;
  else if (rule.ID === '') recorder?.note({ rule: 'empty ID ≡ no ID', path: 'ID' });
  if (rule.MaxAgeSeconds !== undefined) out.MaxAgeSeconds = rule.MaxAgeSeconds;
  return out;
}

const RULE_FIELDS = ['ID', 'AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposeHeaders', 'MaxAgeSeconds'] as const;

function ruleText(rule: CorsRule): string {
  const parts = [`${(rule.AllowedMethods ?? []).join(',')} from ${(rule.AllowedOrigins ?? []).join(', ')}`];
  if (rule.AllowedHeaders?.length) parts.push(`headers ${rule.AllowedHeaders.join(', ')}`);
  if (rule.ExposeHeaders?.length) parts.push(`exposing ${rule.ExposeHeaders.join(', ')}`);
  if (rule.MaxAgeSeconds !== undefined) parts.push(`max age ${rule.MaxAgeSeconds}s`);
  if (rule.ID) parts.push(`ID ${rule.ID}`);
  return parts.join('; ');
}

function fieldChange(path: string, field: (typeof RULE_FIELDS)[number], before: unknown, after: unknown): Detail | undefined {
  if (stableStringify(before) === stableStringify(after)) return undefined;
  if (Array.isArray(before) && Array.isArray(after)) {
    const was = new Set(before.map(String));
    const now = new Set(after.map(String));
    const gained = [...now].filter((v) => !was.has(v));
    const lost = [...was].filter((v) => !now.has(v));
    const sameIgnoringCase = stableStringify([...was].map((v) => v.toLowerCase()).sort()) === stableStringify([...now].map((v) => v.toLowerCase()).sort());
    const text = `${path}.${field}: ${[...gained.map((v) => `+ ${v}`), ...lost.map((v) => `- ${v}`)].join(', ')}${sameIgnoringCase ? ' (case only)' : ''}`;
    // header names are case-insensitive in HTTP; S3 matches origins and methods as written
    const cosmetic = sameIgnoringCase && field === 'ExposeHeaders';
    return { op: 'change', path: `${path}.${field}`, text, ...(cosmetic ? { cosmetic: true } : {}) };
  }
  return { op: 'change', path: `${path}.${field}`, text: `${path}.${field}: ${before === undefined ? '(none)' : JSON.stringify(before)} → ${after === undefined ? '(none)' : JSON.stringify(after)}` };
}

/** CORS rules by position (S3's order matters), with the fields that changed in each. */
export function describeCorsChange(before: CorsSpec | null, after: CorsSpec | null): Detail[] {
  const was = before?.rules ?? [];
  const now = after?.rules ?? [];
  const details: Detail[] = [];
  const sameRules = was.length === now.length && stableStringify([...was.map((r) => stableStringify(r))].sort()) === stableStringify([...now.map((r) => stableStringify(r))].sort());
  if (was.length > 1 && sameRules && stableStringify(was) !== stableStringify(now)) {
    details.push({ op: 'change', path: 'rules', text: 'rule order changed (S3 uses the first matching rule)' });
  }
  for (let i = 0; i < Math.max(was.length, now.length); i++) {
    const b = was[i];
    const a = now[i];
    const path = `rules[${i}]`;
    if (b === undefined && a !== undefined) details.push({ op: 'add', path, text: `${path}: ${ruleText(a)}` });
    else if (a === undefined && b !== undefined) details.push({ op: 'remove', path, text: `${path}: ${ruleText(b)}` });
    else if (a !== undefined && b !== undefined) {
      for (const field of RULE_FIELDS) {
        const d = fieldChange(path, field, b[field], a[field]);
        if (d) details.push(d);
      }
    }
  }
  return details;
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

/** No CORS configuration is what `cors: []` declares; for any rule declared it is missing. */
function absent(desired: CorsSpec): Observed<CorsSpec> {
  return desired.rules.length === 0 ? { exists: true, spec: { rules: [] } } : { exists: false };
}

export const corsHandler: ResourceHandler<CorsSpec> = {
  kind: 's3.bucket.cors',

  normalize(spec, recorder) {
    return { rules: spec.rules.map((rule, i) => normalizeCorsRule(rule, scoped(recorder, `rules[${i}]`))) };
  },

  describe(before, after) {
    return describeCorsChange(before, after);
  },

  async observe(ctx, d): Promise<Observed<CorsSpec>> {
    try {
      const out = await ctx.aws.s3(bucketRegion(d.region)).send(new GetBucketCorsCommand({ Bucket: d.name }));
      const rules = (out.CORSRules ?? []).map(fromAws);
      return rules.length === 0 ? absent(d.spec) : { exists: true, spec: { rules } };
    } catch (err) {
      if (isAwsError(err, 'NoSuchBucket')) return { exists: false };
      if (isNotConfigured(err)) return absent(d.spec);
      throw err;
    }
  },

  async create(ctx, d) {
    const s3 = ctx.aws.s3(bucketRegion(d.region));
    // `cors: []` declares "no CORS": S3 has no empty configuration, only none
    if (d.spec.rules.length === 0) return corsHandler.delete(ctx, d, d.spec);
    await s3.send(new PutBucketCorsCommand({ Bucket: d.name, CORSConfiguration: { CORSRules: d.spec.rules } }));
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
