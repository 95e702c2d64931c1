import { GetPolicyCommand, ListPoliciesCommand, type Policy } from '@aws-sdk/client-iam';
import { isNotFound } from '../../aws/errors.js';
import type { ReadContext } from '../handler.js';
import { policyArn } from './arn.js';

/**
 * A customer-managed policy found by name, whatever its path: names are unique in an account
 * regardless of path, so the path in the file is only a hint (tried first, one call), never
 * the identity. Falls back to listing the account's own policies. Read-only.
 */
export async function findLocalPolicy(ctx: ReadContext, name: string, pathHint = '/'): Promise<Policy | undefined> {
  const iam = ctx.aws.iam();
  try {
    const hinted = (await iam.send(new GetPolicyCommand({ PolicyArn: policyArn(await ctx.caller(), pathHint || '/', name) }))).Policy;
    if (hinted) return hinted;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListPoliciesCommand({ Scope: 'Local', Marker: marker }));
    const found = (page.Policies ?? []).find((p) => p.PolicyName === name);
    if (found?.Arn) return (await iam.send(new GetPolicyCommand({ PolicyArn: found.Arn }))).Policy ?? found;
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return undefined;
}

/** The ARN of the account's policy `name` as it exists (any path), or as it would be created at `pathHint`. */
export async function localPolicyArn(ctx: ReadContext, name: string, pathHint = '/'): Promise<string> {
  return (await findLocalPolicy(ctx, name, pathHint))?.Arn ?? policyArn(await ctx.caller(), pathHint || '/', name);
}
