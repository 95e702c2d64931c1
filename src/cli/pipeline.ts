import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { AwsClients } from '../aws/clients.js';
import { sha256 } from '../core/canonical.js';
import type { Observed } from '../core/types.js';
import { DEFAULT_REGION, toDesired } from '../config/to-desired.js';
import type { StorageConfig } from '../config/types.js';
import { observedFingerprint } from '../plan/fingerprint.js';
import { FORMAT_VERSION, summarize, touchedChanges, type Plan } from '../plan/model.js';
import { planChanges } from '../plan/planner.js';
import type { Caller, ReadContext } from '../resources/handler.js';
import { handlerFor } from '../resources/registry.js';
import type { LoadedConfig } from './load-config.js';
import type { GlobalOptions } from './options.js';
import { TOOL_VERSION } from './version.js';

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

/** Read live state for every declared resource (bounded), then plan. */
export async function buildPlan(loaded: LoadedConfig, ctx: ReadContext, concurrency: number): Promise<Plan> {
  const desired = toDesired(loaded.config);
  const limit = pLimit(concurrency);
  const observedList = await Promise.all(desired.map((d) => limit(() => handlerFor(d.kind).observe(ctx, d))));
  const observed = new Map<string, Observed>(desired.map((d, i) => [d.address, observedList[i] as Observed]));
  const { changes, errors } = planChanges({ desired, observed, handlerFor });
  const fingerprints: Record<string, string> = {};
  for (const c of touchedChanges({ changes })) {
    const d = desired.find((x) => x.address === c.address);
    if (d) fingerprints[c.address] = observedFingerprint(handlerFor(c.kind), observed.get(c.address) ?? { exists: false }, d.spec);
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
    summary: summarize(changes),
    fingerprints,
  };
}
