import { compileGrants } from '../../resources/iam/grants.js';
import type { Grant } from '../types.js';
import { closest } from '../did-you-mean.js';
import { bucketNameProblems } from './bucket-names.js';
import type { Path, RuleContext, RuleFamily } from './context.js';
import { isObject, list, section, stringsAt } from './view.js';

/** AWS's limit for a managed policy document, counted without whitespace. */
export const MAX_MANAGED_POLICY_CHARS = 6144;
export const POLICY_VERSION = '2012-10-17';

const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
const ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-eusc|aws-iso[a-z-]*):([a-z0-9-]+):([a-z0-9-]*|\*):(\d{12}|\*|aws)?:(.+)$/;
const S3_BUCKET_PART = /^[a-z0-9.\-*?${}:]+$/;
const SID = /^[A-Za-z0-9]*$/;

export type DocumentKind = 'identity' | 'resource';

/** One statement or a list of them, with their paths. */
export function statementsOf(document: Record<string, unknown>, path: Path): { statement: Record<string, unknown>; path: Path }[] {
  const value = document.Statement;
  if (isObject(value)) return [{ statement: value, path: [...path, 'Statement'] }];
  const out: { statement: Record<string, unknown>; path: Path }[] = [];
  list(value).forEach((statement, i) => {
    if (isObject(statement)) out.push({ statement, path: [...path, 'Statement', i] });
  });
  return out;
}

export function compiledLength(document: unknown): number {
  return JSON.stringify(document).replace(/\s+/g, '').length;
}

function checkResource(ctx: RuleContext, resource: string, path: Path): void {
  if (resource === '*') return;
  const match = ARN.exec(resource);
  if (!match) {
    ctx.report({
      code: 'RC8008',
      path,
      message: `resource "${resource}" is neither * nor a well-formed ARN (arn:partition:service:region:account:resource)`,
      ...(/^[a-z0-9.-]+(\/.*)?$/.test(resource) ? { hint: `for a bucket write "arn:aws:s3:::${resource}"` } : {}),
    });
    return;
  }
  const [, , service, region, account, rest] = match;
  if (service !== 's3' || region !== '' || (account ?? '') !== '') return;
  const bucket = (rest as string).split('/')[0] as string;
  const literal = !/[*?$]/.test(bucket);
  if (!S3_BUCKET_PART.test(bucket) || (literal && bucketNameProblems(bucket).length > 0)) {
    ctx.report({
      code: 'RC8008',
      path,
      message: `S3 ARN "${resource}" names "${bucket}", which is not a valid bucket name`,
      hint: 'S3 ARNs look like arn:aws:s3:::bucket-name or arn:aws:s3:::bucket-name/key-prefix/*',
    });
  }
}

function checkStatement(ctx: RuleContext, statement: Record<string, unknown>, path: Path, kind: DocumentKind): void {
  const effect = statement.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    const guess = typeof effect === 'string' ? closest(effect, ['Allow', 'Deny']) : undefined;
    ctx.report({
      code: 'RC8004',
      path: effect === undefined ? path : [...path, 'Effect'],
      message: effect === undefined ? 'statement has no Effect; it must be Allow or Deny' : `Effect must be Allow or Deny, not ${JSON.stringify(effect)}`,
      ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
    });
  }
  for (const [positive, negative, code] of [
    ['Action', 'NotAction', 'RC8005'],
    ['Resource', 'NotResource', 'RC8006'],
  ] as const) {
    const count = Number(positive in statement) + Number(negative in statement);
    if (count !== 1) {
      ctx.report({
        code,
        path: count === 0 ? path : [...path, negative],
        message: count === 0 ? `statement has neither ${positive} nor ${negative}; it needs exactly one` : `statement has both ${positive} and ${negative}; keep one`,
      });
    }
  }
  for (const key of ['Action', 'NotAction'] as const) {
    for (const action of stringsAt(statement[key], [...path, key])) {
      if (ACTION.test(action.value)) continue;
      ctx.report({ code: 'RC8007', path: action.path, message: `action "${action.value}" is not of the form service:Action`, hint: 'e.g. s3:GetObject, s3:Put*, s3:*' });
    }
  }
  for (const key of ['Resource', 'NotResource'] as const) {
    for (const resource of stringsAt(statement[key], [...path, key])) checkResource(ctx, resource.value, resource.path);
  }
  if (kind === 'identity') {
    for (const key of ['Principal', 'NotPrincipal'] as const) {
      if (key in statement) {
        ctx.report({
          code: 'RC8010',
          path: [...path, key],
          key: true,
          message: `${key} is not allowed in a policy attached to users (IAM rejects it: the principal is whoever it is attached to)`,
          hint: 'remove it; use a bucket policy to grant other principals',
        });
      }
    }
  }
}

