import { createInterface } from 'node:readline/promises';
import { ExitCode, UserError } from '../../core/errors.js';
import { errorCode } from '../../aws/errors.js';
import { executePlan, type StepResult } from '../../apply/executor.js';
import { checkSavedPlan, consentFlagsNeeded, requireApplyConsent, withLiveObserved, type Staleness } from '../../apply/guard.js';
import { recordDigests } from '../../apply/record-digests.js';
import { DIGEST_TAG, type Desired, type Observed } from '../../core/types.js';
import { hasChanges, touchedChanges, type Plan } from '../../plan/model.js';
import { connectActions, type ActionsHost } from '../../github/actions.js';
import type { ReadContext } from '../../resources/handler.js';
import { withApplyLock } from '../apply-lock.js';
import { Interrupt } from '../interrupt.js';
import type { LoadedConfig } from '../load-config.js';
import { planOutputs } from '../../github/outputs.js';
import { reportApply, reportStale as reportStaleToActions } from '../github-report.js';
import { renderText } from '../../plan/render/text.js';
import { handlerFor } from '../../resources/registry.js';
import type { WriteContext } from '../../resources/handler.js';
import { FileSecretSink } from '../../secrets/file-sink.js';
import { sinkFor } from '../../secrets/sinks.js';
import { usesSecretsFile, type AccessKeySpec } from '../../resources/iam/access-key.js';
import { consentFlagsGiven, consentFrom, type ConsentOptions, type GlobalOptions } from '../options.js';
import type { Output } from '../output.js';
import { loadConfig } from '../load-config.js';
import { buildPlan, checkAccount, makeContext } from '../pipeline.js';
import { readSavedPlan } from '../saved-plan.js';
import { TOOL_VERSION } from '../version.js';
import { checkSecretsOut } from '../output-paths.js';
import { escapeControl } from '../../core/text.js';
import { toDesired } from '../../config/to-desired.js';

export interface ApplyOptions extends GlobalOptions, ConsentOptions {
  autoApprove?: boolean;
  secretsOut?: string;
  lockBucket?: string;
}

function reportStale(stale: readonly Staleness[], planPath: string, output: Output, file?: string): void {
  const { style } = output;
  output.err(`${style.red('Error:')} the saved plan ${planPath} is stale; nothing was applied.`);
  for (const s of stale) {
    output.err(`  ${style.bold(s.subject)}: ${s.message}`);
    for (const d of s.details) output.err(`      ${d}`);
  }
  output.err(`${style.cyan('hint:')} make and review a new plan: reconcile plan${file ? ` -f ${file}` : ''} --out ${planPath}`);
}

async function confirm(output: Output): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl-C at the prompt reaches readline, not the process: without this the question would hang
  const cancel = new AbortController();
  rl.on('SIGINT', () => cancel.abort());
  try {
    const answer = await rl.question('Apply these changes? Only "yes" will be accepted: ', { signal: cancel.signal });
    return answer.trim() === 'yes';
  } catch (err) {
    if (cancel.signal.aborted) return false;
    throw err;
  } finally {
    rl.close();
    output.err('');
  }
}

function renderResult(result: StepResult, output: Output): string {
  const { style } = output;
  const mark =
    result.status === 'succeeded'
      ? style.green('✓')
      : result.status === 'failed'
        ? style.red('✗')
        : result.status === 'non-converging'
          ? style.red('↻')
          : result.status === 'blocked'
            ? style.red('⊘')
            : style.yellow('○');
  // "blocked — blocked: …": the message may already start with the status word
  const message = result.message.startsWith(`${result.status}: `) ? result.message.slice(result.status.length + 2) : result.message;
  return `${mark} ${escapeControl(result.address)}: ${result.action} ${result.status} — ${escapeControl(message)}`;
}

/** `apply` converges from a fresh plan; `apply plan.json` executes exactly the saved plan, if still true. */
export async function applyCommand(options: ApplyOptions, output: Output, args: readonly string[] = []): Promise<number> {
  const planPath = args[0];
  const saved = planPath ? await readSavedPlan(planPath) : undefined;
  // the plan names the file it was made from; -f given explicitly wins
  const file = saved && options.fileIsDefault ? saved.file : options.file;
  const loaded = await loadConfig({ ...options, file }, output);
  const desired = toDesired(loaded.config);
  const needed = saved ? consentFlagsNeeded(saved, desired) : new Set<string>();
  const ignored = saved ? consentFlagsGiven(options).filter((flag) => !needed.has(flag)) : [];
  if (ignored.length > 0) {
    output.err(
      `${output.style.yellow('warning:')} ${ignored.join(', ')} ${ignored.length === 1 ? 'has' : 'have'} no effect on this saved plan: no action in ${planPath} needs it, and a saved plan gains no actions at apply. ` +
        `To act on it, pass ${ignored.join(' ')} to \`reconcile plan --out ${planPath}\`, review the new plan, then apply it with the same flags.`,
    );
  }
  // before the lock, the account check or any other AWS call: a bad path fails with nothing changed
  if (options.secretsOut) await checkSecretsOut(options.secretsOut, loaded.source.path);
  const readCtx = makeContext(options, loaded.config, false);
  const actions = await connectActions();
  // from here on a signal never ends apply abruptly: in-flight AWS calls finish, the lock is released
  const interrupt = new Interrupt(output).install();
  try {
    // before the lock and before any saved plan is checked: nothing touches another account
    await checkAccount(loaded.config, readCtx);
    const code = await withApplyLock(options.lockBucket, readCtx, output, () => applyLocked(options, output, loaded, desired, readCtx, actions, saved, planPath, interrupt), interrupt);
    return interrupt.exitCode ?? code;
  } finally {
    interrupt.dispose();
    readCtx.aws.destroy();
  }
}

