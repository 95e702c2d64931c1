import { CreateSecretCommand, DescribeSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ListTagsForResourceCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients.js';
import { isAwsError } from '../aws/errors.js';
import { STACK_TAG } from '../core/types.js';
import type { AccessKeySecret, SecretSink } from '../resources/handler.js';
import { tagsFromList, type TagPair } from '../resources/tags.js';

/** The value both AWS sinks store: JSON a consumer can parse without guessing. */
export function secretValue(secret: AccessKeySecret): string {
  return JSON.stringify({ userName: secret.userName, accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey });
}

/** Whether a sink's target exists, and if so which stack its tag names (undefined: none). */
export type SinkTarget = { exists: false } | { exists: true; stack: string | undefined };

function stackOf(tags: readonly TagPair[] | undefined): string | undefined {
  return tagsFromList(tags)[STACK_TAG];
}

/** The refusal for a target this stack does not own; undefined when writing to it is safe. */
export function foreignTarget(what: string, target: SinkTarget, stack: string): string | undefined {
  if (!target.exists || target.stack === stack) return undefined;
  const owner = target.stack ? `belongs to stack "${target.stack}"` : `has no ${STACK_TAG} tag`;
  return `${what} already exists and ${owner}; reconcile never overwrites a secret this stack does not own — choose another name in deliverTo, or tag it ${STACK_TAG}=${stack} if it is meant for this key`;
}

/** Read-only: does the secret exist, and whose is it. */
export async function inspectSecret(aws: AwsClients, name: string, region: string): Promise<SinkTarget> {
  try {
    const out = await aws.secretsManager(region).send(new DescribeSecretCommand({ SecretId: name }));
    return { exists: true, stack: stackOf(out.Tags) };
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return { exists: false };
    throw err;
  }
}

/** Read-only: does the parameter exist, and whose is it. */
export async function inspectParameter(aws: AwsClients, name: string, region: string): Promise<SinkTarget> {
  try {
    const out = await aws.ssm(region).send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }));
    return { exists: true, stack: stackOf(out.TagList) };
  } catch (err) {
    if (isAwsError(err, 'InvalidResourceId', 'ParameterNotFound')) return { exists: false };
    throw err;
  }
}

/** A Secrets Manager secret of this stack: a new version on each delivery; created (tagged with the stack) if absent. */
export class SecretsManagerSink implements SecretSink {
  constructor(
    private readonly aws: AwsClients,
    private readonly name: string,
    private readonly region: string,
    private readonly stack: string,
  ) {}

  describe(): string {
    return `Secrets Manager secret ${this.name} (${this.region})`;
  }

  async refusal(): Promise<string | undefined> {
    return foreignTarget(this.describe(), await inspectSecret(this.aws, this.name, this.region), this.stack);
  }

  async deliver(secret: AccessKeySecret): Promise<string> {
    const client = this.aws.secretsManager(this.region);
    const target = await inspectSecret(this.aws, this.name, this.region);
    const refused = foreignTarget(this.describe(), target, this.stack);
    if (refused) throw new Error(refused);
    if (target.exists) await client.send(new PutSecretValueCommand({ SecretId: this.name, SecretString: secretValue(secret) }));
    // created by someone else since the check: CreateSecret fails (ResourceExistsException), nothing is overwritten
    else await client.send(new CreateSecretCommand({ Name: this.name, SecretString: secretValue(secret), Tags: [{ Key: STACK_TAG, Value: this.stack }] }));
    return this.describe();
  }
}

/** An SSM Parameter Store SecureString of this stack: created tagged, overwritten on each delivery. */
export class SsmParameterSink implements SecretSink {
  constructor(
    private readonly aws: AwsClients,
    private readonly name: string,
    private readonly region: string,
    private readonly stack: string,
  ) {}

  describe(): string {
    return `SSM parameter ${this.name} (${this.region}, SecureString)`;
  }

  async refusal(): Promise<string | undefined> {
    return foreignTarget(this.describe(), await inspectParameter(this.aws, this.name, this.region), this.stack);
  }

  async deliver(secret: AccessKeySecret): Promise<string> {
    const client = this.aws.ssm(this.region);
    const target = await inspectParameter(this.aws, this.name, this.region);
    const refused = foreignTarget(this.describe(), target, this.stack);
    if (refused) throw new Error(refused);
    if (target.exists) await client.send(new PutParameterCommand({ Name: this.name, Value: secretValue(secret), Type: 'SecureString', Overwrite: true }));
    // without Overwrite: one created by someone else since the check fails (ParameterAlreadyExists), nothing is overwritten
    else await client.send(new PutParameterCommand({ Name: this.name, Value: secretValue(secret), Type: 'SecureString', Tags: [{ Key: STACK_TAG, Value: this.stack }] }));
    return this.describe();
  }
}
