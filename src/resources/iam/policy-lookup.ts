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
  const found = (await localPolicies(ctx)).get(name);
  if (!found?.Arn) return undefined;
  try {
    return (await iam.send(new GetPolicyCommand({ PolicyArn: found.Arn }))).Policy ?? found;
  } catch (err) {
    // listed earlier in this run, deleted since (a replace): gone
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The account's own policies by name, listed once per run (per client set), not once per lookup. */
const listings = new WeakMap<object, Promise<ReadonlyMap<string, Policy>>>();

function localPolicies(ctx: ReadContext): Promise<ReadonlyMap<string, Policy>> {
  let listing = listings.get(ctx.aws);
  if (!listing) {
    listing = listAll(ctx);
    listings.set(ctx.aws, listing);
    // a failed listing is not remembered: the next lookup tries again
    listing.catch(() => listings.delete(ctx.aws));
  }
  return listing;
}

async function listAll(ctx: ReadContext): Promise<ReadonlyMap<string, Policy>> {
  const byName = new Map<string, Policy>();
  let marker: string | undefined;
  do {
    const page = await ctx.aws.iam().send(new ListPoliciesCommand({ Scope: 'Local', Marker: marker }));
    for (const p of page.Policies ?? []) if (p.PolicyName && !byName.has(p.PolicyName)) byName.set(p.PolicyName, p);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return byName;
}

/** The ARN of the account's policy `name` as it exists (any path), or as it would be created at `pathHint`. */
export async function localPolicyArn(ctx: ReadContext, name: string, pathHint = '/'): Promise<string> {
  return (await findLocalPolicy(ctx, name, pathHint))?.Arn ?? policyArn(await ctx.caller(), pathHint || '/', name);
}
