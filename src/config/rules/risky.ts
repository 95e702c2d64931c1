import type { Path, RuleContext, RuleFamily } from './context.js';
import { ruleIdentity } from './cors.js';
import { statementsOf } from './policy-documents.js';
import { isObject, list, section, strings, stringsAt } from './view.js';

/** Risky but legal: every finding here is a warning (`--strict` turns warnings into errors). */

const WRITE_METHODS = ['PUT', 'POST', 'DELETE'];
const UPLOAD_METHODS = ['PUT', 'POST'];

/** Whether every origin matched by pattern `b` is also matched by pattern `a` (each has at most one *). */
export function originCovers(a: string, b: string): boolean {
  const star = a.indexOf('*');
  if (star === -1) return a === b;
  const [prefix, suffix] = [a.slice(0, star), a.slice(star + 1)];
  const bStar = b.indexOf('*');
  if (bStar === -1) return b.length >= prefix.length + suffix.length && b.startsWith(prefix) && b.endsWith(suffix);
  return b.slice(0, bStar).startsWith(prefix) && b.slice(bStar + 1).endsWith(suffix);
}

function lintCors(ctx: RuleContext): void {
  for (const bucket of section(ctx.root, 'buckets')) {
    const rules = list(bucket.value.cors);
    const corsPath = [...bucket.path, 'cors'];
    rules.forEach((rule, i) => {
      if (!isObject(rule)) return;
      const rulePath = [...corsPath, i];
      const methods = strings(rule.AllowedMethods);
      const origins = stringsAt(rule.AllowedOrigins, [...rulePath, 'AllowedOrigins']);
      const writes = methods.filter((m) => WRITE_METHODS.includes(m));
      const anyOrigin = origins.find((o) => o.value === '*');
      if (anyOrigin && writes.length > 0) {
        ctx.report({
          code: 'RC9001',
          severity: 'warning',
          path: anyOrigin.path,
          message: `CORS rule ${i + 1} of bucket "${bucket.name}" lets any web site send ${writes.join('/')} requests`,
          hint: 'list the origins your app is served from, e.g. https://app.example.com',
        });
      }
      const uploads = stringsAt(rule.AllowedMethods, [...rulePath, 'AllowedMethods']).filter((m) => UPLOAD_METHODS.includes(m.value));
      const exposesEtag = strings(rule.ExposeHeaders).some((h) => h.toLowerCase() === 'etag');
      if (uploads.length > 0 && !exposesEtag) {
        ctx.report({
          code: 'RC9002',
          severity: 'warning',
          path: (uploads[0] as { path: Path }).path,
          message: `CORS rule ${i + 1} of bucket "${bucket.name}" allows ${uploads.map((u) => u.value).join('/')} but does not expose ETag: browser SDKs cannot read upload results (multipart uploads fail)`,
          hint: 'add ExposeHeaders: [ETag]',
        });
      }
      for (let earlier = 0; earlier < i; earlier++) {
        const first = rules[earlier];
        if (!isObject(first) || ruleIdentity(first) === ruleIdentity(rule)) continue; // duplicates are RC5009
        const firstMethods = strings(first.AllowedMethods);
        const firstOrigins = strings(first.AllowedOrigins);
        const shadowed = origins.flatMap((o) =>
          firstOrigins.some((f) => originCovers(f, o.value)) ? methods.filter((m) => firstMethods.includes(m)).map((m) => `${o.value} ${m}`) : [],
        );
        if (shadowed.length === 0) continue;
        ctx.report({
          code: 'RC9003',
          severity: 'warning',
          path: rulePath,
          message: `CORS rule ${i + 1} of bucket "${bucket.name}" is shadowed by rule ${earlier + 1} for ${shadowed.slice(0, 3).join(', ')}${shadowed.length > 3 ? ', …' : ''}: S3 uses the first rule that matches`,
          hint: 'move the more specific rule first, or merge the two',
          related: [{ message: `rule ${earlier + 1} matches first`, path: [...corsPath, earlier] }],
        });
        break;
      }
    });
  }
}

