import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

export interface AwsOptions {
  /** Custom endpoint (LocalStack, moto); S3 is then addressed path-style. */
  endpoint?: string;
  /** Region for STS and for buckets that declare none. */
  region: string;
  profile?: string;
  /** Refuse, before sending, any command that is not a read (Get*, List*, Head*, Describe*). */
  readOnly?: boolean;
}

const READ_COMMAND = /^(Get|List|Head|Describe)/;

export class ReadOnlyViolation extends Error {
  constructor(command: string) {
    super(`refused to send ${command}: this run is read-only`);
    this.name = 'ReadOnlyViolation';
  }
}

interface MiddlewareClient {
  middlewareStack: {
    add: (
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ) => void;
  };
}

const NAMED = Symbol('reconcile.operation');

/**
 * Every error an AWS call throws names the operation that failed, once, here where the command
 * name is known: `GetBucketCors: Access Denied`. The error keeps its name, code and metadata
 * (retry and not-found decisions read those), only the message gains the prefix.
 */
export function nameOperation<C>(client: C): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        const command = context.commandName?.replace(/Command$/, '');
        // a credentials error is one shared object for every call, about no operation in particular
        if (command && err instanceof Error && !(err instanceof ReadOnlyViolation) && err.name !== 'CredentialsProviderError' && !(NAMED in err)) {
          Object.defineProperty(err, NAMED, { value: command });
          err.message = `${command}: ${err.message || (err as { Code?: string }).Code || err.name}`;
        }
        throw err;
      }
    },
    { step: 'initialize', name: 'reconcileNameOperation' },
  );
  return client;
}

function guardReadOnly<C>(client: C): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown command';
      if (!READ_COMMAND.test(command)) throw new ReadOnlyViolation(command);
      return next(args);
    },
    { step: 'initialize', name: 'reconcileReadOnlyGuard' },
  );
  return client;
}

/** One client per service (and per region for S3), built lazily and shared by a run. */
export class AwsClients {
  private readonly s3Clients = new Map<string, S3Client>();
  private readonly smClients = new Map<string, SecretsManagerClient>();
  private readonly ssmClients = new Map<string, SSMClient>();
  private iamClient?: IAMClient;
  private stsClient?: STSClient;
  private readonly credentials: ReturnType<typeof fromNodeProviderChain>;

  constructor(readonly options: AwsOptions) {
    this.credentials = fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  }

  private common(region: string) {
    return {
      region,
      credentials: this.credentials,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      maxAttempts: 5,
    };
  }

  private guard<C>(client: C): C {
    nameOperation(client);
    return this.options.readOnly ? guardReadOnly(client) : client;
  }

  s3(region: string): S3Client {
    let client = this.s3Clients.get(region);
    if (!client) {
      client = this.guard(
        new S3Client({ ...this.common(region), forcePathStyle: Boolean(this.options.endpoint), followRegionRedirects: true }),
      );
      this.s3Clients.set(region, client);
    }
    return client;
  }

  /** IAM is global; its endpoint lives in us-east-1. */
  iam(): IAMClient {
    this.iamClient ??= this.guard(new IAMClient(this.common('us-east-1')));
    return this.iamClient;
  }

  /** STS signed with explicit credentials (to prove a new access key works). */
  stsWith(credentials: { accessKeyId: string; secretAccessKey: string }): STSClient {
    return nameOperation(new STSClient({ ...this.common(this.options.region), credentials, maxAttempts: 1 }));
  }

  secretsManager(region: string): SecretsManagerClient {
    let client = this.smClients.get(region);
    if (!client) {
      client = this.guard(new SecretsManagerClient(this.common(region)));
      this.smClients.set(region, client);
    }
    return client;
  }

  ssm(region: string): SSMClient {
    let client = this.ssmClients.get(region);
    if (!client) {
      client = this.guard(new SSMClient(this.common(region)));
      this.ssmClients.set(region, client);
    }
    return client;
  }

  sts(): STSClient {
    this.stsClient ??= this.guard(new STSClient(this.common(this.options.region)));
    return this.stsClient;
  }

  destroy(): void {
    for (const client of this.s3Clients.values()) client.destroy();
    for (const client of this.smClients.values()) client.destroy();
    for (const client of this.ssmClients.values()) client.destroy();
    this.iamClient?.destroy();
    this.stsClient?.destroy();
  }
}
