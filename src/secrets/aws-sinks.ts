import { CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients.js';
import { isAwsError } from '../aws/errors.js';
import { STACK_TAG } from '../core/types.js';
import type { AccessKeySecret, SecretSink } from '../resources/handler.js';

/** The value both AWS sinks store: JSON a consumer can parse without guessing. */
export function secretValue(secret: AccessKeySecret): string {
  return JSON.stringify({ userName: secret.userName, accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey });
}

/** A Secrets Manager secret: a new version on each delivery; created (tagged with the stack) if absent. */
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

  async deliver(secret: AccessKeySecret): Promise<string> {
    const client = this.aws.secretsManager(this.region);
    try {
      await client.send(new PutSecretValueCommand({ SecretId: this.name, SecretString: secretValue(secret) }));
    } catch (err) {
      if (!isAwsError(err, 'ResourceNotFoundException')) throw err;
      await client.send(new CreateSecretCommand({ Name: this.name, SecretString: secretValue(secret), Tags: [{ Key: STACK_TAG, Value: this.stack }] }));
    }
    return this.describe();
  }
}

/** An SSM Parameter Store SecureString, overwritten on each delivery. */
export class SsmParameterSink implements SecretSink {
  constructor(
    private readonly aws: AwsClients,
    private readonly name: string,
    private readonly region: string,
  ) {}

  describe(): string {
    return `SSM parameter ${this.name} (${this.region}, SecureString)`;
  }

  async deliver(secret: AccessKeySecret): Promise<string> {
    await this.aws.ssm(this.region).send(new PutParameterCommand({ Name: this.name, Value: secretValue(secret), Type: 'SecureString', Overwrite: true }));
    return this.describe();
  }
}
