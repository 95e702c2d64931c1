import {
  DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand,
  PutBucketEncryptionCommand,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import type { EncryptionConfig } from '../../config/types.js';
import { bucketSettingHandler, type BucketSetting } from './setting.js';

export type EncryptionAlgorithm = 'AES256' | 'aws:kms';

/**
 * Default encryption. For SSE-S3 (AES256) only the algorithm matters; for SSE-KMS the key
 * (null: the AWS managed key aws/s3) and whether an S3 Bucket Key is used.
 */
export interface EncryptionSpec {
  algorithm: EncryptionAlgorithm;
  kmsKeyId?: string | null;
  bucketKey?: boolean;
}

/** The file's shorthand (`AES256`, `aws:kms`) or object, as a spec with every key present. */
export function encryptionFromConfig(config: EncryptionConfig): EncryptionSpec {
  if (config === 'AES256' || (typeof config === 'object' && config.algorithm === 'AES256')) {
    return { algorithm: 'AES256', kmsKeyId: null, bucketKey: false };
  }
  if (typeof config === 'string') return { algorithm: 'aws:kms', kmsKeyId: null, bucketKey: false };
  return { algorithm: 'aws:kms', kmsKeyId: config.kmsKeyId ?? null, bucketKey: config.bucketKey ?? false };
}

/** A bucket key and a key id mean nothing under SSE-S3 (S3 answers BucketKeyEnabled false there). */
export function normalizeEncryption(spec: EncryptionSpec): EncryptionSpec {
  if (spec.algorithm === 'AES256') return { algorithm: 'AES256' };
  return { algorithm: spec.algorithm, kmsKeyId: awsManagedKey(spec.kmsKeyId) ? null : spec.kmsKeyId || null, bucketKey: spec.bucketKey === true };
}

/** `alias/aws/s3` (or its ARN) names the AWS managed key that SSE-KMS uses when no key is given. */
function awsManagedKey(id: string | null | undefined): boolean {
  return typeof id === 'string' && /(^|:)alias\/aws\/s3$/.test(id);
}

export function encryptionFromAws(rules: readonly ServerSideEncryptionRule[] | undefined): EncryptionSpec | undefined {
  const rule = rules?.[0];
  const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  if (!rule || !algorithm) return undefined;
  return {
    algorithm: algorithm as EncryptionAlgorithm,
    kmsKeyId: rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID ?? null,
    bucketKey: rule.BucketKeyEnabled ?? false,
  };
}

export function encryptionToAws(spec: EncryptionSpec): ServerSideEncryptionRule {
  const n = normalizeEncryption(spec);
  if (n.algorithm === 'AES256') return { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } };
  return {
    ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', ...(n.kmsKeyId ? { KMSMasterKeyID: n.kmsKeyId } : {}) },
    BucketKeyEnabled: n.bucketKey === true,
  };
}

export const encryption: BucketSetting<EncryptionSpec> = {
  kind: 's3.bucket.encryption',
  notConfigured: ['ServerSideEncryptionConfigurationNotFoundError'],
  normalize: normalizeEncryption,

  async read(s3, bucket) {
    const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    return encryptionFromAws(out.ServerSideEncryptionConfiguration?.Rules);
  },

  async write(s3, bucket, spec) {
    await s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [encryptionToAws(spec)] } }));
    return spec.algorithm === 'AES256' ? 'SSE-S3 (AES256) set' : `SSE-KMS set (${spec.kmsKeyId ?? 'AWS managed key'})`;
  },

  async remove(s3, bucket) {
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
    return 'default encryption reset to S3 default';
  },
};

export const encryptionHandler = bucketSettingHandler(encryption);
