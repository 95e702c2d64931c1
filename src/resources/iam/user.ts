import {
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  RemoveUserFromGroupCommand,
  type UserDetail,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import type { Tags } from '../../config/types.js';
import type { Observed } from '../../core/types.js';
import { goneIfMissing, isNotFound } from '../../aws/errors.js';
import type { Discovered, ReadContext, ResourceHandler } from '../handler.js';
import { ownerFromTags, withoutToolRecords } from '../ownership.js';
import { describeTags, managedTags, removedTagKeys, sortedTags, tagsFromList, tagsToList, type OtherTags } from '../tags.js';
import { describeFields } from '../../core/describe.js';
import { ACCESS_KEYS_TAG } from '../../core/types.js';
import { parseKeyRecord } from './key-record.js';

export interface UserSpec {
  /** Absent in the file: not managed (created at AWS's default "/", never moved). */
  path?: string;
  tags: Tags;
  otherTags?: OtherTags;
  /** Orphans only: what must go before the user can be deleted, listed in the plan. */
  dependents?: UserDependents;
}

export interface UserDependents {
  accessKeys: string[];
  /** Keys the access-key record does not name: someone else's; the user is not deleted over them. */
  foreignAccessKeys?: string[];
  attachedPolicies: string[];
  inlinePolicies: string[];
  groups: string[];
  loginProfile: boolean;
}

async function* allUserDetails(ctx: ReadContext): AsyncGenerator<UserDetail> {
  let marker: string | undefined;
  do {
    const page = await ctx.aws.iam().send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'], Marker: marker }));
    yield* page.UserDetailList ?? [];
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
}

async function hasLoginProfile(ctx: ReadContext, userName: string): Promise<boolean> {
  try {
    await ctx.aws.iam().send(new GetLoginProfileCommand({ UserName: userName }));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function dependentsOf(ctx: ReadContext, detail: UserDetail, ours: ReadonlySet<string>): Promise<UserDependents> {
  const userName = detail.UserName as string;
  const keys = await ctx.aws.iam().send(new ListAccessKeysCommand({ UserName: userName }));
  const ids = (keys.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId ?? '').filter(Boolean);
  return {
    accessKeys: ids,
    foreignAccessKeys: ids.filter((id) => !ours.has(id)),
    attachedPolicies: (detail.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean),
    inlinePolicies: (detail.UserPolicyList ?? []).map((p) => p.PolicyName ?? '').filter(Boolean),
    groups: detail.GroupList ?? [],
    loginProfile: await hasLoginProfile(ctx, userName),
  };
}

export const userHandler: ResourceHandler<UserSpec> = {
  kind: 'iam.user',

  normalize(spec, recorder) {
    if (spec.path === '') recorder?.note({ rule: 'empty path ≡ "/"', path: 'path' });
    return { ...(spec.path !== undefined ? { path: spec.path || '/' } : {}), tags: sortedTags(spec.tags, recorder) };
  },

  describe(before, after) {
    return [...describeFields(before, after, ['path']), ...describeTags(before?.tags, after?.tags)];
  },

  async observe(ctx, d): Promise<Observed<UserSpec>> {
    const iam = ctx.aws.iam();
    try {
      const [user, tags] = await Promise.all([
        iam.send(new GetUserCommand({ UserName: d.name })),
        iam.send(new ListUserTagsCommand({ UserName: d.name })),
      ]);
      const observed = tagsFromList(tags.Tags);
      return {
        exists: true,
        spec: { path: user.User?.Path ?? '/', tags: managedTags(withoutToolRecords(observed), d.spec.otherTags) },
        owner: ownerFromTags(observed, ctx.stack),
      };
    } catch (err) {
      if (isNotFound(err)) return { exists: false };
      throw err;
    }
  },

  async discover(ctx, declared): Promise<Discovered<UserSpec>[]> {
    const out: Discovered<UserSpec>[] = [];
    for await (const detail of allUserDetails(ctx)) {
      const name = detail.UserName;
      if (!name || declared.has(name)) continue;
      const tags = tagsFromList(detail.Tags);
      if (ownerFromTags(tags, ctx.stack).kind !== 'ours') continue;
      const ours = new Set(parseKeyRecord(tags[ACCESS_KEYS_TAG]).keys());
      out.push({ name, spec: { path: detail.Path ?? '/', tags: withoutToolRecords(tags), dependents: await dependentsOf(ctx, detail, ours) } });
    }
    return out;
  },

  steps({ action, observed }) {
    if (action !== 'delete') return [];
    const d = observed?.dependents;
    if (!d) return ['delete the user'];
    return [
      ...d.accessKeys.map((id) => `delete access key ${id}`),
      ...d.attachedPolicies.map((arn) => `detach ${arn}`),
      ...d.inlinePolicies.map((name) => `delete inline policy ${name}`),
      ...d.groups.map((group) => `remove from group ${group}`),
      ...(d.loginProfile ? ['delete the login profile'] : []),
      'delete the user',
    ];
  },

  async create(ctx, d) {
    await ctx.aws.iam().send(new CreateUserCommand({ UserName: d.name, ...(d.spec.path ? { Path: d.spec.path } : {}), Tags: tagsToList(d.spec.tags) }));
    return { message: 'created' };
  },

  async update(ctx, d, observed) {
    const iam = ctx.aws.iam();
    const done: string[] = [];
    if (d.spec.path !== undefined && (observed.path || '/') !== (d.spec.path || '/')) {
      await iam.send(new UpdateUserCommand({ UserName: d.name, NewPath: d.spec.path }));
      done.push(`path ${d.spec.path}`);
    }
    const removed = removedTagKeys(observed.tags, d.spec.tags);
    if (removed.length > 0) await iam.send(new UntagUserCommand({ UserName: d.name, TagKeys: removed }));
    if (JSON.stringify(sortedTags(observed.tags)) !== JSON.stringify(sortedTags(d.spec.tags))) {
      await iam.send(new TagUserCommand({ UserName: d.name, Tags: tagsToList(d.spec.tags) }));
      done.push('tags updated');
    }
    return { message: done.join(', ') || 'updated' };
  },

  /**
   * AWS refuses to delete a user that still has keys, policies, groups or a login profile:
   * remove them first, in that order (moto would not refuse, so tests check the order by state).
   */
  async delete(ctx, d) {
    const iam = ctx.aws.iam();
    try {
      const keys = await iam.send(new ListAccessKeysCommand({ UserName: d.name }));
      for (const key of keys.AccessKeyMetadata ?? []) await goneIfMissing(iam.send(new DeleteAccessKeyCommand({ UserName: d.name, AccessKeyId: key.AccessKeyId })));
      const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: d.name }));
      for (const p of attached.AttachedPolicies ?? []) await goneIfMissing(iam.send(new DetachUserPolicyCommand({ UserName: d.name, PolicyArn: p.PolicyArn })));
      const inline = await iam.send(new ListUserPoliciesCommand({ UserName: d.name }));
      for (const name of inline.PolicyNames ?? []) await goneIfMissing(iam.send(new DeleteUserPolicyCommand({ UserName: d.name, PolicyName: name })));
      const groups = await iam.send(new ListGroupsForUserCommand({ UserName: d.name }));
      for (const g of groups.Groups ?? []) await goneIfMissing(iam.send(new RemoveUserFromGroupCommand({ UserName: d.name, GroupName: g.GroupName })));
      await goneIfMissing(iam.send(new DeleteLoginProfileCommand({ UserName: d.name })));
      await iam.send(new DeleteUserCommand({ UserName: d.name }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return { message: 'already gone' };
    }
    return { message: 'deleted' };
  },
};
