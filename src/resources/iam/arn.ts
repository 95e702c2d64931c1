import type { Caller } from '../handler.js';

export function isPolicyArn(ref: string): boolean {
  return ref.startsWith('arn:');
}

/** ARN of a customer-managed policy in the caller's account. */
export function policyArn(caller: Caller, path: string, name: string): string {
  return `arn:${caller.partition}:iam::${caller.accountId}:policy${path}${name}`;
}
