import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { AwsClients } from '../aws/clients.js';
import { sha256 } from '../core/canonical.js';
import { ExitCode, forResource, UserError } from '../core/errors.js';
import type { Kind, Observed } from '../core/types.js';
import { DEFAULT_REGION, toDesired } from '../config/to-desired.js';
import type { StorageConfig } from '../config/types.js';
import { observedFingerprint } from '../plan/fingerprint.js';
import { FORMAT_VERSION, NO_CONSENT, summarize, touchedChanges, type Consent, type Plan } from '../plan/model.js';
import { planOrphans, type FoundOrphan } from '../plan/orphans.js';
import { guardChanges } from '../plan/ownership.js';
import { planChanges } from '../plan/planner.js';
import type { Caller, ReadContext } from '../resources/handler.js';
import { handlerFor } from '../resources/registry.js';
import type { LoadedConfig } from './load-config.js';
import type { GlobalOptions } from './options.js';
import { TOOL_VERSION } from './version.js';

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

export function makeContext(options: GlobalOptions, config: StorageConfig, readOnly: boolean): ReadContext {
  const defaultRegion = options.region ?? config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
  const aws = new AwsClients({
    region: defaultRegion,
    readOnly,
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  let caller: Promise<Caller> | undefined;
  return {
    aws,
    stack: config.stack,
    defaultRegion,
    now: clockFrom(process.env),
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
  const changes = [...guarded.changes, ...planOrphans(orphans, consent, handlerFor)];
  const errors = guarded.errors;
  const fingerprints: Record<string, string> = {};
  for (const c of touchedChanges({ changes })) {
    const d = desired.find((x) => x.address === c.address);
    if (c.orphan) fingerprints[c.address] = observedFingerprint(handlerFor(c.kind), { exists: true, spec: c.observed }, c.desired);
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
