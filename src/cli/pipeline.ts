import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { AwsClients } from '../aws/clients.js';
import { sha256 } from '../core/canonical.js';
import { ExitCode, forResource, UserError } from '../core/errors.js';
import type { Kind, Observed } from '../core/types.js';
import { address, DEFAULT_REGION, toDesired } from '../config/to-desired.js';
import { planDetachments } from '../plan/detachments.js';
import { attachedPolicyArns } from '../resources/iam/attachment.js';
import type { StorageConfig } from '../config/types.js';
import { observedFingerprint } from '../plan/fingerprint.js';
import { FORMAT_VERSION, NO_CONSENT, summarize, touchedChanges, type Change, type Consent, type Plan } from '../plan/model.js';
import { planOrphans, type FoundOrphan } from '../plan/orphans.js';
import { guardChanges } from '../plan/ownership.js';
import { planChanges } from '../plan/planner.js';
import type { Caller, ReadContext } from '../resources/handler.js';
import { handlerFor } from '../resources/registry.js';
import type { LoadedConfig } from './load-config.js';
import type { GlobalOptions } from './options.js';
import { TOOL_VERSION } from './version.js';
import { sinkRefusal } from '../secrets/sinks.js';

/**
 * The run's clock: RECONCILE_NOW (an ISO date) when set, so tests can move time forward for key
 * rotation; otherwise the real time. Read here only and passed down.
 */
export function clockFrom(env: NodeJS.ProcessEnv): () => Date {
  const fixed = env.RECONCILE_NOW;
  if (!fixed) return () => new Date();
  const at = new Date(fixed);
  if (Number.isNaN(at.getTime())) throw new UserError(`RECONCILE_NOW is not a date: "${fixed}"`, ExitCode.error, 'use an ISO 8601 time, e.g. 2030-01-31T00:00:00Z');
  return () => new Date(at);
}

/**
 * RECONCILE_PENDING_KEY_GRACE_SECONDS: how young a `pending` key must be to count as another
 * apply's key in flight (default 600). Tests shorten it instead of waiting ten minutes.
 */
export function pendingGraceFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.RECONCILE_PENDING_KEY_GRACE_SECONDS;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new UserError(`RECONCILE_PENDING_KEY_GRACE_SECONDS is not a whole number of seconds: "${raw}"`, ExitCode.error);
  return Number(raw) * 1000;
}

