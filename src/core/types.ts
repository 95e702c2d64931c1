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
  /** The file says `adopt: true`: take the resource over if it exists without the stack tag. */
  adopt?: boolean;
}

/**
 * Who owns a resource that exists, read from its stack tag: this stack, nobody (exists without
 * the tag: adoptable) or another stack (a conflict; never touched).
 */
export type Owner = { kind: 'ours' } | { kind: 'unmanaged' } | { kind: 'foreign'; stack: string };

/**
 * What observe found. Never partially filled: either absent, or present with a spec. Kinds that
 * carry the stack tag themselves (bucket, user, policy) also report their owner.
 */
export type Observed<S = unknown> =
  | { exists: false; /** Why creating it would be unsafe (a safety guard: the create is blocked). */ blocked?: string }
  | { exists: true; spec: S; owner?: Owner };

/** Tag key recording which stack owns a resource. */
export const STACK_TAG = 'reconcile:stack';
/**
 * Tag recording a digest of the desired state apply last converged the resource to (bucket,
 * user, policy; each covers its sub-resources). Lets `drift` tell drifted from pending. It is
 * bookkeeping: never read into observed state, so it never shows in a plan.
 */
export const DIGEST_TAG = 'reconcile:digest';
/** Tag recording a resource's declared `deletion` policy, so it is known after it leaves the file. */
export const DELETION_TAG = 'reconcile:deletion';
/** User tag listing the access keys this tool created (keys cannot be tagged themselves). */
export const ACCESS_KEYS_TAG = 'reconcile:access-keys';
/** Tag keys the tool writes itself; users may not declare them. */
export const RESERVED_TAG_PREFIX = 'reconcile:';
