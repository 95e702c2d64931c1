import type { AwsClients } from '../aws/clients.js';
import type { SecretSinkConfig } from '../config/types.js';
import type { Desired, Kind, Observed } from '../core/types.js';
import type { Detail, Recorder } from '../core/semantics.js';

/** A new access key's credentials; only ever handed to a SecretSink. */
export interface AccessKeySecret {
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Where new secrets go. Returns a description of the destination for the report (never the secret). */
export interface SecretSink {
  describe(): string;
  /** Read-only check before any key is created: why delivering here is refused (a target this stack does not own). */
  refusal?(): Promise<string | undefined>;
  deliver(secret: AccessKeySecret): Promise<string>;
}

export interface Caller {
  accountId: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: the first field of ARNs. */
  partition: string;
  arn: string;
}

export interface ReadContext {
  aws: AwsClients;
  stack: string;
  /** Region for buckets that declare none. */
  defaultRegion: string;
  /** The caller's account and partition (STS), looked up once per run. */
  caller(): Promise<Caller>;
  /** The run's clock (injectable from the CLI, for key rotation). */
  now(): Date;
  /** Read-only: why delivering a new secret to this declared sink is refused (see SecretSink.refusal). */
  sinkRefusal?(target: SecretSinkConfig | undefined): Promise<string | undefined>;
  /**
   * A `pending` key younger than this (real clock vs AWS's CreateDate) belongs to an apply that
   * is still running, not to an interrupted one. Default PENDING_KEY_GRACE_MS.
   */
  pendingKeyGraceMs?: number;
}

export interface WriteContext extends ReadContext {
  /** The --secrets-out file, when given. */
  secrets?: SecretSink;
  /** The sink a resource declares (`deliverTo`); the --secrets-out file when it declares none. */
  sinkFor?(target: SecretSinkConfig | undefined): SecretSink | undefined;
  /** Progress worth showing while a step waits (e.g. "waiting for IAM propagation"). */
  notify?(message: string): void;
  /**
   * Called with every secret the moment AWS returns it, before it is verified, delivered or
   * could reach any log (in GitHub Actions: `::add-mask::`).
   */
  maskSecret?(secret: string): void;
}

/** A resource this stack owns (tagged with its name) that the file does not declare. */
export interface Discovered<S = unknown> {
  name: string;
  region?: string;
  /** Everything deleting it involves (contents, keys, attachments, versions), for the plan. */
  spec: S;
}

/** A planned action as the handler's display hook sees it. */
export interface StepsInput<S = unknown> {
  action: 'create' | 'update' | 'replace' | 'delete';
  desired: S;
  observed?: S;
}

/** What a write did, in words for the apply report. */
export interface Outcome {
  message?: string;
}

/**
 * The uniform interface every resource kind implements. The planner decides what to do;
 * handlers only observe (read-only) and carry out one verb each, idempotently.
 */
export interface ResourceHandler<S = unknown> {
  kind: Kind;
  /** Fields whose change forces a replace (data, not code). */
  replaceOn?: readonly string[];
  /**
   * Canonical form for desired and observed alike; pure, idempotent, never mutates its input.
   * The recorder, when given, hears each rule that rewrote something (for `plan --explain`).
   */
  normalize(spec: S, recorder?: Recorder): S;
  /**
   * The semantic change from `before` to `after` (both canonical; null when absent), e.g.
   * statements added or removed. `raw` holds the specs as written/observed, for spellings.
   * Without it, the planner describes the changed attributes generically.
   */
  describe?(before: S | null, after: S | null, raw: { desired?: S; observed?: S }): Detail[];
  /** Why the observed resource cannot be converged at all (e.g. a bucket in another region). */
  conflict?(desired: S, observed: S): string | undefined;
  /**
   * A safety guard the handler itself knows about (e.g. a new access key would exceed AWS's
   * limit because of keys this tool does not own): the action is blocked, not executed.
   */
  blocked?(desired: S, observed: S): string | undefined;
  /** The sub-operations an action involves, in execution order, listed in the plan. Pure. */
  steps?(input: StepsInput<S>): string[];
  observe(ctx: ReadContext, desired: Desired<S>): Promise<Observed<S>>;
  /** Resources of this kind tagged with this stack whose names are not in `declared`. Read-only. */
  discover?(ctx: ReadContext, declared: ReadonlySet<string>): Promise<Discovered<S>[]>;
  /** `replacing`: the observed state of what a replace just deleted (to keep attributes the file leaves out). */
  create(ctx: WriteContext, desired: Desired<S>, replacing?: S): Promise<Outcome>;
  update(ctx: WriteContext, desired: Desired<S>, observed: S): Promise<Outcome>;
  /** Remove what `observed` describes; something already gone is success. */
  delete(ctx: WriteContext, desired: Desired<S>, observed: S): Promise<Outcome>;
}
