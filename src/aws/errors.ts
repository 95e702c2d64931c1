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