async function applyLocked(
  options: ApplyOptions,
  output: Output,
  loaded: LoadedConfig,
  desired: readonly Desired[],
  readCtx: ReadContext,
  actions: ActionsHost | undefined,
  saved: Plan | undefined,
  planPath: string | undefined,
  interrupt: Interrupt,
): Promise<number> {
  let plan: Plan;
  if (saved && planPath) {
    const live = new Map<string, Observed>();
    const stale = await checkSavedPlan({ plan: saved, onFresh: (address, observed) => live.set(address, observed), fileText: loaded.source.text, filePath: loaded.source.path, desired, stack: loaded.config.stack, toolVersion: TOOL_VERSION, ctx: readCtx, handlerFor, concurrency: options.concurrency });
    if (stale.length > 0) {
      reportStale(stale, planPath, output, loaded.source.path === 'storage.yaml' ? undefined : loaded.source.path);
      if (actions) await reportStaleToActions(actions, saved, loaded, stale);
      return ExitCode.stale;
    }
    plan = requireApplyConsent(withLiveObserved(saved, live), consentFrom(options), desired, live).plan;
  } else {
    plan = await buildPlan(loaded, readCtx, options.concurrency, consentFrom(options));
  }
  output.out(renderText(plan, output.style));
  if (actions) actions.setOutputs(planOutputs(plan, planPath));
  if (plan.errors.length > 0) return ExitCode.error;
  if (!hasChanges(plan)) return ExitCode.ok;
  const stoppedBefore = (): number | undefined => {
    if (!interrupt.signal) return undefined;
    output.err(`Interrupted by ${interrupt.signal} before any change was made; nothing was applied.`);
    return interrupt.exitCode;
  };
  const early = stoppedBefore();
  if (early !== undefined) return early;

  const needsKey = plan.changes.some(
    (c) =>
      c.kind === 'iam.access-key' &&
      c.action !== 'no-op' &&
      !c.blocked &&
      usesSecretsFile(c.desired as AccessKeySpec) &&
      (c.steps ?? []).some((step) => step.startsWith('create')),
  );
  if (needsKey && !options.secretsOut) {
    throw new UserError(
      'this plan creates an access key, but no secrets sink was given; nothing was changed',
      ExitCode.error,
      'pass --secrets-out PATH: the secret is written there (mode 0600) and nowhere else',
    );
  }
  if (!options.autoApprove) {
    if (!process.stdin.isTTY) {
      throw new UserError('refusing to apply without confirmation: stdin is not a terminal', ExitCode.error, 'pass --auto-approve in CI');
    }
    if (!(await confirm(output))) {
      output.err('Apply cancelled; nothing was changed.');
      return ExitCode.error;
    }
    const late = stoppedBefore();
    if (late !== undefined) return late;
  }

  const fileSink = options.secretsOut ? new FileSecretSink(options.secretsOut) : undefined;
  const ctx: WriteContext = {
    ...readCtx,
    ...(fileSink ? { secrets: fileSink } : {}),
    sinkFor: (target) => sinkFor(target, { aws: readCtx.aws, region: readCtx.defaultRegion, stack: loaded.config.stack, file: fileSink }),
    // every new secret is masked in Actions the moment AWS returns it (before verification and delivery)
    ...(actions ? { maskSecret: actions.mask } : {}),
    notify: (message) => output.err(output.style.yellow(message)),
  };
  const execute = () =>
    executePlan(plan.changes, {
      ctx,
      handlerFor,
      concurrency: options.concurrency,
      stopRequested: () => (interrupt.signal ? `interrupted by ${interrupt.signal}` : undefined),
      onResult: (r) => output.out(renderResult(r, output)),
      onRetry: (address, what, err, delayMs) =>
        output.err(
          `${output.style.yellow(what === 'propagation' ? 'waiting for IAM propagation' : 'waiting for a concurrent S3 operation')}: ${address} (${errorCode(err)}), retrying in ${(delayMs / 1000).toFixed(1)} s`,
        ),
    });
  const results = actions ? await actions.group(`Apply steps (${touchedChanges(plan).length})`, execute) : await execute();
  if (actions) await reportApply(actions, plan, loaded, results);
  const digests = await recordDigests(ctx, plan.changes, results, options.concurrency);
  for (const f of digests.failed) output.err(`warning: could not record the applied state on ${f.address} (tag ${DIGEST_TAG}): ${f.message}; drift will report it as pending`);
  const count = (status: StepResult['status']) => results.filter((r) => r.status === status).length;
  const failed = count('failed');
  const nonConverging = count('non-converging');
  const blocked = count('blocked');
  const interrupted = results.filter((r) => r.interrupted).length;
  output.out('');
  output.out(
    output.style.bold(
      `Apply ${interrupt.signal ? `interrupted by ${interrupt.signal}` : failed + nonConverging > 0 ? 'finished with errors' : blocked > 0 ? 'finished with blocked actions' : 'complete'}: ` +
        `${count('succeeded')} succeeded, ${failed} failed, ${count('skipped')} skipped, ${blocked} blocked` +
        `${nonConverging > 0 ? `, ${nonConverging} non-converging` : ''}.`,
    ),
  );
  if (options.secretsOut && results.some((r) => r.address.endsWith('.access-key') && r.status === 'succeeded')) {
    output.out(`New access key secrets were written to ${options.secretsOut} (mode 0600).`);
  }
  if (interrupt.exitCode !== undefined) {
    output.err(`${interrupt.signal} stopped the apply: ${interrupted} step(s) were not started; run apply again to finish (every step is idempotent).`);
    return interrupt.exitCode;
  }
  if (failed + nonConverging > 0) return ExitCode.error;
  return blocked > 0 ? ExitCode.blocked : ExitCode.ok;
}
