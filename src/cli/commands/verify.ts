import pLimit from 'p-limit';
import { probeUrl, sendPreflight } from '../../aws/preflight.js';
import { errorMessage, ExitCode, UserError } from '../../core/errors.js';
import { DEFAULT_REGION, toDesired } from '../../config/to-desired.js';
import type { CorsRule } from '../../config/types.js';
import { explainCase, preflightCases, type PreflightCase } from '../../resources/s3/cors-eval.js';
import type { CorsSpec } from '../../resources/s3/cors.js';
import { judgePreflight, type PreflightProblem } from '../../resources/s3/cors-preflight.js';
import type { GlobalOptions } from '../options.js';
import type { Output } from '../output.js';
import { loadConfig } from '../load-config.js';

export interface VerifyOptions extends GlobalOptions {
  origin?: string;
  method?: string;
  header?: string[];
  bucket?: string[];
}

interface Target {
  bucket: string;
  region: string;
  rules: CorsRule[];
  url: string;
}

interface PairResult {
  target: Target;
  pair: PreflightCase;
  /** Which rule answers offline (S3 first-match), or why none does. */
  evaluation: string;
  problems: PreflightProblem[];
}

function targetsFrom(options: VerifyOptions, desiredCors: { name: string; region: string; rules: CorsRule[] }[]): Target[] {
  const wanted = options.bucket;
  if (wanted) {
    const declared = new Set(desiredCors.map((d) => d.name));
    const unknown = wanted.filter((name) => !declared.has(name));
    if (unknown.length > 0) {
      throw new UserError(`--bucket ${unknown.join(', ')}: no such bucket with CORS rules in ${options.file}`);
    }
  }
  return desiredCors
    .filter((d) => !wanted || wanted.includes(d.name))
    .map((d) => ({ bucket: d.name, region: d.region, rules: d.rules, url: probeUrl(d.name, d.region, options.endpointUrl) }));
}

function singlePair(options: VerifyOptions): PreflightCase | undefined {
  if (options.origin === undefined && options.method === undefined) return undefined;
  if (options.origin === undefined || options.method === undefined) {
    throw new UserError('--origin and --method go together', ExitCode.error, 'e.g. reconcile verify --origin http://localhost:5173 --method PUT');
  }
  let origin: URL;
  try {
    origin = new URL(options.origin);
  } catch {
    throw new UserError(`--origin ${options.origin} is not a URL`, ExitCode.error, 'an origin is scheme://host[:port], e.g. https://app.example.com');
  }
  return {
    origin: origin.origin,
    method: options.method.toUpperCase(),
    headers: (options.header ?? []).map((h) => h.toLowerCase()),
    declaredOrigin: origin.origin,
    declaredRuleIndex: -1,
  };
}

async function checkPair(target: Target, pair: PreflightCase, file: string): Promise<PairResult> {
  const verdict = explainCase(target.rules, pair);
  const evaluation = verdict.reason;
  const problems: PreflightProblem[] = [];
  if (!verdict.allowed) problems.push({ header: file, problem: 'no declared rule allows this pair' });
  try {
    const response = await sendPreflight({ url: target.url, origin: pair.origin, method: pair.method, headers: pair.headers });
    if (verdict.allowed) problems.push(...judgePreflight(pair, verdict.rule.ExposeHeaders ?? [], response));
    else if (judgePreflight(pair, [], response).length === 0) {
      problems.push({ header: 'preflight', problem: 'the live bucket allows it although the file does not: the bucket differs from the file' });
    }
  } catch (err) {
    problems.push({ header: 'request', problem: `preflight to ${target.url} failed: ${describeFetchError(err)}` });
  }
  return { target, pair, evaluation, problems };
}

/** Node's fetch says only "fetch failed"; the cause (ECONNREFUSED, ENOTFOUND, ...) is what helps. */
function describeFetchError(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${errorMessage(err)} (${detail})` : errorMessage(err);
}

function describePair(pair: PreflightCase): string {
  const origin = pair.declaredOrigin === pair.origin ? pair.origin : `${pair.origin} (for ${pair.declaredOrigin})`;
  const headers = pair.headers.length > 0 ? ` [headers: ${pair.headers.join(', ')}]` : '';
  return `${pair.method} from ${origin}${headers}`;
}

/**
 * Send real CORS preflights to each bucket for every declared origin × method (or one pair),
 * as a browser would, and check the answers allow the pair and expose the declared headers.
 * Needs no credentials: preflights are unauthenticated.
 */
export async function verifyCommand(options: VerifyOptions, output: Output): Promise<number> {
  const single = singlePair(options);
  const loaded = await loadConfig(options, output);
  const desiredCors = toDesired(loaded.config).flatMap((d) =>
    d.kind === 's3.bucket.cors' ? [{ name: d.name, region: d.region ?? DEFAULT_REGION, rules: (d.spec as CorsSpec).rules }] : [],
  );
  // `cors: []` declares that a bucket has no CORS: no pair to check unless one is asked for
  const targets = targetsFrom(options, desiredCors).filter((t) => single || t.rules.length > 0);
  if (targets.length === 0) {
    output.out(`No bucket in ${options.file} declares CORS rules; nothing to verify.`);
    return ExitCode.ok;
  }

  const limit = pLimit(options.concurrency);
  const jobs = targets.flatMap((target) => (single ? [single] : preflightCases(target.rules)).map((pair) => limit(() => checkPair(target, pair, loaded.source.path))));
  const results = await Promise.all(jobs);

  const { style } = output;
  for (const target of targets) {
    output.out(style.bold(`bucket ${target.bucket} (${target.region}): OPTIONS ${target.url}`));
    for (const result of results.filter((r) => r.target === target)) {
      const ok = result.problems.length === 0;
      output.out(`  ${ok ? style.green('pass') : style.red('FAIL')}  ${describePair(result.pair)}: ${result.evaluation}`);
      for (const problem of result.problems) output.out(`        ${style.red(problem.header)}: ${problem.problem}`);
    }
  }

  const failed = results.filter((r) => r.problems.length > 0);
  if (failed.length === 0) {
    output.out(style.green(`All ${results.length} origin × method pair(s) on ${targets.length} bucket(s) pass their preflight.`));
    return ExitCode.ok;
  }
  output.err(style.red(`${failed.length} of ${results.length} origin × method pair(s) failed:`));
  for (const r of failed) {
    output.err(`  ${r.target.bucket}: ${describePair(r.pair)}: ${r.problems.map((p) => `${p.header} ${p.problem}`).join('; ')}`);
  }
  return ExitCode.error;
}
