import { Option, type Command } from 'commander';
import { didYouMean } from '../config/did-you-mean.js';
import { AWS_REGIONS, isKnownRegion } from '../config/regions.js';
import type { Consent } from '../plan/model.js';

export interface GlobalOptions {
  file: string;
  endpointUrl?: string;
  region?: string;
  profile?: string;
  color: boolean;
  concurrency: number;
  /** True when -f/--file was not given (its value is the default). */
  fileIsDefault?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`--concurrency must be a whole number from 1 to 64, not "${value}"`);
  return n;
}

function knownRegion(value: string): string {
  if (isKnownRegion(value)) return value;
  const hint = didYouMean(value, [...AWS_REGIONS]);
  throw new Error(`--region "${value}" is not an AWS region${hint ? ` (${hint})` : ''}`);
}

/** Options every command takes. */
export function addGlobalOptions(command: Command): Command {
  return command
    .option('-f, --file <path>', 'the storage file', 'storage.yaml')
    .addOption(new Option('--endpoint-url <url>', 'custom AWS endpoint (LocalStack, moto)').env('AWS_ENDPOINT_URL'))
    .option('--region <region>', 'region for STS, IAM and secret sinks without one (bucket regions come from the file)', knownRegion)
    .option('--profile <name>', 'AWS profile from the shared config')
    .option('--no-color', 'plain output (also NO_COLOR)')
    .option('--concurrency <n>', 'AWS calls in flight at once', positiveInt, 8);
}

export interface ConsentOptions {
  adopt?: boolean;
  prune?: boolean;
  allowReplace?: boolean;
  allowDataLoss?: boolean;
}

/** The opt-ins plan (to preview) and apply (to act) take; without them the action is kept or blocked. */
export function addConsentOptions(command: Command): Command {
  return command
    .option('--adopt', 'take over resources that exist without the stack tag')
    .option('--prune', "delete resources tagged with this stack that the file no longer declares")
    .option('--allow-replace', 'allow actions that delete and re-create a resource (e.g. a policy whose description changed)')
    .option('--allow-data-loss', 'allow --prune to empty buckets that declared deletion: destroy-data');
}

/** The consent flags given, as typed (`--prune`, ...), for messages. */
export function consentFlagsGiven(options: ConsentOptions): string[] {
  const flags: [boolean | undefined, string][] = [
    [options.adopt, '--adopt'],
    [options.prune, '--prune'],
    [options.allowReplace, '--allow-replace'],
    [options.allowDataLoss, '--allow-data-loss'],
  ];
  return flags.filter(([given]) => given === true).map(([, flag]) => flag);
}

export function consentFrom(options: ConsentOptions): Consent {
  return {
    adopt: options.adopt === true,
    prune: options.prune === true,
    allowReplace: options.allowReplace === true,
    allowDataLoss: options.allowDataLoss === true,
  };
}
