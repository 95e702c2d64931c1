import { randomBytes } from 'node:crypto';
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { SecretSinkConfig } from '../../config/types.js';
import { ACCESS_KEYS_TAG, type Observed } from '../../core/types.js';
import { errorMessage } from '../../core/errors.js';
import { errorCode, isNotFound } from '../../aws/errors.js';
import type { ReadContext, ResourceHandler, WriteContext } from '../handler.js';
import { tagsFromList } from '../tags.js';
import { claimInterruptedCreate, formatKeyRecord, formatWithIntent, parseCreateIntent, parseKeyRecord, type CreateIntent, type KeyRecord } from './key-record.js';
import { assessKeys, describeKeyStep, type KeyInfo, type KeyPolicy, type KeyStep } from './key-rotation.js';

export interface AccessKeySpec {
  user: string;
  rotateAfterDays?: number;
  deliverTo?: SecretSinkConfig;
  /** Key operations still needed. Desired: none. Observed: what the keys in AWS call for. */
  keySteps: string[];
  /** Observed only: why the needed operations cannot run. */
  blocked?: string;
  /** `accessKey: false`: no key of ours — the keys the record names are deleted. */
  none?: true;
  /** Observed only: every needed operation is the tool's own schedule (a due rotation), not drift. */
  scheduled?: true;
}

/** Keys this process deactivated: deleting them is for a later run, not a sign of non-convergence. */
const retiredThisRun = new Set<string>();
/** Keys this process created: the newest by definition, never due for rotation in this run. */
const createdThisRun = new Set<string>();

/** New keys take seconds to become valid everywhere. */
const VERIFY_DEADLINE_MS = 120_000;

export function sinkName(target: SecretSinkConfig | undefined): string {
  if (target && 'secretsManager' in target) return `Secrets Manager secret ${target.secretsManager}`;
  if (target && 'ssmParameter' in target) return `SSM parameter ${target.ssmParameter}`;
  return 'the --secrets-out file';
}

/** True when delivering this key's secret needs the --secrets-out file. */
export function usesSecretsFile(spec: Pick<AccessKeySpec, 'deliverTo'>): boolean {
  return spec.deliverTo === undefined || 'file' in spec.deliverTo;
}

interface KeyState {
  keys: KeyInfo[];
  record: KeyRecord;
}

async function readState(ctx: ReadContext, user: string): Promise<KeyState> {
  const [keys, value] = await Promise.all([ctx.aws.iam().send(new ListAccessKeysCommand({ UserName: user })), recordValue(ctx, user)]);
  const infos: KeyInfo[] = (keys.AccessKeyMetadata ?? []).map((k) => ({
    id: k.AccessKeyId ?? '',
    status: k.Status === 'Inactive' ? 'Inactive' : 'Active',
    created: k.CreateDate?.toISOString() ?? '',
  }));
  return { keys: infos, record: claimInterruptedCreate(parseKeyRecord(value), parseCreateIntent(value), infos) };
}

/**
 * Write the record merged into what the tag says now (read just before), so an entry another run
 * wrote meanwhile is kept rather than overwritten; `removed` is the one entry this write drops.
 * A stale entry for a key that is gone is harmless (only listed keys count); a lost one would make
 * a key of ours look foreign forever. `record` is updated to what was written.
 */
async function writeRecord(ctx: WriteContext, user: string, record: KeyRecord, options: { intent?: CreateIntent; removed?: string } = {}): Promise<void> {
  const current = parseKeyRecord(await recordValue(ctx, user));
  for (const [id, state] of current) if (!record.has(id) && id !== options.removed) record.set(id, state);
  if (options.removed) record.delete(options.removed);
  const value = options.intent === undefined ? formatKeyRecord(record) : formatWithIntent(record, options.intent);
  await ctx.aws.iam().send(new TagUserCommand({ UserName: user, Tags: [{ Key: ACCESS_KEYS_TAG, Value: value }] }));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Prove the new key works: STS GetCallerIdentity signed with it must name this user. */
async function verifyKey(ctx: WriteContext, user: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
  const sts = ctx.aws.stsWith(credentials);
  const started = Date.now();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const who = await sts.send(new GetCallerIdentityCommand({}));
        if (!who.Arn?.endsWith(`/${user}`)) throw new Error(`the new key authenticates as ${who.Arn ?? 'nobody'}, not as user ${user}`);
        return;
      } catch (err) {
        const notYet = ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'AccessDenied'].includes(errorCode(err));
        const delay = Math.round(Math.min(10_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2));
        if (!notYet || Date.now() - started + delay > VERIFY_DEADLINE_MS) throw err;
        ctx.notify?.(`waiting for IAM propagation: the new key of ${user} is not valid yet (${errorCode(err)}), retrying in ${(delay / 1000).toFixed(1)} s`);
        await sleep(delay);
      }
    }
  } finally {
    sts.destroy();
  }
}

