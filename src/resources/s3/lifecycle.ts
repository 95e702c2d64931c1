import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule as AwsLifecycleRule,
  type LifecycleRuleFilter,
  type TransitionStorageClass,
} from '@aws-sdk/client-s3';
import type {
  LifecycleAnd,
  LifecycleExpiration,
  LifecycleFilter,
  LifecycleNoncurrentTransition,
  LifecycleRule,
  LifecycleTag,
  LifecycleTransition,
} from '../../config/types.js';
import { stableStringify } from '../../core/canonical.js';
import type { Detail, Recorder } from '../../core/semantics.js';
import { bucketSettingHandler, type BucketSetting } from './setting.js';

/**
 * Lifecycle rules keyed by rule ID: S3 may return them in another order, and a keyed map
 * makes a change read as `rules.<ID>.Expiration.Days` rather than a shifted index.
 */
export interface LifecycleSpec {
  rules: Record<string, LifecycleRule>;
}

export function lifecycleFromConfig(rules: readonly LifecycleRule[]): LifecycleSpec {
  return { rules: Object.fromEntries(rules.map((r) => [r.ID, r])) };
}

/** Dates as S3 returns them: an ISO timestamp (midnight UTC). `2027-01-01` ≡ `2027-01-01T00:00:00.000Z`. */
function isoDate(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

function compareTags(a: LifecycleTag, b: LifecycleTag): number {
  return a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : a.Value < b.Value ? -1 : a.Value > b.Value ? 1 : 0;
}

/**
 * One canonical filter for each set of conditions: no condition (absent Filter, `{}`,
 * `{Prefix: ""}`) is `{}`; a single condition stands alone; two or more go under `And`
 * (with tags sorted), whichever way the file or S3 spelled them.
 */
export function normalizeFilter(filter: LifecycleFilter | undefined, legacyPrefix?: string): LifecycleFilter {
  const and: LifecycleAnd = filter?.And ?? {};
  const prefix = filter?.Prefix || and.Prefix || legacyPrefix || undefined;
  const tagList = [...(filter?.Tag ? [filter.Tag] : []), ...(and.Tags ?? [])];
  const tags = [...new Map(tagList.map((t) => [`${t.Key}\u0000${t.Value}`, { Key: t.Key, Value: t.Value }])).values()].sort(compareTags);
  const greater = filter?.ObjectSizeGreaterThan ?? and.ObjectSizeGreaterThan;
  const less = filter?.ObjectSizeLessThan ?? and.ObjectSizeLessThan;
  const count = (prefix ? 1 : 0) + tags.length + (greater !== undefined ? 1 : 0) + (less !== undefined ? 1 : 0);
  if (count === 0) return {};
  if (count === 1) {
    if (prefix) return { Prefix: prefix };
    if (tags[0]) return { Tag: tags[0] };
    return greater !== undefined ? { ObjectSizeGreaterThan: greater } : { ObjectSizeLessThan: less as number };
  }
  const out: LifecycleAnd = {};
  if (prefix) out.Prefix = prefix;
  if (tags.length > 0) out.Tags = tags;
  if (greater !== undefined) out.ObjectSizeGreaterThan = greater;
  if (less !== undefined) out.ObjectSizeLessThan = less;
  return { And: out };
}

function normalizeExpiration(e: LifecycleExpiration | undefined): LifecycleExpiration | undefined {
  if (!e) return undefined;
  const out: LifecycleExpiration = {};
  if (e.Days !== undefined) out.Days = e.Days;
  if (e.Date !== undefined) out.Date = isoDate(e.Date);
  // S3 answers ExpiredObjectDeleteMarker: false next to Days/Date; false is the default.
  if (e.ExpiredObjectDeleteMarker === true) out.ExpiredObjectDeleteMarker = true;
  return Object.keys(out).length > 0 ? out : undefined;
}

function transitionKey(t: LifecycleTransition): string {
  return t.Days !== undefined ? `d${String(t.Days).padStart(8, '0')}` : `t${t.Date ?? ''}`;
}

function normalizeTransitions(list: readonly LifecycleTransition[] | undefined): LifecycleTransition[] | undefined {
  if (!list || list.length === 0) return undefined;
  return list
    .map((t) => {
      const out: LifecycleTransition = { StorageClass: t.StorageClass };
      if (t.Days !== undefined) out.Days = t.Days;
      if (t.Date !== undefined) out.Date = isoDate(t.Date);
      return out;
    })
    .sort((a, b) => (transitionKey(a) < transitionKey(b) ? -1 : transitionKey(a) > transitionKey(b) ? 1 : 0));
}

function normalizeNoncurrentTransitions(list: readonly LifecycleNoncurrentTransition[] | undefined): LifecycleNoncurrentTransition[] | undefined {
  if (!list || list.length === 0) return undefined;
  return list
    .map((t) => {
      const out: LifecycleNoncurrentTransition = { NoncurrentDays: t.NoncurrentDays, StorageClass: t.StorageClass };
      if (t.NewerNoncurrentVersions !== undefined) out.NewerNoncurrentVersions = t.NewerNoncurrentVersions;
      return out;
    })
    .sort((a, b) => a.NoncurrentDays - b.NoncurrentDays || (a.StorageClass < b.StorageClass ? -1 : 1));
}

/** Canonical rule: fixed key set, defaults removed, lists sorted, dates as ISO timestamps. */
export function normalizeLifecycleRule(rule: LifecycleRule): LifecycleRule {
  const out: LifecycleRule = { ID: rule.ID, Status: rule.Status, Filter: normalizeFilter(rule.Filter) };
  const expiration = normalizeExpiration(rule.Expiration);
  if (expiration) out.Expiration = expiration;
  if (rule.NoncurrentVersionExpiration) {
    const n = rule.NoncurrentVersionExpiration;
    out.NoncurrentVersionExpiration = {
      NoncurrentDays: n.NoncurrentDays,
      ...(n.NewerNoncurrentVersions !== undefined ? { NewerNoncurrentVersions: n.NewerNoncurrentVersions } : {}),
    };
  }
  if (rule.AbortIncompleteMultipartUpload) {
    out.AbortIncompleteMultipartUpload = { DaysAfterInitiation: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation };
  }
  const transitions = normalizeTransitions(rule.Transitions);
  if (transitions) out.Transitions = transitions;
  const noncurrent = normalizeNoncurrentTransitions(rule.NoncurrentVersionTransitions);
  if (noncurrent) out.NoncurrentVersionTransitions = noncurrent;
  return out;
}

function noteSpellings(id: string, rule: LifecycleRule, out: LifecycleRule, recorder: Recorder | undefined): void {
  if (!recorder) return;
  const path = `rules.${id}`;
  if (stableStringify(rule.Filter ?? {}) !== stableStringify(out.Filter)) {
    recorder.note({
      rule: 'lifecycle filter spelling (no Filter ≡ {} ≡ Prefix ""; And of one condition ≡ that condition; tag order)',
      path: `${path}.Filter`,
      detail: `${JSON.stringify(rule.Filter ?? null)} → ${JSON.stringify(out.Filter)}`,
      key: stableStringify(rule.Filter ?? null),
    });
  }
  const dates = [rule.Expiration?.Date, ...(rule.Transitions ?? []).map((t) => t.Date)].filter((d): d is string => d !== undefined && d !== isoDate(d));
  if (dates.length > 0) recorder.note({ rule: 'a date ≡ its midnight-UTC timestamp', path, detail: dates.map((d) => `${d} → ${isoDate(d)}`).join(', '), key: dates.join(',') });
}

export function normalizeLifecycle(spec: LifecycleSpec, recorder?: Recorder): LifecycleSpec {
  const ids = Object.keys(spec.rules);
  const sorted = [...ids].sort();
  if (ids.some((id, i) => id !== sorted[i])) recorder?.note({ rule: 'lifecycle rule order (rules are matched by ID)', path: 'rules', key: ids.join(',') });
  const rules: Record<string, LifecycleRule> = {};
  for (const id of sorted) {
    const rule = spec.rules[id];
    if (!rule) continue;
    rules[id] = normalizeLifecycleRule({ ...rule, ID: id });
    noteSpellings(id, rule, rules[id], recorder);
  }
  return { rules };
}

function when(days: number | undefined, date: string | undefined): string {
  return days !== undefined ? `after ${days} day(s)` : `on ${(date ?? '').slice(0, 10)}`;
}

function filterText(filter: LifecycleFilter | undefined): string {
  const f = normalizeFilter(filter);
  const and = f.And ?? f;
  const parts: string[] = [];
  if (and.Prefix) parts.push(`prefix ${and.Prefix}`);
  for (const t of [...(f.Tag ? [f.Tag] : []), ...(f.And?.Tags ?? [])]) parts.push(`tag ${t.Key}=${t.Value}`);
  if (and.ObjectSizeGreaterThan !== undefined) parts.push(`larger than ${and.ObjectSizeGreaterThan} bytes`);
  if (and.ObjectSizeLessThan !== undefined) parts.push(`smaller than ${and.ObjectSizeLessThan} bytes`);
  return parts.length > 0 ? parts.join(' and ') : 'every object';
}

/** One line a reviewer reads: "tidy (Enabled, every object): delete noncurrent versions after 30 day(s)". */
export function lifecycleRuleText(rule: LifecycleRule): string {
  const actions: string[] = [];
  const e = rule.Expiration;
  if (e?.Days !== undefined || e?.Date !== undefined) actions.push(`expire objects ${when(e.Days, e.Date)}`);
  if (e?.ExpiredObjectDeleteMarker) actions.push('remove expired delete markers');
  for (const t of rule.Transitions ?? []) actions.push(`move to ${t.StorageClass} ${when(t.Days, t.Date)}`);
  const n = rule.NoncurrentVersionExpiration;
  if (n) actions.push(`delete noncurrent versions after ${n.NoncurrentDays} day(s)${n.NewerNoncurrentVersions ? ` (keeping ${n.NewerNoncurrentVersions} newer)` : ''}`);
  for (const t of rule.NoncurrentVersionTransitions ?? []) actions.push(`move noncurrent versions to ${t.StorageClass} after ${t.NoncurrentDays} day(s)`);
  if (rule.AbortIncompleteMultipartUpload) actions.push(`abort incomplete uploads after ${rule.AbortIncompleteMultipartUpload.DaysAfterInitiation} day(s)`);
  return `${rule.ID} (${rule.Status}, ${filterText(rule.Filter)}): ${actions.join('; ') || 'no action'}`;
}

const RULE_FIELDS = [
  'Status',
  'Filter',
  'Expiration',
  'Transitions',
  'NoncurrentVersionExpiration',
  'NoncurrentVersionTransitions',
  'AbortIncompleteMultipartUpload',
] as const;

/** Rules added, removed, and per changed rule the fields that changed. */
export function describeLifecycle(before: LifecycleSpec | null, after: LifecycleSpec | null): Detail[] {
  const was = before?.rules ?? {};
  const now = after?.rules ?? {};
  const details: Detail[] = [];
  for (const id of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
    const b = was[id];
    const a = now[id];
    const path = `rules.${id}`;
    if (!b && a) details.push({ op: 'add', path, text: `rule ${lifecycleRuleText(a)}` });
    else if (b && !a) details.push({ op: 'remove', path, text: `rule ${lifecycleRuleText(b)}` });
    else if (a && b) {
      for (const field of RULE_FIELDS) {
        if (stableStringify(b[field]) === stableStringify(a[field])) continue;
        const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
        details.push({ op: 'change', path: `${path}.${field}`, text: `rule ${id} ${field}: ${show(b[field])} → ${show(a[field])}` });
      }
    }
  }
  return details;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** An SDK rule (Dates as Date, a legacy top-level Prefix) in the file's shape. */
export function lifecycleRuleFromAws(rule: AwsLifecycleRule, index: number): LifecycleRule {
  const filter = rule.Filter;
  const out: LifecycleRule = {
    // S3 always assigns an ID; the fallback only keeps a malformed answer from colliding.
    ID: rule.ID ?? `(rule ${index + 1} without ID)`,
    Status: rule.Status === 'Enabled' ? 'Enabled' : 'Disabled',
    Filter: normalizeFilter(
      filter
        ? defined({
            Prefix: filter.Prefix,
            Tag: filter.Tag ? { Key: filter.Tag.Key ?? '', Value: filter.Tag.Value ?? '' } : undefined,
            ObjectSizeGreaterThan: filter.ObjectSizeGreaterThan,
            ObjectSizeLessThan: filter.ObjectSizeLessThan,
            And: filter.And
              ? defined({
                  Prefix: filter.And.Prefix,
                  Tags: filter.And.Tags?.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
                  ObjectSizeGreaterThan: filter.And.ObjectSizeGreaterThan,
                  ObjectSizeLessThan: filter.And.ObjectSizeLessThan,
                })
              : undefined,
          })
        : undefined,
      rule.Prefix,
    ),
  };
  if (rule.Expiration) {
    out.Expiration = defined({
      Days: rule.Expiration.Days,
      Date: rule.Expiration.Date ? isoDate(rule.Expiration.Date) : undefined,
      ExpiredObjectDeleteMarker: rule.Expiration.ExpiredObjectDeleteMarker,
    });
  }
  if (rule.NoncurrentVersionExpiration?.NoncurrentDays !== undefined) {
    out.NoncurrentVersionExpiration = defined({
      NoncurrentDays: rule.NoncurrentVersionExpiration.NoncurrentDays,
      NewerNoncurrentVersions: rule.NoncurrentVersionExpiration.NewerNoncurrentVersions,
    });
  }
  if (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined) {
    out.AbortIncompleteMultipartUpload = { DaysAfterInitiation: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation };
  }
  if (rule.Transitions) {
    out.Transitions = rule.Transitions.map((t) =>
      defined({ Days: t.Days, Date: t.Date ? isoDate(t.Date) : undefined, StorageClass: t.StorageClass ?? '' }),
    );
  }
  if (rule.NoncurrentVersionTransitions) {
    out.NoncurrentVersionTransitions = rule.NoncurrentVersionTransitions.map((t) =>
      defined({ NoncurrentDays: t.NoncurrentDays ?? 0, NewerNoncurrentVersions: t.NewerNoncurrentVersions, StorageClass: t.StorageClass ?? '' }),
    );
  }
  return out;
}

function filterToAws(filter: LifecycleFilter): LifecycleRuleFilter {
  // Every object: S3 documents an empty prefix for that; `{}` is not accepted by every S3.
  if (Object.keys(filter).length === 0) return { Prefix: '' };
  return filter;
}

/** The file's rule as the SDK wants it (Dates as Date). */
export function lifecycleRuleToAws(rule: LifecycleRule): AwsLifecycleRule {
  const n = normalizeLifecycleRule(rule);
  const out: AwsLifecycleRule = { ID: n.ID, Status: n.Status, Filter: filterToAws(n.Filter ?? {}) };
  if (n.Expiration) {
    out.Expiration = defined({ Days: n.Expiration.Days, Date: n.Expiration.Date ? new Date(n.Expiration.Date) : undefined, ExpiredObjectDeleteMarker: n.Expiration.ExpiredObjectDeleteMarker });
  }
  if (n.NoncurrentVersionExpiration) out.NoncurrentVersionExpiration = n.NoncurrentVersionExpiration;
  if (n.AbortIncompleteMultipartUpload) out.AbortIncompleteMultipartUpload = n.AbortIncompleteMultipartUpload;
  if (n.Transitions) {
    out.Transitions = n.Transitions.map((t) =>
      defined({ Days: t.Days, Date: t.Date ? new Date(t.Date) : undefined, StorageClass: t.StorageClass as TransitionStorageClass }),
    );
  }
  if (n.NoncurrentVersionTransitions) {
    out.NoncurrentVersionTransitions = n.NoncurrentVersionTransitions.map((t) => ({ ...t, StorageClass: t.StorageClass as TransitionStorageClass }));
  }
  return out;
}

export const lifecycle: BucketSetting<LifecycleSpec> = {
  kind: 's3.bucket.lifecycle',
  notConfigured: ['NoSuchLifecycleConfiguration'],
  normalize: normalizeLifecycle,
  describe: describeLifecycle,

  async read(s3, bucket) {
    const out = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    const rules = (out.Rules ?? []).map(lifecycleRuleFromAws);
    return rules.length === 0 ? undefined : { rules: Object.fromEntries(rules.map((r) => [r.ID, r])) };
  },

  async write(s3, bucket, spec) {
    const rules = Object.entries(spec.rules).map(([id, rule]) => lifecycleRuleToAws({ ...rule, ID: id }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }));
    return `${rules.length} lifecycle rule(s) set`;
  },

  async remove(s3, bucket) {
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
    return 'lifecycle configuration removed';
  },
};

export const lifecycleHandler = bucketSettingHandler(lifecycle);
