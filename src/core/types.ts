/** Every kind of resource the tool manages. */
export type Kind =
  | 's3.bucket'
  | 's3.bucket.cors'
  | 's3.bucket.versioning'
  | 's3.bucket.encryption'
  | 's3.bucket.public-access-block'
  | 's3.bucket.ownership'
  | 's3.bucket.lifecycle'
  | 's3.bucket.policy'
  | 'iam.policy'
  | 'iam.user'
  | 'iam.user.policy-attachment'
  | 'iam.access-key';

/** A resource as the file declares it, expanded from the config. */
export interface Desired<S = unknown> {
  /** Stable, human-readable id, e.g. `bucket.acme-uploads.cors`. */
  address: string;
  kind: Kind;
  /** The AWS name of the resource (bucket, user or policy name). */
  name: string;
  spec: S;
  /** Addresses that must be applied first. */
  dependsOn: string[];
  /** JSON Pointer into storage.yaml where the resource is declared. */
  source: string;
  /** Region the resource lives in (buckets and their settings). */
  region?: string;
}

/** What observe found. Never partially filled: either absent, or present with a spec. */
export type Observed<S = unknown> = { exists: false } | { exists: true; spec: S };

/** Tag key recording which stack owns a resource. */
export const STACK_TAG = 'reconcile:stack';
/**
 * Tag recording a digest of the desired state apply last converged the resource to (bucket,
 * user, policy; each covers its sub-resources). Lets `drift` tell drifted from pending. It is
 * bookkeeping: never read into observed state, so it never shows in a plan.
 */
export const DIGEST_TAG = 'reconcile:digest';
/** Tag keys the tool writes itself; users may not declare them. */
export const RESERVED_TAG_PREFIX = 'reconcile:';