/** Another run's announcement younger than this means it may be creating a key right now. */
const INTENT_FRESH_MS = 120_000;
/** Long enough for a second run's announcement, written at nearly the same moment, to land. */
const INTENT_SETTLE_MS = 1_000;

async function recordValue(ctx: ReadContext, user: string): Promise<string | undefined> {
  const out = await ctx.aws.iam().send(new ListUserTagsCommand({ UserName: user }));
  return tagsFromList(out.Tags)[ACCESS_KEYS_TAG];
}

/**
 * Announce the new key on the user (`intent=<time>:<run>`), then read the announcement back after
 * a moment: of two applies that decided to create a key at once, only the one whose announcement
 * stands goes on; the other creates nothing. --lock-bucket serializes whole applies; this keeps
 * the two-key limit and the record sound without it. The time is the real clock (AWS's CreateDate
 * is compared with it), not ctx.now().
 */
async function announceCreate(ctx: WriteContext, user: string, record: KeyRecord): Promise<void> {
  const busy = (why: string) =>
    new Error(`${why}; no key was created. Run apply again once that run is done (or has been gone 2 minutes); --lock-bucket keeps applies from overlapping`);
  const earlier = parseCreateIntent(await recordValue(ctx, user));
  if (earlier?.token && Date.now() - earlier.at < INTENT_FRESH_MS) throw busy(`another apply announced a new key for user ${user} ${Math.round((Date.now() - earlier.at) / 1000)} s ago`);
  const token = randomBytes(6).toString('hex');
  await writeRecord(ctx, user, record, { intent: { at: Date.now(), token } });
  await sleep(INTENT_SETTLE_MS);
  const standing = parseCreateIntent(await recordValue(ctx, user));
  if (standing?.token !== token) throw busy(`another apply is creating a key for user ${user} at the same moment`);
}

async function createKey(ctx: WriteContext, d: AccessKeySpec, state: KeyState): Promise<string> {
  const sink = ctx.sinkFor?.(d.deliverTo) ?? (usesSecretsFile(d) ? ctx.secrets : undefined);
  if (!sink) throw new Error(`no secrets sink: pass --secrets-out PATH, or declare accessKey.deliverTo, so the new secret has somewhere to go`);
  // before the key exists: a target this stack does not own is never overwritten, and no key is made for it
  const refused = await sink.refusal?.();
  if (refused) throw new Error(`${refused}; no key was created`);
  const iam = ctx.aws.iam();
  await announceCreate(ctx, d.user, state.record);
  const out = await iam.send(new CreateAccessKeyCommand({ UserName: d.user }));
  const key = out.AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('AWS returned no access key');
  ctx.maskSecret?.(key.SecretAccessKey);
  const id = key.AccessKeyId;
  createdThisRun.add(id);
  // record it before anything else can fail: an unrecorded key would look foreign forever
  state.record.set(id, 'pending');
  try {
    await writeRecord(ctx, d.user, state.record);
    await verifyKey(ctx, d.user, { accessKeyId: id, secretAccessKey: key.SecretAccessKey });
    const where = await sink.deliver({ userName: d.user, accessKeyId: id, secretAccessKey: key.SecretAccessKey });
    state.record.set(id, 'ok');
    await writeRecord(ctx, d.user, state.record);
    return `created ${id}, verified, secret delivered to ${where}`;
  } catch (err) {
    // a key nobody can use is only a liability: delete it again
    await iam.send(new DeleteAccessKeyCommand({ UserName: d.user, AccessKeyId: id })).catch(() => undefined);
    await writeRecord(ctx, d.user, state.record, { removed: id }).catch(() => undefined);
    throw new Error(`the new key could not be verified or delivered (${errorMessage(err)}); it was deleted again`);
  }
}

function policyFor(ctx: ReadContext, d: AccessKeySpec): KeyPolicy {
  return {
    ...(d.rotateAfterDays ? { rotateAfterDays: d.rotateAfterDays } : {}),
    ...(d.none ? { none: true } : {}),
    ...(ctx.pendingKeyGraceMs !== undefined ? { pendingGraceMs: ctx.pendingKeyGraceMs } : {}),
    now: ctx.now(),
    retiredThisRun,
    createdThisRun,
  };
}

/** Read-only: why the declared AWS sink must not receive a new secret (it is not this stack's). */
async function sinkBlock(ctx: ReadContext, d: AccessKeySpec): Promise<string | undefined> {
  if (usesSecretsFile(d)) return undefined;
  return ctx.sinkRefusal?.(d.deliverTo);
}

