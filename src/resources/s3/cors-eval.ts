import type { CorsRule } from '../../config/types.js';

/**
 * S3's CORS evaluation, offline and pure. S3 answers a request with the FIRST rule whose
 * AllowedOrigins match the Origin (one `*` wildcard allowed, case-sensitive), whose
 * AllowedMethods contain the method (exact, upper case), and whose AllowedHeaders match every
 * requested header (one `*` wildcard allowed, case-insensitive). Later rules are not consulted.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
 */

export interface CorsRequest {
  origin: string;
  method: string;
  /** Header names from Access-Control-Request-Headers. */
  headers?: readonly string[];
}

export interface CorsAnswer {
  allowed: true;
  /** 0-based position of the rule that answers. */
  ruleIndex: number;
  rule: CorsRule;
  /** Which rule answers, and why the rules before it did not. */
  reason: string;
}

export interface CorsRefusal {
  allowed: false;
  /** Why each rule did not match, e.g. `rule #1: method DELETE not in AllowedMethods [GET, PUT]`. */
  reason: string;
}

export type CorsVerdict = CorsAnswer | CorsRefusal;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `*` matches any run of characters (also none); everything else literally. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = '^' + pattern.split('*').map(escapeRegExp).join('.*') + '$';
  return new RegExp(source, ignoreCase ? 'si' : 's').test(value);
}

function list(values: readonly string[] | undefined): string {
  return `[${(values ?? []).join(', ')}]`;
}

/** Why `rule` does not answer `request`, or undefined when it does. */
export function ruleMismatch(rule: CorsRule, request: CorsRequest): string | undefined {
  if (!rule.AllowedOrigins.some((pattern) => wildcardMatch(pattern, request.origin))) {
    return `origin ${request.origin} not in AllowedOrigins ${list(rule.AllowedOrigins)}`;
  }
  if (!rule.AllowedMethods.includes(request.method)) {
    return `method ${request.method} not in AllowedMethods ${list(rule.AllowedMethods)}`;
  }
  const allowedHeaders = rule.AllowedHeaders ?? [];
  const refused = (request.headers ?? []).filter((header) => !allowedHeaders.some((pattern) => wildcardMatch(pattern, header, true)));
  if (refused.length > 0) {
    return `header${refused.length > 1 ? 's' : ''} ${refused.join(', ')} not in AllowedHeaders ${list(rule.AllowedHeaders)}`;
  }
  return undefined;
}

export function ruleLabel(index: number, rule: CorsRule): string {
  return rule.ID ? `rule #${index + 1} (${rule.ID})` : `rule #${index + 1}`;
}

/** Which rule S3 uses for `request` (first match), or why none does. */
export function evaluateCors(rules: readonly CorsRule[], request: CorsRequest): CorsVerdict {
  const misses: string[] = [];
  for (const [index, rule] of rules.entries()) {
    const miss = ruleMismatch(rule, request);
    if (miss === undefined) {
      const reason = misses.length === 0 ? `${ruleLabel(index, rule)} matches` : `${ruleLabel(index, rule)} matches (${misses.join('; ')})`;
      return { allowed: true, ruleIndex: index, rule, reason };
    }
    misses.push(`${ruleLabel(index, rule)}: ${miss}`);
  }
  return { allowed: false, reason: rules.length === 0 ? 'the bucket has no CORS rules' : misses.join('; ') };
}

export const SAMPLE_ORIGIN = 'https://reconcile-verify.example';
const SAMPLE_LABEL = 'reconcile-verify';

/** A concrete origin a declared origin pattern accepts (`*` → a sample origin). */
export function sampleOrigin(pattern: string): string {
  if (pattern === '*') return SAMPLE_ORIGIN;
  return pattern.replaceAll('*', SAMPLE_LABEL);
}

/**
 * The request headers a browser app typically sends under a rule's AllowedHeaders: `*` stands
 * for `content-type` (what a PUT upload sends), a pattern gets a sample name, others as named.
 */
export function sampleHeaders(allowedHeaders: readonly string[] | undefined): string[] {
  const out = new Set<string>();
  for (const pattern of allowedHeaders ?? []) {
    if (pattern === '*') out.add('content-type');
    else out.add(pattern.toLowerCase().replaceAll('*', SAMPLE_LABEL));
  }
  return [...out];
}

export interface PreflightCase extends CorsRequest {
  headers: string[];
  /** The origin as written in the file (a pattern for `*` origins). */
  declaredOrigin: string;
  /** The rule this pair was taken from (its answer may come from an earlier rule). */
  declaredRuleIndex: number;
}

/** Every declared origin × method pair of every rule, each once, in file order. */
export function preflightCases(rules: readonly CorsRule[]): PreflightCase[] {
  const seen = new Set<string>();
  const cases: PreflightCase[] = [];
  for (const [index, rule] of rules.entries()) {
    const headers = sampleHeaders(rule.AllowedHeaders);
    for (const declaredOrigin of rule.AllowedOrigins) {
      for (const method of rule.AllowedMethods) {
        const origin = sampleOrigin(declaredOrigin);
        const key = JSON.stringify([origin, method, headers]);
        if (seen.has(key)) continue;
        seen.add(key);
        cases.push({ origin, method, headers, declaredOrigin, declaredRuleIndex: index });
      }
    }
  }
  return cases;
}

/**
 * The offline answer to a pair verify sends: which rule answers (and, when an earlier rule
 * answers a pair declared in a later one, that the later rule is shadowed for it), or why
 * no rule does.
 */
export function explainCase(rules: readonly CorsRule[], pair: PreflightCase): CorsVerdict {
  const verdict = evaluateCors(rules, pair);
  const declared = rules[pair.declaredRuleIndex];
  if (!verdict.allowed || declared === undefined || verdict.ruleIndex === pair.declaredRuleIndex) return verdict;
  return { ...verdict, reason: `${verdict.reason}; it shadows ${ruleLabel(pair.declaredRuleIndex, declared)}, which declares this pair` };
}