export function makeContext(options: GlobalOptions, config: StorageConfig, readOnly: boolean): ReadContext {
  const defaultRegion = options.region ?? config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
  const aws = new AwsClients({
    region: defaultRegion,
    readOnly,
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  let caller: Promise<Caller> | undefined;
  const grace = pendingGraceFrom(process.env);
  return {
    aws,
    stack: config.stack,
    defaultRegion,
    now: clockFrom(process.env),
    sinkRefusal: (target) => sinkRefusal(target, { aws, region: defaultRegion, stack: config.stack }),
    ...(grace !== undefined ? { pendingKeyGraceMs: grace } : {}),
    caller() {
      caller ??= aws
        .sts()
        .send(new GetCallerIdentityCommand({}))
        .then((out) => ({
          accountId: out.Account ?? '',
          arn: out.Arn ?? '',
          partition: (out.Arn ?? 'arn:aws').split(':')[1] ?? 'aws',
        }));
      return caller;
    },
  };
}

/** `account:` in the file: refuse (before any other call) to work on any other account. */
export async function checkAccount(config: StorageConfig, ctx: ReadContext): Promise<void> {
  if (!config.account) return;
  const caller = await ctx.caller();
  if (caller.accountId !== config.account) {
    throw new UserError(
      `refusing to run: the credentials are for account ${caller.accountId} (${caller.arn}), but the file declares account ${config.account}; nothing was read or changed`,
      ExitCode.error,
      'use credentials (profile, role) for the declared account, or correct `account:` in the file',
    );
  }
}

const OWNED_KINDS: readonly Kind[] = ['s3.bucket', 'iam.policy', 'iam.user'];

/** Resources tagged with this stack that the file does not declare (read-only). */
async function discoverOrphans(desired: readonly { kind: Kind; name: string }[], ctx: ReadContext): Promise<FoundOrphan[]> {
  const found = await Promise.all(
    OWNED_KINDS.map(async (kind) => {
      const declared = new Set(desired.filter((d) => d.kind === kind).map((d) => d.name));
      const items = (await forResource(`discovering ${kind} resources tagged with stack ${ctx.stack}`, async () => (await handlerFor(kind).discover?.(ctx, declared)) ?? []));
      return items.map((item) => ({ kind, item }));
    }),
  );
  return found.flat().sort((a, b) => a.kind.localeCompare(b.kind) || a.item.name.localeCompare(b.item.name));
}

/**
 * For each user whose `policies:` the file declares and that this stack owns or adopts: read
 * what is attached and plan a detach of whatever the list does not name. Users that declare no
 * `policies`, do not exist yet, or belong to another stack are not read.
 */
async function planUserDetachments(config: StorageConfig, observed: ReadonlyMap<string, Observed>, ctx: ReadContext, concurrency: number): Promise<Change[]> {
  const limit = pLimit(Math.max(1, concurrency));
  const users = Object.entries(config.users ?? {}).filter(([name, user]) => {
    const live = observed.get(address.user(name));
    return user.policies !== undefined && live?.exists === true && live.owner?.kind !== 'foreign';
  });
  const handler = handlerFor('iam.user.policy-attachment');
  const planned = await Promise.all(
    users.map(([name, user]) => limit(async () => planDetachments({ user: name, declared: user.policies ?? [], attached: await attachedPolicyArns(ctx, name) }, handler))),
  );
  return planned.flat();
}

/** A detach waits on its user: when the user's change is blocked (e.g. not adopted), so is the detach. */
function blockedWithTheirUser(detachments: Change[], changes: readonly Change[]): Change[] {
  const blocked = new Map(changes.filter((c) => c.kind === 'iam.user' && c.blocked).map((c) => [c.address, c.blocked as string]));
  return detachments.map((d) => {
    const cause = d.dependsOn.map((dep) => blocked.get(dep)).find((b) => b !== undefined);
    return cause ? { ...d, blocked: `the user's change is blocked (${cause})` } : d;
  });
}

/** Read live state for every declared resource (bounded), find orphans, then plan. */
export async function buildPlan(loaded: LoadedConfig, ctx: ReadContext, concurrency: number, consent: Consent = NO_CONSENT): Promise<Plan> {
  await checkAccount(loaded.config, ctx);
  const desired = toDesired(loaded.config);
  const limit = pLimit(concurrency);
  const [observedList, orphans] = await Promise.all([
    Promise.all(desired.map((d) => limit(() => forResource(d.address, () => handlerFor(d.kind).observe(ctx, d))))),
    discoverOrphans(desired, ctx),
  ]);
  const observed = new Map<string, Observed>(desired.map((d, i) => [d.address, observedList[i] as Observed]));
  const planned = planChanges({ desired, observed, handlerFor });
  const guarded = guardChanges({ ...planned, desired, observed, handlerFor, consent });
  const detachments = blockedWithTheirUser(await planUserDetachments(loaded.config, observed, ctx, concurrency), guarded.changes);
  const changes = [...guarded.changes, ...detachments, ...planOrphans(orphans, consent, handlerFor)];
  const errors = guarded.errors;
  const fingerprints: Record<string, string> = {};
  for (const c of touchedChanges({ changes })) {
    const d = desired.find((x) => x.address === c.address);
    if (c.orphan || !d) fingerprints[c.address] = observedFingerprint(handlerFor(c.kind), { exists: true, spec: c.observed }, c.desired);
    else if (d) fingerprints[c.address] = observedFingerprint(handlerFor(c.kind), observed.get(c.address) ?? { exists: false }, d.spec);
  }
  return {
    formatVersion: FORMAT_VERSION,
    toolVersion: TOOL_VERSION,
    stack: loaded.config.stack,
    file: loaded.source.path,
    fileHash: sha256(loaded.source.text),
    createdAt: new Date().toISOString(),
    changes,
    errors,
    summary: { ...summarize(changes), errors: errors.length },
    fingerprints,
  };
}
