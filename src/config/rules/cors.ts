import { stableStringify } from '../../core/canonical.js';
import { closest } from '../did-you-mean.js';
import type { RuleFamily } from './context.js';
import { isObject, list, section } from './view.js';

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;
export const MAX_CORS_RULES = 100;
const LIST_KEYS = ['AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposeHeaders'] as const;

function stars(value: string): number {
  return value.split('*').length - 1;
}

/** What a rule does, independent of its ID and of the order inside its lists. */
export function ruleIdentity(rule: Record<string, unknown>): string {
  const out: Record<string, unknown> = { MaxAgeSeconds: rule.MaxAgeSeconds };
  for (const key of LIST_KEYS) out[key] = [...new Set(list(rule[key]).map(String))].sort();
  return stableStringify(out);
}

export const corsRules: RuleFamily = {
  name: 'CORS',
  check(ctx) {
    for (const bucket of section(ctx.root, 'buckets')) {
      const rules = bucket.value.cors;
      if (!Array.isArray(rules)) continue;
      const corsPath = [...bucket.path, 'cors'];
      if (rules.length > MAX_CORS_RULES) {
        ctx.report({
          code: 'RC5002',
          path: corsPath,
          message: `bucket "${bucket.name}" has ${rules.length} CORS rules; S3 allows at most ${MAX_CORS_RULES}`,
          hint: 'merge rules that share methods and headers: one rule may list many origins',
        });
      }
      const identities = new Map<string, number>();
      rules.forEach((rule, i) => {
        if (!isObject(rule)) return;
        const rulePath = [...corsPath, i];
        for (const [key, code] of [
          ['AllowedOrigins', 'RC5003'],
          ['AllowedMethods', 'RC5004'],
        ] as const) {
          const value = rule[key];
          if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
            ctx.report({
              code,
              path: value === undefined ? rulePath : [...rulePath, key],
              message: `CORS rule ${i + 1} of bucket "${bucket.name}" needs at least one entry in ${key}`,
              hint: key === 'AllowedOrigins' ? 'e.g. AllowedOrigins: ["https://app.example.com"]' : 'e.g. AllowedMethods: [GET, PUT]',
            });
          }
        }
        list(rule.AllowedMethods).forEach((method, j) => {
          if (typeof method !== 'string' || (CORS_METHODS as readonly string[]).includes(method)) return;
          const guess = closest(method, CORS_METHODS);
          ctx.report({
            code: 'RC5001',
            path: [...rulePath, 'AllowedMethods', j],
            message: `"${method}" is not a CORS method S3 accepts; use GET, PUT, POST, DELETE or HEAD`,
            ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
          });
        });
        list(rule.AllowedOrigins).forEach((origin, j) => {
          if (typeof origin === 'string' && stars(origin) > 1) {
            ctx.report({ code: 'RC5005', path: [...rulePath, 'AllowedOrigins', j], message: `origin "${origin}" has ${stars(origin)} wildcards; S3 allows at most one * per origin` });
          } else if (typeof origin === 'string' && !isOriginShape(origin)) {
            const fixed = originFix(origin);
            ctx.report({
              code: 'RC5010',
              path: [...rulePath, 'AllowedOrigins', j],
              message: `origin "${origin}" can never match: a browser sends its origin as scheme://host[:port], with no path or trailing slash`,
              ...(fixed ? { hint: `write "${fixed}"` } : { hint: 'e.g. "https://app.example.com" or "http://localhost:5173"' }),
            });
          }
        });
        list(rule.AllowedHeaders).forEach((header, j) => {
          if (typeof header === 'string' && stars(header) > 1) {
            ctx.report({ code: 'RC5006', path: [...rulePath, 'AllowedHeaders', j], message: `allowed header "${header}" has ${stars(header)} wildcards; S3 allows at most one * per header` });
          }
        });
        list(rule.ExposeHeaders).forEach((header, j) => {
          if (typeof header === 'string' && header.includes('*')) {
            ctx.report({
              code: 'RC5007',
              path: [...rulePath, 'ExposeHeaders', j],
              message: `ExposeHeaders entry "${header}" has a wildcard; S3 needs each header named`,
              hint: 'list the headers the browser must read, e.g. [ETag, x-amz-version-id]',
            });
          }
        });
        if ('MaxAgeSeconds' in rule) {
          const age = rule.MaxAgeSeconds;
          if (typeof age !== 'number' || !Number.isInteger(age) || age < 0) {
            ctx.report({ code: 'RC5008', path: [...rulePath, 'MaxAgeSeconds'], message: `MaxAgeSeconds must be a whole number of seconds, 0 or more (got ${JSON.stringify(age)})` });
          }
        }
        const identity = ruleIdentity(rule);
        const first = identities.get(identity);
        if (first === undefined) identities.set(identity, i);
        else {
          ctx.report({
            code: 'RC5009',
            path: rulePath,
            message: `CORS rule ${i + 1} of bucket "${bucket.name}" repeats rule ${first + 1}`,
            hint: 'delete the repeated rule',
            related: [{ message: `rule ${first + 1} is here`, path: [...corsPath, first] }],
          });
        }
      });
    }
  },
};

/** `*`, or scheme://host[:port] (one `*` allowed anywhere), as the Origin header carries it. */
function isOriginShape(origin: string): boolean {
  return origin === '*' || /^(\*|[a-z][a-z0-9+.-]*):\/\/[^/\s?#]+$/i.test(origin) || /^\*[^/\s?#]*$/.test(origin);
}

function originFix(origin: string): string | undefined {
  const trimmed = origin.replace(/\/+$/, '');
  if (trimmed !== origin && isOriginShape(trimmed)) return trimmed;
  if (!origin.includes('://') && isOriginShape(`https://${origin}`)) return `https://${origin}`;
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/\s?#]+)[/?#]/i.exec(origin);
  return m?.[1];
}
