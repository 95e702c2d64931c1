/** Exit codes shared by every command (see PRODUCT.md). */
export const ExitCode = {
  ok: 0,
  error: 1,
  changes: 2,
  stale: 3,
  blocked: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the user can act on; printed without a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.error,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

const PREFIXED = Symbol('reconcile.resource');

/**
 * Run `body` for one resource; an error it throws names the resource: `bucket.foo: GetBucketCors:
 * Access Denied`. The error object is kept (its code still drives retries), once per error.
 */
export async function forResource<T>(address: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    // a credentials error is one object shared by every concurrent call: it belongs to no resource
    if (err instanceof Error && !(err instanceof UserError) && err.name !== 'CredentialsProviderError' && !(PREFIXED in err)) {
      Object.defineProperty(err, PREFIXED, { value: address });
      err.message = `${address}: ${err.message}`;
    }
    throw err;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
