import type { AwsClients } from '../aws/clients.js';
import type { SecretSinkConfig } from '../config/types.js';
import type { SecretSink } from '../resources/handler.js';
import { isAwsError } from '../aws/errors.js';
import { SecretsManagerSink, SsmParameterSink } from './aws-sinks.js';

export interface SinkDefaults {
  aws: AwsClients;
  /** Region for sinks that declare none (the file's region). */
  region: string;
  stack: string;
  /** The --secrets-out file, when given. */
  file: SecretSink | undefined;
}

/** The sink a user's `accessKey.deliverTo` declares; the --secrets-out file by default. */
export function sinkFor(target: SecretSinkConfig | undefined, defaults: SinkDefaults): SecretSink | undefined {
  if (target && 'secretsManager' in target) return new SecretsManagerSink(defaults.aws, target.secretsManager, target.region ?? defaults.region, defaults.stack);
  if (target && 'ssmParameter' in target) return new SsmParameterSink(defaults.aws, target.ssmParameter, target.region ?? defaults.region, defaults.stack);
  return defaults.file;
}

/**
 * Read-only, for the plan: why delivering to the declared AWS sink would overwrite what this
 * stack does not own. A plan role not allowed to look (DescribeSecret, ssm:ListTagsForResource)
 * plans without the check; apply checks again before CreateAccessKey and fails there instead.
 */
export async function sinkRefusal(target: SecretSinkConfig | undefined, defaults: Omit<SinkDefaults, 'file'>): Promise<string | undefined> {
  const sink = sinkFor(target, { ...defaults, file: undefined });
  try {
    return await sink?.refusal?.();
  } catch (err) {
    if (isAwsError(err, 'AccessDenied', 'AccessDeniedException')) return undefined;
    throw err;
  }
}
