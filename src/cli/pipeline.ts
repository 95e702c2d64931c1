import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { AwsClients } from '../aws/clients.js';
import { sha256 } from '../core/canonical.js';
import { hasErrors, InputError } from '../core/diagnostics.js';
import type { Observed } from '../core/types.js';
import { DEFAULT_REGION, toDesired } from '../config/to-desired.js';
import type { SourceFile } from '../config/source.js';
import type { StorageConfig } from '../config/types.js';
import { validateFile, type Validated } from '../config/validate.js';
import { FORMAT_VERSION, summarize, type Plan } from '../plan/model.js';
import { planChanges } from '../plan/planner.js';
import type { Caller, ReadContext } from '../resources/handler.js';
import { handlerFor } from '../resources/registry.js';
import type { GlobalOptions } from './options.js';
import type { Output } from './output.js';
import { renderDiagnostics } from './render-diagnostics.js';
import { TOOL_VERSION } from './version.js';

export interface LoadedConfig {
  source: SourceFile;
  config: StorageConfig;
}

/** Validate the file; print diagnostics; throw InputError (exit 1) when there are errors. */
export async function loadConfig(options: GlobalOptions, output: Output): Promise<LoadedConfig> {
  const validated: Validated = await validateFile(options.file);
  if (validated.diagnostics.length > 0) output.err(renderDiagnostics(validated.diagnostics, validated.source, output.style));
  if (hasErrors(validated.diagnostics) || !validated.config || !validated.source) throw new InputError(validated.diagnostics);
  return { source: validated.source, config: validated.config };
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
  };
}
