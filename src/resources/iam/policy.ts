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
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
} from '@aws-sdk/client-iam';
import type { PolicyDocument, Tags } from '../../config/types.js';
import type { Desired, Observed } from '../../core/types.js';
import { goneIfMissing, isNotFound } from '../../aws/errors.js';
import type { Discovered, ReadContext, ResourceHandler, WriteContext } from '../handler.js';
import { ownerFromTags } from '../ownership.js';
import { describeTags, managedTags, removedTagKeys, sortedTags, tagsFromList, tagsToList, type OtherTags } from '../tags.js';
import { policyArn } from './arn.js';
import { findLocalPolicy, localPolicyArn } from './policy-lookup.js';
import { describeFields } from '../../core/describe.js';
import { scoped } from '../../core/semantics.js';
import { actionSpellings, canonicalPolicy, type CanonicalPolicy } from './policy-document.js';
import { describePolicyChange } from './policy-diff.js';

export interface PolicySpec {
  /** Absent in the file: not managed (created at AWS's default "/", never moved). */
  path?: string;
  /** Absent in the file: not managed (created without one, never compared). */
  description?: string;
  /** As the file writes it, or as AWS returns it (JSON text, URL-encoded by IAM). */
  document: PolicyDocument | string;
  tags: Tags;
  otherTags?: OtherTags;
  /** Observed only (never diffed): what versions exist and who the policy is attached to. */
  versions?: PolicyVersionInfo[];
  attachedTo?: string[];
  /** Observed only: the policy's ARN as found by name (its path may differ from the file's). */
  arn?: string;
}

export interface PolicyVersionInfo {
  id: string;
  isDefault: boolean;
  created: string;
}

async function readVersions(ctx: ReadContext, arn: string): Promise<PolicyVersionInfo[]> {
  const out = await ctx.aws.iam().send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
  return (out.Versions ?? []).map((v) => ({ id: v.VersionId ?? '', isDefault: Boolean(v.IsDefaultVersion), created: v.CreateDate?.toISOString() ?? '' }));
}

/** Entities as `user/NAME`, `group/NAME`, `role/NAME`. */
async function readEntities(ctx: ReadContext, arn: string): Promise<string[]> {
  const out = await ctx.aws.iam().send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
  return [
    ...(out.PolicyUsers ?? []).map((u) => `user/${u.UserName}`),
    ...(out.PolicyGroups ?? []).map((g) => `group/${g.GroupName}`),
    ...(out.PolicyRoles ?? []).map((r) => `role/${r.RoleName}`),
  ];
}

/** The version a new one displaces when AWS's limit is reached: the oldest non-default one. */
export function versionToMakeRoomFor(versions: readonly PolicyVersionInfo[]): PolicyVersionInfo | undefined {
  if (versions.length < MAX_POLICY_VERSIONS) return undefined;
  return versions.filter((v) => !v.isDefault).sort((a, b) => a.created.localeCompare(b.created) || versionNumber(a.id) - versionNumber(b.id))[0];
}

function versionNumber(id: string): number {
  return Number(id.replace(/^v/, '')) || 0;
}

function deletionSteps(observed: PolicySpec | undefined): string[] {
  const steps = (observed?.attachedTo ?? []).map((entity) => `detach from ${entity}`);
  for (const v of observed?.versions ?? []) if (!v.isDefault) steps.push(`delete non-default version ${v.id}`);
  steps.push('delete the policy');
  return steps;
}

/** On write, send the user's own spelling (the plan carries the raw desired spec). */
function documentText(document: PolicyDocument | string): string {
  return typeof document === 'string' ? document : JSON.stringify(document);
}

/** AWS keeps at most five versions of a managed policy. */
const MAX_POLICY_VERSIONS = 5;

/** The live policy's ARN: as observed, else found by name at any path. */
async function arnOf(ctx: ReadContext, d: Desired<PolicySpec>, observed?: PolicySpec): Promise<string> {
  return observed?.arn ?? localPolicyArn(ctx, d.name, observed?.path ?? d.spec.path);
}

/** Delete the oldest non-default version when AWS's version limit is reached (never the default). */
async function makeRoomForVersion(ctx: WriteContext, arn: string): Promise<string | undefined> {
  const oldest = versionToMakeRoomFor(await readVersions(ctx, arn));
  if (!oldest) return undefined;
  await ctx.aws.iam().send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: oldest.id }));
  return oldest.id;
}

