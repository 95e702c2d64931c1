import { AttachUserPolicyCommand, DetachUserPolicyCommand, GetPolicyCommand, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import type { Observed } from '../../core/types.js';
import { isNotFound } from '../../aws/errors.js';
import type { ReadContext, ResourceHandler } from '../handler.js';
import { isPolicyArn } from './arn.js';
import { localPolicyArn } from './policy-lookup.js';

export interface AttachmentSpec {
  user: string;
  /** A policy name from the file, or a policy ARN. */
  policy: string;
  /** Path of a policy from the file (to build its ARN). */
  policyPath: string;
}

/** A file policy's ARN is found by name (its path in AWS may differ from the file's); an ARN is taken as is. */
async function resolveArn(ctx: ReadContext, spec: AttachmentSpec): Promise<string> {
  return isPolicyArn(spec.policy) ? spec.policy : localPolicyArn(ctx, spec.policy, spec.policyPath);
}

async function isAttached(ctx: ReadContext, user: string, arn: string): Promise<boolean> {
  // no user yet: nothing is attached (attachedPolicyArns answers [])
  return (await attachedPolicyArns(ctx, user)).includes(arn);
}

export const attachmentHandler: ResourceHandler<AttachmentSpec> = {
  kind: 'iam.user.policy-attachment',

  normalize(spec) {
    return { user: spec.user, policy: spec.policy, policyPath: spec.policyPath || '/' };
  },

  /** Attaching a policy grants its permissions to the user: flagged as broadening. */
  describe(before, after) {
    if (!before && after) return [{ op: 'add', path: 'policy', text: `attach ${after.policy} to user ${after.user}`, broadens: true }];
    if (before && !after) return [{ op: 'remove', path: 'policy', text: `detach ${before.policy} from user ${before.user}` }];
    return [];
  },

  async observe(ctx, d): Promise<Observed<AttachmentSpec>> {
    const arn = await resolveArn(ctx, d.spec);
    if (await isAttached(ctx, d.spec.user, arn)) return { exists: true, spec: d.spec };
    // a policy named by ARN is not created by this file: a typo would otherwise only show at
    // apply, after minutes of "waiting for IAM propagation"
    if (isPolicyArn(d.spec.policy) && !d.dependsOn.some((dep) => dep.startsWith('policy.'))) {
      try {
        await ctx.aws.iam().send(new GetPolicyCommand({ PolicyArn: arn }));
      } catch (err) {
        if (isNotFound(err)) throw new Error(`policy ${arn} does not exist; check the ARN (AWS managed policies are arn:aws:iam::aws:policy/NAME)`);
        throw err;
      }
    }
    return { exists: false };
  },

  async create(ctx, d) {
    const arn = await resolveArn(ctx, d.spec);
    await ctx.aws.iam().send(new AttachUserPolicyCommand({ UserName: d.spec.user, PolicyArn: arn }));
    return { message: `attached ${arn}` };
  },

  async update(ctx, d) {
    return attachmentHandler.create(ctx, d);
  },

  async delete(ctx, d, observed) {
    const arn = await resolveArn(ctx, observed);
    try {
      await ctx.aws.iam().send(new DetachUserPolicyCommand({ UserName: observed.user, PolicyArn: arn }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return { message: `detached ${arn}` };
  },
};

/** ARNs of the managed policies attached to a user (read-only); empty when the user is gone. */
export async function attachedPolicyArns(ctx: ReadContext, user: string): Promise<string[]> {
  const out: string[] = [];
  try {
    let marker: string | undefined;
    do {
      const page = await ctx.aws.iam().send(new ListAttachedUserPoliciesCommand({ UserName: user, Marker: marker }));
      for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) out.push(p.PolicyArn);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return out.sort();
}
