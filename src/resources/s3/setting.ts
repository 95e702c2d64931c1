import type { S3Client } from '@aws-sdk/client-s3';
import { isAwsError } from '../../aws/errors.js';
import { stableStringify } from '../../core/canonical.js';
import type { Desired, Kind, Observed } from '../../core/types.js';
import type { Detail, Recorder } from '../../core/semantics.js';
import type { ReadContext, ResourceHandler } from '../handler.js';

/**
 * What one bucket sub-setting (versioning, encryption, ...) supplies: pure normalization and
 * three small S3 calls. The factory below turns it into a ResourceHandler, so every setting
 * reads "not configured" and "no such bucket" the same way.
 */
export interface BucketSetting<S> {
  kind: Kind;
  /** S3's error code(s) for "this setting was never configured": read as absent, not an error. */
  notConfigured: readonly string[];
  /** Canonical form; the recorder (for `plan --explain`) hears each rule that rewrote something. */
  normalize(spec: S, recorder?: Recorder): S;
  /** The semantic change (see ResourceHandler.describe); generic attribute lines without it. */
  describe?(before: S | null, after: S | null, raw: { desired?: S; observed?: S }): Detail[];
  /** Current setting; `undefined` when S3 reports it as not configured in a successful answer. */
  read(s3: S3Client, bucket: string): Promise<S | undefined>;
  /** Make the bucket match `spec`; `observed` is the live setting when known. Returns a report line. */
  write(s3: S3Client, bucket: string, spec: S, observed: S | undefined): Promise<string>;
  /**
   * How S3 behaves when the setting is not configured, where that equals a value one can declare
   * (a public access block of four false flags): declaring exactly that is then no change.
   */
  absent?: S;
  /** Remove the setting (back to S3's default). Returns a report line. */
  remove(s3: S3Client, bucket: string, observed: S): Promise<string>;
}

function clientFor(ctx: ReadContext, d: Desired): S3Client {
  return ctx.aws.s3(d.region ?? ctx.defaultRegion);
}

export function bucketSettingHandler<S>(setting: BucketSetting<S>): ResourceHandler<S> {
  return {
    kind: setting.kind,
    normalize: (spec, recorder) => setting.normalize(spec, recorder),
    ...(setting.describe ? { describe: setting.describe.bind(setting) } : {}),

    async observe(ctx, d): Promise<Observed<S>> {
      const notConfigured = (): Observed<S> => {
        const same = setting.absent !== undefined && stableStringify(setting.normalize(setting.absent)) === stableStringify(setting.normalize(d.spec as S));
        return same ? { exists: true, spec: setting.absent as S } : { exists: false };
      };
      try {
        const spec = await setting.read(clientFor(ctx, d), d.name);
        return spec === undefined ? notConfigured() : { exists: true, spec };
      } catch (err) {
        // A missing bucket means the setting is missing too (the bucket step creates it first).
        if (isAwsError(err, 'NoSuchBucket')) return { exists: false };
        if (isAwsError(err, ...setting.notConfigured)) return notConfigured();
        throw err;
      }
    },

    async create(ctx, d) {
      return { message: await setting.write(clientFor(ctx, d), d.name, d.spec, undefined) };
    },

    async update(ctx, d, observed) {
      return { message: await setting.write(clientFor(ctx, d), d.name, d.spec, observed) };
    },

    async delete(ctx, d, observed) {
      try {
        return { message: await setting.remove(clientFor(ctx, d), d.name, observed) };
      } catch (err) {
        if (isAwsError(err, 'NoSuchBucket', ...setting.notConfigured)) return { message: 'already gone' };
        throw err;
      }
    },
  };
}
