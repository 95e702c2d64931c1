import {
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import type { Tags } from '../../config/types.js';
import type { Observed } from '../../core/types.js';
import { isNotFound } from '../../aws/errors.js';
import type { ResourceHandler } from '../handler.js';
import { describeTags, removedTagKeys, sortedTags, tagsFromList, tagsToList } from '../tags.js';
import { describeFields } from '../../core/describe.js';

export interface UserSpec {
  path: string;
  tags: Tags;
}

export const userHandler: ResourceHandler<UserSpec> = {
  kind: 'iam.user',

  normalize(spec, recorder) {
    if (spec.path === '') recorder?.note({ rule: 'empty path ≡ "/"', path: 'path' });
    return { path: spec.path || '/', tags: sortedTags(spec.tags, recorder) };
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
      return { exists: true, spec: { path: user.User?.Path ?? '/', tags: tagsFromList(tags.Tags) } };
    } catch (err) {
      if (isNotFound(err)) return { exists: false };
      throw err;
    }
  },

  async create(ctx, d) {
    await ctx.aws.iam().send(new CreateUserCommand({ UserName: d.name, Path: d.spec.path, Tags: tagsToList(d.spec.tags) }));
    return { message: 'created' };
  },

  async update(ctx, d, observed) {
    const iam = ctx.aws.iam();
    const done: string[] = [];
    if ((observed.path || '/') !== (d.spec.path || '/')) {
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

  /** AWS refuses to delete a user that still has keys, policies or a login profile: remove them first. */
  async delete(ctx, d) {
    const iam = ctx.aws.iam();
    try {
      const keys = await iam.send(new ListAccessKeysCommand({ UserName: d.name }));
      for (const key of keys.AccessKeyMetadata ?? []) {
        await iam.send(new DeleteAccessKeyCommand({ UserName: d.name, AccessKeyId: key.AccessKeyId }));
      }
      const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: d.name }));
      for (const p of attached.AttachedPolicies ?? []) {
        await iam.send(new DetachUserPolicyCommand({ UserName: d.name, PolicyArn: p.PolicyArn }));
      }
      const inline = await iam.send(new ListUserPoliciesCommand({ UserName: d.name }));
      for (const name of inline.PolicyNames ?? []) await iam.send(new DeleteUserPolicyCommand({ UserName: d.name, PolicyName: name }));
      try {
        await iam.send(new DeleteLoginProfileCommand({ UserName: d.name }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      await iam.send(new DeleteUserCommand({ UserName: d.name }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return { message: 'deleted' };
  },
};
