interface AwsErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function shape(err: unknown): AwsErrorShape {
  return typeof err === 'object' && err !== null ? (err as AwsErrorShape) : {};
}

export function errorCode(err: unknown): string {
  const e = shape(err);
  return e.Code ?? e.name ?? 'UnknownError';
}

export function httpStatus(err: unknown): number | undefined {
  return shape(err).$metadata?.httpStatusCode;
}

/** True when AWS answered with one of these error codes. */
export function isAwsError(err: unknown, ...codes: string[]): boolean {
  return codes.includes(errorCode(err));
}

export function isNotFound(err: unknown, ...codes: string[]): boolean {
  return isAwsError(err, 'NoSuchEntity', 'NotFound', ...codes);
}

/** Awaits a deletion step, treating "already gone" as done: another step may have raced it. */
export async function goneIfMissing(step: Promise<unknown>): Promise<void> {
  try {
    await step;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Errors retrying cannot fix: the request itself is wrong or forbidden. */
export function isTerminal(err: unknown): boolean {
  return isAwsError(
    err,
    'AccessDenied',
    'AccessDeniedException',
    'MalformedPolicyDocument',
    'MalformedPolicy',
    'MalformedXML',
    'InvalidArgument',
    'ValidationError',
    'InvalidInput',
    'InvalidBucketName',
    'LimitExceeded',
  );
}

/**
 * S3's answers for a bucket setting that was never configured: the setting is absent, not an
 * error. (`NoSuchBucket` means the bucket itself is missing; AccessDenied is always an error.)
 */
export const NOT_CONFIGURED_CODES = [
  'NoSuchCORSConfiguration',
  'NoSuchTagSet',
  'NoSuchTagSetError',
  'NoSuchBucketPolicy',
  'NoSuchLifecycleConfiguration',
  'NoSuchPublicAccessBlockConfiguration',
  'ServerSideEncryptionConfigurationNotFoundError',
  'OwnershipControlsNotFoundError',
] as const;

export function isNotConfigured(err: unknown): boolean {
  return isAwsError(err, ...NOT_CONFIGURED_CODES);
}

/** How an error answer to a read of a bucket setting is to be understood. */
export type ReadAnswer = 'absent' | 'bucket-missing' | 'error';

export function classifyReadError(err: unknown): ReadAnswer {
  if (isNotConfigured(err)) return 'absent';
  if (isAwsError(err, 'NoSuchBucket')) return 'bucket-missing';
  return 'error';
}