export const policyHandler: ResourceHandler<PolicySpec> = {
  kind: 'iam.policy',
  replaceOn: ['description', 'path'],

  normalize(spec, recorder) {
    if (spec.path === '') recorder?.note({ rule: 'empty path ≡ "/"', path: 'path' });
    return {
      ...(spec.path !== undefined ? { path: spec.path || '/' } : {}),
      ...(spec.description !== undefined ? { description: spec.description } : {}),
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
    const iam = ctx.aws.iam();
    // by name, at whatever path it lives: a path change is a replace, adoption works at any path
    const policy = await findLocalPolicy(ctx, d.name, d.spec.path);
    if (!policy?.Arn) return { exists: false };
    const arn = policy.Arn;
    const [version, tags, versions, attachedTo] = await Promise.all([
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId })),
      iam.send(new ListPolicyTagsCommand({ PolicyArn: arn })),
      readVersions(ctx, arn),
      readEntities(ctx, arn),
    ]);
    const observedTags = tagsFromList(tags.Tags);
    return {
      exists: true,
      spec: {
        path: policy.Path ?? '/',
        description: policy.Description ?? '',
        document: version.PolicyVersion?.Document ?? '{}',
        tags: managedTags(observedTags, d.spec.otherTags),
        versions,
        attachedTo,
        arn,
      },
      owner: ownerFromTags(observedTags, ctx.stack),
    };
  },

  async discover(ctx, declared): Promise<Discovered<PolicySpec>[]> {
    const iam = ctx.aws.iam();
    const out: Discovered<PolicySpec>[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListPoliciesCommand({ Scope: 'Local', Marker: marker }));
      for (const p of page.Policies ?? []) {
        if (!p.PolicyName || !p.Arn || declared.has(p.PolicyName)) continue;
        const tags = tagsFromList((await iam.send(new ListPolicyTagsCommand({ PolicyArn: p.Arn }))).Tags);
        if (ownerFromTags(tags, ctx.stack).kind !== 'ours') continue;
        const [versions, attachedTo] = await Promise.all([readVersions(ctx, p.Arn), readEntities(ctx, p.Arn)]);
        out.push({
          name: p.PolicyName,
          spec: { path: p.Path ?? '/', description: p.Description ?? '', document: { Statement: [] }, tags, versions, attachedTo, arn: p.Arn },
        });
      }
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return out;
  },

  steps({ action, desired, observed }) {
    if (action === 'delete') return deletionSteps(observed);
    if (action === 'replace') return [...deletionSteps(observed), 'create it again with the new description/path (attachments in the file are re-created)'];
    if (action !== 'update' || !observed) return [];
    const steps: string[] = [];
    if (JSON.stringify(canonicalPolicy(desired.document)) !== JSON.stringify(canonicalPolicy(observed.document))) {
      const displaced = versionToMakeRoomFor(observed.versions ?? []);
      if (displaced) steps.push(`delete the oldest non-default version ${displaced.id} (AWS keeps at most ${MAX_POLICY_VERSIONS})`);
      steps.push('create a new version and make it the default');
    }
    return steps;
  },

  /** A path the file leaves out is AWS's default "/" on a first create, the old one on a replace. */
  async create(ctx, d, replacing) {
    const path = d.spec.path ?? replacing?.path;
    const out = await ctx.aws.iam().send(
      new CreatePolicyCommand({
        PolicyName: d.name,
        ...(path ? { Path: path } : {}),
        ...(d.spec.description ? { Description: d.spec.description } : {}),
        PolicyDocument: documentText(d.spec.document),
        Tags: tagsToList(d.spec.tags),
      }),
    );
    return { message: `created ${out.Policy?.Arn ?? d.name}` };
  },

  async update(ctx, d, observed) {
    const arn = await arnOf(ctx, d, observed);
    const iam = ctx.aws.iam();
    const messages: string[] = [];
    const desiredDoc = JSON.stringify(canonicalPolicy(d.spec.document));
    if (desiredDoc !== JSON.stringify(canonicalPolicy(observed.document))) {
      const displaced = await makeRoomForVersion(ctx, arn);
      const created = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: documentText(d.spec.document), SetAsDefault: true }));
      messages.push(`${displaced ? `deleted version ${displaced}, ` : ''}new default version ${created.PolicyVersion?.VersionId ?? ''}`.trim());
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
    const arn = observed.arn ?? policyArn(await ctx.caller(), observed.path || '/', d.name);
    const iam = ctx.aws.iam();
    try {
      const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
      for (const u of entities.PolicyUsers ?? []) await goneIfMissing(iam.send(new DetachUserPolicyCommand({ PolicyArn: arn, UserName: u.UserName })));
      for (const g of entities.PolicyGroups ?? []) await goneIfMissing(iam.send(new DetachGroupPolicyCommand({ PolicyArn: arn, GroupName: g.GroupName })));
      for (const r of entities.PolicyRoles ?? []) await goneIfMissing(iam.send(new DetachRolePolicyCommand({ PolicyArn: arn, RoleName: r.RoleName })));
      const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
      for (const v of versions.Versions ?? []) {
        if (!v.IsDefaultVersion) await goneIfMissing(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v.VersionId })));
      }
      await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return { message: 'already gone' };
    }
    return { message: 'deleted' };
  },
};
