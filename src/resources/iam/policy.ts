import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListEntitiesForPolicyCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
} from '@aws-sdk/client-iam';
import type { PolicyDocument, Tags } from '../../config/types.js';
import type { Desired, Observed } from '../../core/types.js';
import { isNotFound } from '../../aws/errors.js';
import type { ReadContext, ResourceHandler, WriteContext } from '../handler.js';
import { describeTags, removedTagKeys, sortedTags, tagsFromList, tagsToList } from '../tags.js';
import { policyArn } from './arn.js';
import { describeFields } from '../../core/describe.js';
import { scoped } from '../../core/semantics.js';
import { actionSpellings, canonicalPolicy, type CanonicalPolicy } from './policy-document.js';
import { describePolicyChange } from './policy-diff.js';

export interface PolicySpec {
  path: string;
  description: string;
  /** As the file writes it, or as AWS returns it (JSON text, URL-encoded by IAM). */
  document: PolicyDocument | string;
  tags: Tags;
}

/** On write, send the user's own spelling (the plan carries the raw desired spec). */
function documentText(document: PolicyDocument | string): string {
  return typeof document === 'string' ? document : JSON.stringify(document);
}

/** AWS keeps at most five versions of a managed policy. */
const MAX_POLICY_VERSIONS = 5;

async function arnOf(ctx: ReadContext, d: Desired<PolicySpec>): Promise<string> {
  return policyArn(await ctx.caller(), d.spec.path, d.name);
}

/** Delete the oldest non-default version when AWS's version limit is reached. */
async function makeRoomForVersion(ctx: WriteContext, arn: string): Promise<void> {
  const out = await ctx.aws.iam().send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
  const versions = out.Versions ?? [];
  if (versions.length < MAX_POLICY_VERSIONS) return;
  const oldest = versions
    .filter((v) => !v.IsDefaultVersion)
    .sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0))[0];
  if (oldest?.VersionId) await ctx.aws.iam().send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: oldest.VersionId }));
}

export const policyHandler: ResourceHandler<PolicySpec> = {
  kind: 'iam.policy',
  replaceOn: ['description', 'path'],

  normalize(spec, recorder) {
    if (spec.path === '') recorder?.note({ rule: 'empty path ≡ "/"', path: 'path' });
    return {
      path: spec.path || '/',
      description: spec.description ?? '',
      document: canonicalPolicy(spec.document, scoped(recorder, 'document')) as unknown as PolicyDocument,
      tags: sortedTags(spec.tags, recorder),
    };
  },

  describe(before, after, raw) {
    const spellings = actionSpellings(raw.desired?.document, raw.observed?.document);
    const doc = (spec: PolicySpec | null): CanonicalPolicy | null => (spec ? (spec.document as unknown as CanonicalPolicy) : null);
    return [
      ...describeFields(before, after, ['path', 'description']),
      ...describePolicyChange(doc(before), doc(after), spellings),
      ...describeTags(before?.tags, after?.tags),
    ];
  },

  async observe(ctx, d): Promise<Observed<PolicySpec>> {
    const arn = await arnOf(ctx, d);
    const iam = ctx.aws.iam();
    let policy;
    try {
      policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
    } catch (err) {
      if (isNotFound(err)) return { exists: false };
      throw err;
    }
    if (!policy) return { exists: false };
    const [version, tags] = await Promise.all([
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId })),
      iam.send(new ListPolicyTagsCommand({ PolicyArn: arn })),
    ]);
    return {
      exists: true,
      spec: {
        path: policy.Path ?? '/',
        description: policy.Description ?? '',
        document: version.PolicyVersion?.Document ?? '{}',
        tags: tagsFromList(tags.Tags),
      },
    };
  },

  async create(ctx, d) {
    const out = await ctx.aws.iam().send(
      new CreatePolicyCommand({
        PolicyName: d.name,
        Path: d.spec.path,
        ...(d.spec.description ? { Description: d.spec.description } : {}),
        PolicyDocument: documentText(d.spec.document),
        Tags: tagsToList(d.spec.tags),
      }),
    );
    return { message: `created ${out.Policy?.Arn ?? d.name}` };
  },

  async update(ctx, d, observed) {
    const arn = await arnOf(ctx, d);
    const iam = ctx.aws.iam();
    const messages: string[] = [];
    const desiredDoc = JSON.stringify(canonicalPolicy(d.spec.document));
    if (desiredDoc !== JSON.stringify(canonicalPolicy(observed.document))) {
      await makeRoomForVersion(ctx, arn);
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: documentText(d.spec.document), SetAsDefault: true }));
      messages.push('new default version');
    }
    const removed = removedTagKeys(observed.tags, d.spec.tags);
    if (removed.length > 0) await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: removed }));
    if (JSON.stringify(sortedTags(observed.tags)) !== JSON.stringify(sortedTags(d.spec.tags))) {
      await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: tagsToList(d.spec.tags) }));
      messages.push('tags updated');
    }
    return { message: messages.join(', ') || 'updated' };
  },

  /** AWS requires detaching from every entity and deleting non-default versions first. */
  async delete(ctx, d, observed) {
    const arn = policyArn(await ctx.caller(), observed.path, d.name);
    const iam = ctx.aws.iam();
    try {
      const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
      for (const u of entities.PolicyUsers ?? []) await iam.send(new DetachUserPolicyCommand({ PolicyArn: arn, UserName: u.UserName }));
      for (const g of entities.PolicyGroups ?? []) await iam.send(new DetachGroupPolicyCommand({ PolicyArn: arn, GroupName: g.GroupName }));
      for (const r of entities.PolicyRoles ?? []) await iam.send(new DetachRolePolicyCommand({ PolicyArn: arn, RoleName: r.RoleName }));
      const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
      for (const v of versions.Versions ?? []) {
        if (!v.IsDefaultVersion) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v.VersionId }));
      }
      await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return { message: 'deleted' };
  },
};
