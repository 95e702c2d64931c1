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

export interface BucketConfig {
  region?: string;
  cors?: CorsRule[];
  tags?: Tags;
}

export interface PolicyConfig {
  description?: string;
  path?: string;
  grants?: Grant[];
  document?: PolicyDocument;
  tags?: Tags;
}

export interface UserConfig {
  path?: string;
  policies?: string[];
  accessKey?: boolean;
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
