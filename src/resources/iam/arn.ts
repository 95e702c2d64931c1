import type { Caller } from '../handler.js';

export function isPolicyArn(ref: string): boolean {
  return ref.startsWith('arn:');
}

/** ARN of a customer-managed policy in the caller's account. */
export function policyArn(caller: Caller, path: string, name: string): string {
  return `arn:${caller.partition}:iam::${caller.accountId}:policy${path}${name}`;
}

/** `arn:aws:iam::123456789012:policy/path/NAME` → NAME, for a policy of an account (not `aws`-managed). */
export function customerPolicyName(arn: string): string | undefined {
  const [prefix, , service, , account, resource] = arn.split(':');
  if (prefix !== 'arn' || service !== 'iam' || !account || account === 'aws' || !resource?.startsWith('policy/')) return undefined;
  return resource.slice(resource.lastIndexOf('/') + 1) || undefined;
}