/** Checks of one IAM policy document in AWS's shape; `path` points at the document. */
export function checkPolicyDocument(ctx: RuleContext, document: unknown, path: Path, kind: DocumentKind): void {
  if (!isObject(document)) return;
  if (!('Version' in document)) {
    ctx.report({
      code: 'RC8001',
      path,
      key: true,
      message: `policy document has no Version; without "${POLICY_VERSION}" AWS reads it in the 2008 dialect, where \${aws:username} is not substituted`,
      hint: `add Version: "${POLICY_VERSION}"`,
    });
  } else if (document.Version !== POLICY_VERSION) {
    ctx.report({
      code: 'RC8002',
      path: [...path, 'Version'],
      message: `policy Version must be "${POLICY_VERSION}", not ${JSON.stringify(document.Version)}`,
      hint: typeof document.Version !== 'string' ? 'quote it: YAML reads 2012-10-17 unquoted as a date' : `write Version: "${POLICY_VERSION}"`,
    });
  }
  const statements = statementsOf(document, path);
  if (statements.length === 0 && (!('Statement' in document) || (Array.isArray(document.Statement) && document.Statement.length === 0))) {
    ctx.report({ code: 'RC8003', path: 'Statement' in document ? [...path, 'Statement'] : path, key: !('Statement' in document), message: 'policy document has no statements' });
  }
  const sids = new Map<string, Path>();
  for (const { statement, path: statementPath } of statements) {
    checkStatement(ctx, statement, statementPath, kind);
    const sid = statement.Sid;
    if (typeof sid !== 'string') continue;
    if (!SID.test(sid)) {
      ctx.report({ code: 'RC8011', path: [...statementPath, 'Sid'], message: `Sid "${sid}" may hold only letters and digits`, hint: `use "${sid.replace(/[^A-Za-z0-9]/g, '')}"` });
    } else if (sid !== '' && sids.has(sid)) {
      ctx.report({
        code: 'RC8011',
        path: [...statementPath, 'Sid'],
        message: `Sid "${sid}" is used by two statements of the same document`,
        related: [{ message: 'first used here', path: sids.get(sid) as Path }],
      });
    } else sids.set(sid, [...statementPath, 'Sid']);
  }
}

function wellFormedGrants(value: unknown): Grant[] | undefined {
  const grants = list(value);
  if (grants.length === 0) return undefined;
  const ok = grants.every(
    (g) => isObject(g) && typeof g.bucket === 'string' && ['read', 'write', 'read-write', 'full'].includes(String(g.access)) && (g.prefix === undefined || typeof g.prefix === 'string'),
  );
  return ok ? (grants as Grant[]) : undefined;
}

export const policyDocumentRules: RuleFamily = {
  name: 'policy documents',
  check(ctx) {
    for (const policy of section(ctx.root, 'policies')) {
      const documentPath = [...policy.path, 'document'];
      checkPolicyDocument(ctx, policy.value.document, documentPath, 'identity');
      const compiled = isObject(policy.value.document) ? policy.value.document : (() => {
        const grants = wellFormedGrants(policy.value.grants);
        return grants ? compileGrants(grants) : undefined;
      })();
      if (compiled === undefined) continue;
      const length = compiledLength(compiled);
      if (length > MAX_MANAGED_POLICY_CHARS) {
        ctx.report({
          code: 'RC8009',
          path: policy.path,
          key: true,
          message: `policy "${policy.name}" compiles to a document of ${length} characters (whitespace excluded); AWS allows ${MAX_MANAGED_POLICY_CHARS} for a managed policy`,
          hint: 'split it into several policies and attach each (a user takes up to 10)',
        });
      }
    }
    for (const bucket of section(ctx.root, 'buckets')) {
      if ('policy' in bucket.value) checkPolicyDocument(ctx, bucket.value.policy, [...bucket.path, 'policy'], 'resource');
    }
  },
};