async function runStep(ctx: WriteContext, d: AccessKeySpec, state: KeyState, step: KeyStep): Promise<string> {
  const iam = ctx.aws.iam();
  if (step.op === 'create') return createKey(ctx, d, state);
  if (step.op === 'deactivate') {
    await iam.send(new UpdateAccessKeyCommand({ UserName: d.user, AccessKeyId: step.id, Status: 'Inactive' }));
    retiredThisRun.add(step.id);
    // recorded, so a later run tells a key this tool retired from one deactivated by someone else
    state.record.set(step.id, 'retired');
    await writeRecord(ctx, d.user, state.record);
    return `deactivated ${step.id}`;
  }
  try {
    await iam.send(new DeleteAccessKeyCommand({ UserName: d.user, AccessKeyId: step.id }));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await writeRecord(ctx, d.user, state.record, { removed: step.id });
  return `deleted ${step.id}`;
}

/** Level-based: re-read the keys, then do what they call for now (the plan showed the same steps). */
async function converge(ctx: WriteContext, d: AccessKeySpec): Promise<string> {
  const state = await readState(ctx, d.user);
  const assessment = assessKeys(state.keys, state.record, policyFor(ctx, d));
  if (assessment.blocked) throw new Error(assessment.blocked);
  const done: string[] = [];
  for (const step of assessment.steps) done.push(await runStep(ctx, d, state, step));
  return done.join('; ') || 'keys already as declared';
}

export const accessKeyHandler: ResourceHandler<AccessKeySpec> = {
  kind: 'iam.access-key',

  normalize(spec) {
    return { user: spec.user, keySteps: spec.keySteps ?? [], ...(spec.none ? { none: true as const } : {}) };
  },

  /** The key operations are the plan's sub-steps; the bookkeeping fields are no line of their own. */
  describe(before, after) {
    if (before === null) return [{ op: 'add', path: 'accessKey', text: `one active access key for user ${after?.user ?? ''}` }];
    if (after === null) return [{ op: 'remove', path: 'accessKey', text: `the access keys reconcile created for user ${before.user}` }];
    if (after.none) return [{ op: 'remove', path: 'accessKey', text: `accessKey: false — delete the ${before.keySteps.length} access key(s) reconcile created for user ${after.user} (keys it did not create are never touched)` }];
    const steps = before.keySteps.length;
    return [{ op: 'change', path: 'accessKey', text: `${steps} key operation(s) needed to keep one active, delivered key` }];
  },

  blocked(_desired, observed) {
    return observed.blocked;
  },

  steps({ action, desired, observed }) {
    if (action === 'create') return [describeKeyStep({ op: 'create', why: 'no active key of ours' }, sinkName(desired.deliverTo))];
    return observed?.keySteps ?? [];
  },

  async observe(ctx, d): Promise<Observed<AccessKeySpec>> {
    // accessKey: false with no key of ours (or no user yet) is already as declared
    const nothingOfOurs: Observed<AccessKeySpec> = { exists: true, spec: { ...d.spec, keySteps: [] } };
    let state: KeyState;
    try {
      state = await readState(ctx, d.spec.user);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      if (d.spec.none) return nothingOfOurs;
      const blocked = await sinkBlock(ctx, d.spec);
      return { exists: false, ...(blocked ? { blocked } : {}) };
    }
    if (state.keys.length === 0) {
      if (d.spec.none) return nothingOfOurs;
      const blocked = await sinkBlock(ctx, d.spec);
      return { exists: false, ...(blocked ? { blocked } : {}) };
    }
    const assessment = assessKeys(state.keys, state.record, policyFor(ctx, d.spec));
    const creates = assessment.steps.some((s) => s.op === 'create');
    const blocked = assessment.blocked ?? (creates ? await sinkBlock(ctx, d.spec) : undefined);
    const keySteps = assessment.steps.map((s) => describeKeyStep(s, sinkName(d.spec.deliverTo)));
    // nothing to do *yet* is still something to report: a blocked action, not a no-op
    if (blocked && keySteps.length === 0) keySteps.push('wait: leave the keys as they are until the other apply has finished');
    return { exists: true, spec: { ...d.spec, keySteps, ...(blocked ? { blocked } : {}), ...(assessment.scheduled ? { scheduled: true as const } : {}) } };
  },

  /** A key's id is not deterministic: create re-reads the keys first and never creates a second one. */
  async create(ctx, d) {
    return { message: await converge(ctx, d.spec) };
  },

  async update(ctx, d) {
    return { message: await converge(ctx, d.spec) };
  },

  /** Deletes only the keys this tool created (the record); foreign keys are never touched. */
  async delete(ctx, d) {
    let state: KeyState;
    try {
      state = await readState(ctx, d.spec.user);
    } catch (err) {
      if (isNotFound(err)) return { message: 'already gone' };
      throw err;
    }
    const ours = state.keys.filter((k) => state.record.has(k.id));
    for (const key of ours) await runStep(ctx, d.spec, state, { op: 'delete', id: key.id, why: 'removed' });
    return { message: `deleted ${ours.length} key(s) of ours` };
  },
};