/** Actions that AWS authorizes only against Resource "*" (they act on no one resource). */
const ACCOUNT_WIDE_ACTIONS = new Set(['s3:listallmybuckets', 's3:getaccountpublicaccessblock', 's3:listaccesspoints', 's3:listjobs', 'sts:getcalleridentity', 'iam:listpolicies', 'iam:listusers', 'iam:getaccountsummary']);

function lintPolicyDocument(ctx: RuleContext, owner: string, document: unknown, path: Path): void {
  if (!isObject(document)) return;
  for (const { statement, path: statementPath } of statementsOf(document, path)) {
    if (statement.Effect !== 'Allow') continue;
    const anyAction = stringsAt(statement.Action, [...statementPath, 'Action']).find((a) => a.value === '*' || a.value === '*:*');
    if (anyAction) {
      ctx.report({ code: 'RC9004', severity: 'warning', path: anyAction.path, message: `${owner} allows every action ("${anyAction.value}")`, hint: 'name the actions, e.g. s3:GetObject and s3:PutObject' });
    }
    const anyResource = stringsAt(statement.Resource, [...statementPath, 'Resource']).find((r) => r.value === '*');
    const actions = stringsAt(statement.Action, [...statementPath, 'Action']).map((a) => a.value.toLowerCase());
    // some actions have no resource to name (s3:ListAllMyBuckets, sts:GetCallerIdentity): "*" is their only form
    const onlyAccountWide = actions.length > 0 && actions.every((a) => ACCOUNT_WIDE_ACTIONS.has(a));
    if (anyResource && !onlyAccountWide) {
      ctx.report({ code: 'RC9005', severity: 'warning', path: anyResource.path, message: `${owner} allows its actions on every resource ("*")`, hint: 'name the ARNs, e.g. arn:aws:s3:::bucket and arn:aws:s3:::bucket/*' });
    }
  }
}

function isPublicPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  return isObject(principal) && strings(principal.AWS).includes('*');
}

/** Whether the bucket's (future) publicAccessBlock setting blocks public bucket policies. */
function blocksPublicPolicy(setting: unknown): boolean {
  if (setting === true) return true;
  return isObject(setting) && (setting.BlockPublicPolicy === true || setting.blockPublicPolicy === true);
}

function lintBucketPolicies(ctx: RuleContext): void {
  for (const bucket of section(ctx.root, 'buckets')) {
    const policy = bucket.value.policy;
    if (!isObject(policy)) continue;
    const blocked = blocksPublicPolicy(bucket.value.publicAccessBlock);
    for (const { statement, path } of statementsOf(policy, [...bucket.path, 'policy'])) {
      if (statement.Effect !== 'Allow' || !isPublicPrincipal(statement.Principal) || isObject(statement.Condition)) continue;
      ctx.report({
        code: 'RC9006',
        severity: blocked ? 'error' : 'warning',
        path: [...path, 'Principal'],
        message: blocked
          ? `the policy of bucket "${bucket.name}" allows anyone (Principal "*"), but its public access block rejects public policies: S3 would refuse it`
          : `the policy of bucket "${bucket.name}" allows anyone on the internet (Principal "*")`,
        hint: blocked ? 'name the principals, or turn off BlockPublicPolicy' : 'name the principals, or add a Condition that narrows who may call',
      });
    }
    lintPolicyDocument(ctx, `the policy of bucket "${bucket.name}"`, policy, [...bucket.path, 'policy']);
  }
}

export const riskyRules: RuleFamily = {
  name: 'risky but legal',
  check(ctx) {
    lintCors(ctx);
    for (const policy of section(ctx.root, 'policies')) lintPolicyDocument(ctx, `policy "${policy.name}"`, policy.value.document, [...policy.path, 'document']);
    lintBucketPolicies(ctx);
  },
};
