import { joinPointer } from '../config/source.js';
import type { AttachmentSpec } from '../resources/iam/attachment.js';
import { customerPolicyName, isPolicyArn } from '../resources/iam/arn.js';
import type { ResourceHandler } from '../resources/handler.js';
import { patchBetween, type Change } from './model.js';

export interface DeclaredAttachments {
  user: string;
  /** The user's `policies:` as written: names of policies in the file, or ARNs. */
  declared: readonly string[];
  /** ARNs attached to the user in AWS now. */
  attached: readonly string[];
}

/** Whether an attached ARN is what one of the declared references means (a file name matches at any path). */
export function isDeclared(arn: string, declared: readonly string[]): boolean {
  const name = customerPolicyName(arn);
  return declared.some((ref) => (isPolicyArn(ref) ? ref === arn : ref === name));
}

/**
 * A user's declared `policies:` list is exclusive: every managed policy attached to the user that
 * the list does not name (removed from the file, or attached out of band) is planned as a detach.
 * It is part of the declaration, not an orphan, so no --prune is needed. Pure.
 */
export function planDetachments(input: DeclaredAttachments, handler: ResourceHandler): Change[] {
  return input.attached
    .filter((arn) => !isDeclared(arn, input.declared))
    .map((arn) => {
      const label = customerPolicyName(arn) ?? arn;
      const spec: AttachmentSpec = { user: input.user, policy: arn, policyPath: '/' };
      const before = handler.normalize(spec);
      const details = handler.describe?.(before, null, { observed: spec }) ?? [];
      return {
        address: `user.${input.user}.policy[${label}]`,
        kind: 'iam.user.policy-attachment',
        name: `${input.user}/${label}`,
        action: 'delete',
        before,
        after: null,
        patch: patchBetween(before, null),
        details,
        desired: spec,
        observed: spec,
        dependsOn: [`user.${input.user}`],
        source: joinPointer(['users', input.user, 'policies']),
        reason: `attached, but not in the user's policies list (the list is exclusive): detached`,
        steps: [`detach ${arn}`],
      } satisfies Change;
    });
}
