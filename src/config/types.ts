/**
 * The shape of storage.yaml (version 1). Kept in lockstep with schemas/storage.schema.json
 * by test/unit/schema-types.test.ts.
 */
export type Tags = Record<string, string>;

export interface CorsRule {
  ID?: string;
  AllowedHeaders?: string[];
  AllowedMethods: string[];
  AllowedOrigins: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

export type GrantAccess = 'read' | 'write' | 'read-write' | 'full';

export interface Grant {
  bucket: string;
  access: GrantAccess;
  prefix?: string;
}

export type PolicyValue = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: PolicyValue;
  NotAction?: PolicyValue;
  Resource?: PolicyValue;
  NotResource?: PolicyValue;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** `AES256` (SSE-S3) or `aws:kms` (SSE-KMS with the AWS managed key), or the object form. */
export type EncryptionConfig =
  | 'AES256'
  | 'aws:kms'
  | { algorithm: 'AES256' }
  | { algorithm: 'aws:kms'; kmsKeyId?: string; bucketKey?: boolean };

export interface PublicAccessBlockFlags {
  blockPublicAcls?: boolean;
  ignorePublicAcls?: boolean;
  blockPublicPolicy?: boolean;
  restrictPublicBuckets?: boolean;
}

/** `true`: all four flags on; an object: the flags given (an omitted flag is false). */
export type PublicAccessBlockConfig = true | PublicAccessBlockFlags;

export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

export interface LifecycleTag {
  Key: string;
  Value: string;
}

export interface LifecycleAnd {
  Prefix?: string;
  Tags?: LifecycleTag[];
  ObjectSizeGreaterThan?: number;
  ObjectSizeLessThan?: number;
}

export interface LifecycleFilter {
  Prefix?: string;
  Tag?: LifecycleTag;
  ObjectSizeGreaterThan?: number;
  ObjectSizeLessThan?: number;
  And?: LifecycleAnd;
}

export interface LifecycleExpiration {
  Days?: number;
  /** ISO 8601 date (midnight UTC), e.g. 2027-01-01. */
  Date?: string;
  ExpiredObjectDeleteMarker?: boolean;
}

export interface LifecycleTransition {
  Days?: number;
  Date?: string;
  StorageClass: string;
}

export interface LifecycleNoncurrentTransition {
  NoncurrentDays: number;
  NewerNoncurrentVersions?: number;
  StorageClass: string;
}

/** One lifecycle rule in AWS's shape (PutBucketLifecycleConfiguration's Rules). */
export interface LifecycleRule {
  ID: string;
  Status: 'Enabled' | 'Disabled';
  Filter?: LifecycleFilter;
  Expiration?: LifecycleExpiration;
  NoncurrentVersionExpiration?: { NoncurrentDays: number; NewerNoncurrentVersions?: number };
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
  Transitions?: LifecycleTransition[];
  NoncurrentVersionTransitions?: LifecycleNoncurrentTransition[];
}

/**
 * Ownership options every resource takes. `deletion` is recorded on the resource as a tag, so it
 * still applies after the resource leaves the file. Absent: an orphan is deleted by --prune
 * (a bucket only when it holds no data).
 */
export interface Ownership {
  /** Take the resource over if it exists without the stack tag (like --adopt, for this one). */
  adopt?: boolean;
}

export interface BucketConfig extends Ownership {
  /** retain: never deleted, even with --prune; destroy-data: --prune --allow-data-loss may empty and delete it. */
  deletion?: 'retain' | 'destroy-data';
  region?: string;
  ownership?: ObjectOwnership;
  publicAccessBlock?: PublicAccessBlockConfig;
  policy?: PolicyDocument;
  cors?: CorsRule[];
  versioning?: boolean;
  encryption?: EncryptionConfig;
  lifecycle?: LifecycleRule[];
  tags?: Tags;
}

export interface PolicyConfig extends Ownership {
  /** retain: never deleted, even with --prune. */
  deletion?: 'retain';
  description?: string;
  path?: string;
  grants?: Grant[];
  document?: PolicyDocument;
  tags?: Tags;
}

/** Where a new access key's secret goes (exactly one). */
export type SecretSinkConfig =
  | { file: true }
  | { secretsManager: string; region?: string }
  | { ssmParameter: string; region?: string };

export interface AccessKeyConfig {
  /** Create a new key (and retire the old one) when the active key is this many days old. */
  rotateAfterDays?: number;
  /** Default: the --secrets-out file. */
  deliverTo?: SecretSinkConfig;
}

export interface UserConfig extends Ownership {
  /** retain: never deleted, even with --prune. */
  deletion?: 'retain';
  path?: string;
  policies?: string[];
  accessKey?: boolean | AccessKeyConfig;
  tags?: Tags;
}

export interface StorageConfig {
  version: 1;
  stack: string;
  region?: string;
  account?: string;
  tags?: Tags;
  buckets?: Record<string, BucketConfig>;
  policies?: Record<string, PolicyConfig>;
  users?: Record<string, UserConfig>;
}
