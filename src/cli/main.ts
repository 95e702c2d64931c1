#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../core/diagnostics.js';
import { errorMessage, ExitCode, UserError } from '../core/errors.js';
import type { ApplyOptions } from './commands/apply.js';
import type { PlanOptions } from './commands/plan.js';
import type { VerifyOptions } from './commands/verify.js';
import type { ValidateOptions } from './commands/validate.js';
import type { ShowOptions } from './commands/show.js';
import type { DriftOptions } from './commands/drift.js';
import { addConsentOptions, addGlobalOptions, type GlobalOptions } from './options.js';
import { colorWanted, Output } from './output.js';
import { TOOL_VERSION } from './version.js';

// We support Node 20 on purpose (the lock file pins SDK versions that run on it); the SDK's
// notice about future versions would only be noise in every user's CI log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Commands are imported on use, so `validate` and `--help` never load the AWS SDK.
type Runner<O extends GlobalOptions> = (options: O, output: Output, args: string[]) => Promise<number>;

function describeError(err: unknown): { message: string; hint?: string; code: number } {
  if (err instanceof UserError) return { message: err.message, code: err.exitCode, ...(err.hint ? { hint: err.hint } : {}) };
  const name = (err as { name?: string }).name ?? '';
  if (name === 'CredentialsProviderError') {
    return { message: `no AWS credentials found: ${errorMessage(err)}`, hint: 'set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or use OIDC in CI', code: ExitCode.error };
  }
  return { message: errorMessage(err), code: ExitCode.error };
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command('reconcile')
    .description('Keep the S3 buckets and IAM users a browser app needs exactly as storage.yaml declares')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  const action =
    <O extends GlobalOptions>(run: Runner<O>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options: O = { ...command.opts<O>(), fileIsDefault: command.getOptionValueSource('file') === 'default' };
      const output = new Output({ color: colorWanted(options.color, process.env, process.stdout), actions: process.env.GITHUB_ACTIONS === 'true' });
      try {
        exitCode = await run(options, output, command.args);
      } catch (err) {
        if (err instanceof InputError) {
          exitCode = ExitCode.error;
          return;
        }
        const { message, hint, code } = describeError(err);
        output.err(`${output.style.red('Error:')} ${message}`);
        if (hint) output.err(`${output.style.cyan('hint:')} ${hint}`);
        exitCode = code;
      }
    };

  addGlobalOptions(program.command('validate').description('check storage.yaml offline (no AWS calls)'))
    .option('--strict', 'treat warnings (risky but legal settings) as errors')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(action<ValidateOptions>(async (o, out) => (await import('./commands/validate.js')).validateCommand(o, out)));

  addConsentOptions(addGlobalOptions(program.command('plan').description('show what apply would change')))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--out <path>', 'save the plan as JSON')
    .option('--detailed-exitcode', 'exit 2 when there are changes')
    .option('--explain', 'also list the differences judged equivalent, and the rule that matched each')
    .action(action<PlanOptions>(async (o, out) => (await import('./commands/plan.js')).planCommand(o, out)));

  addConsentOptions(addGlobalOptions(program.command('apply').description('converge AWS to storage.yaml, or execute a saved plan')))
    .argument('[plan]', 'a plan saved by plan --out: applied exactly, or refused (exit 3) when stale')
    .option('--auto-approve', 'do not ask for confirmation')
    .option('--secrets-out <path>', 'file (mode 0600) that receives new access key secrets')
    .option('--lock-bucket <name>', 'hold a lock object in this S3 bucket while applying (conditional write; released on exit)')
    .action(action<ApplyOptions>(async (o, out, args) => (await import('./commands/apply.js')).applyCommand(o, out, args)));

  addGlobalOptions(program.command('drift').description('for scheduled runs: what in AWS differs from the file, and why (read-only; exit 2 when found)'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action(action<DriftOptions>(async (o, out) => (await import('./commands/drift.js')).driftCommand(o, out)));

  addGlobalOptions(program.command('show').description('render a saved plan exactly as plan did'))
    .argument('<plan>', 'a plan saved by plan --out')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action(action<ShowOptions>(async (o, out, args) => (await import('./commands/show.js')).showCommand(o, out, args)));

  addGlobalOptions(program.command('verify').description('send real CORS preflights to each bucket and check every declared origin × method works'))
    .option('--origin <url>', 'check only this origin (with --method)')
    .option('--method <method>', 'check only this method (with --origin)')
    .option('--header <name...>', 'request headers the single pair asks for (Access-Control-Request-Headers)')
    .option('--bucket <name...>', 'only these buckets')
    .action(action<VerifyOptions>(async (o, out) => (await import('./commands/verify.js')).verifyCommand(o, out)));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.error;
    throw err;
  }
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`Error: ${errorMessage(err)}\n`);
    process.exitCode = ExitCode.error;
  },
);
