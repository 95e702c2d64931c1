import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { CorsRule, PolicyDocument, PolicyStatement } from '../../src/config/types.js';
import { NoteList } from '../../src/core/semantics.js';
import { compareSpecs } from '../../src/plan/planner.js';
import type { ResourceHandler } from '../../src/resources/handler.js';
import { policyHandler, type PolicySpec } from '../../src/resources/iam/policy.js';
import { canonicalPolicy } from '../../src/resources/iam/policy-document.js';
import { corsHandler, type CorsSpec } from '../../src/resources/s3/cors.js';

const RUNS = { numRuns: 1000 };

/** A deterministic shuffle driven by a generated seed (so failures shrink and replay). */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const SERVICES = ['s3', 'S3', 'iam', 'kms'];
const VERBS = ['GetObject', 'PutObject', 'DeleteObject', 'ListBucket', 'getobject', 'GetBucketLocation', 'Decrypt', 'AbortMultipartUpload', '*', 'Get*'];
const action = fc.tuple(fc.constantFrom(...SERVICES), fc.constantFrom(...VERBS)).map(([s, v]) => `${s}:${v}`);
const resource = fc
  .tuple(fc.constantFrom('acme-uploads', 'acme-logs', 'a.b-c'), fc.stringMatching(/^[a-z0-9+ %/._*-]{0,12}$/))
  .map(([bucket, key]) => `arn:aws:s3:::${bucket}/${key}`);

const actions = fc.uniqueArray(action, { minLength: 1, maxLength: 5, selector: (a) => a.toLowerCase() });
const resources = fc.uniqueArray(resource, { minLength: 1, maxLength: 4 });

const statement: fc.Arbitrary<PolicyStatement> = fc
  .record({
    Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
    Action: actions,
    Resource: resources,
    Sid: fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), { nil: undefined }),
    secure: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ secure, Sid, ...s }) => ({
    ...s,
    ...(Sid !== undefined ? { Sid } : {}),
    ...(secure !== undefined ? { Condition: { Bool: { 'aws:SecureTransport': secure } } } : {}),
  }));

const document: fc.Arbitrary<PolicyDocument> = fc
  .uniqueArray(statement, { minLength: 1, maxLength: 4, selector: (s) => JSON.stringify(canonicalPolicy({ Statement: [s] })) })
  .map((Statement) => ({ Version: '2012-10-17', Statement }));

const policySpec = (doc: PolicyDocument | string): PolicySpec => ({ path: '/', description: '', document: doc, tags: { 'reconcile:stack': 's' } });

/** The same document in other spellings AWS or a user might produce; meaning unchanged. */
function respell(doc: PolicyDocument, seed: number): PolicyDocument | string {
  const statements = (doc.Statement as PolicyStatement[]).map((s, i) => {
    const out: Record<string, unknown> = {};
    for (const key of shuffle(Object.keys(s), seed + i)) out[key] = (s as unknown as Record<string, unknown>)[key];
    const acts = shuffle(s.Action as string[], seed + 7 * i);
    out.Action = acts.length === 1 && seed % 2 === 0 ? acts[0] : acts.map((a, j) => ((seed + j) % 3 === 0 ? a.toUpperCase() : a));
    const res = shuffle(s.Resource as string[], seed + 13 * i);
    out.Resource = res.length === 1 && seed % 3 === 0 ? res[0] : [...res, ...(seed % 5 === 0 ? [res[0]] : [])];
    if (s.Sid === undefined && seed % 4 === 0) out.Sid = '';
    if (s.Condition) out.Condition = { Bool: { 'AWS:SECURETRANSPORT': String(s.Condition.Bool?.['aws:SecureTransport']) } };
    return out;
  });
  const respelled = { Statement: shuffle(statements, seed), Version: doc.Version } as unknown as PolicyDocument;
  if (seed % 3 === 0) return encodeURIComponent(JSON.stringify(respelled)).replace(/%2B/g, '+');
  if (seed % 3 === 1) return JSON.stringify(respelled);
  return respelled;
}

function laws<S>(name: string, handler: ResourceHandler<S>, spec: fc.Arbitrary<S>): void {
  describe(`${name}: normalization laws`, () => {
    test('normalize is idempotent', () => {
      fc.assert(
        fc.property(spec, (s) => {
          const once = handler.normalize(s);
          expect(handler.normalize(once)).toEqual(once);
        }),
        RUNS,
      );
    });

    test('normalize never mutates its input (with or without a recorder)', () => {
      fc.assert(
        fc.property(spec, (s) => {
          const copy = structuredClone(s);
          handler.normalize(s);
          handler.normalize(s, new NoteList());
          expect(s).toEqual(copy);
        }),
        RUNS,
      );
    });

    test('diff(x, x) is empty', () => {
      fc.assert(
        fc.property(spec, (s) => {
          expect(compareSpecs(handler as ResourceHandler, s, structuredClone(s)).patch).toEqual([]);
        }),
        RUNS,
      );
    });
  });
}

laws('policy', policyHandler, document.map((d) => policySpec(d)));

const method = fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD');
const origin = fc.stringMatching(/^https:\/\/[a-z]{1,6}\.example\.com$/);
const header = fc.constantFrom('ETag', 'etag', 'Content-Type', 'x-amz-meta-a', '*', 'Authorization');
const corsRule: fc.Arbitrary<CorsRule> = fc
  .record({
    AllowedMethods: fc.uniqueArray(method, { minLength: 1 }),
    AllowedOrigins: fc.uniqueArray(origin, { minLength: 1, maxLength: 4 }),
    AllowedHeaders: fc.option(fc.uniqueArray(header, { maxLength: 3, selector: (h) => h.toLowerCase() }), { nil: undefined }),
    ExposeHeaders: fc.option(fc.uniqueArray(header, { maxLength: 3 }), { nil: undefined }),
    MaxAgeSeconds: fc.option(fc.nat(86400), { nil: undefined }),
  })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as CorsRule);
const corsSpec: fc.Arbitrary<CorsSpec> = fc.array(corsRule, { minLength: 1, maxLength: 4 }).map((rules) => ({ rules }));

laws('cors', corsHandler, corsSpec);

const equal = (handler: ResourceHandler, desired: unknown, observed: unknown): boolean => compareSpecs(handler, desired, observed).patch.length === 0;
const policy = policyHandler as ResourceHandler;
const cors = corsHandler as ResourceHandler;

describe('policy: meaning, not spelling', () => {
  test('any permutation and respelling of set-like lists gives an empty diff', () => {
    fc.assert(
      fc.property(document, fc.nat(), (doc, seed) => {
        expect(equal(policy, policySpec(doc), policySpec(respell(doc, seed)))).toBe(true);
      }),
      RUNS,
    );
  });

  test('adding or removing an action always gives a non-empty diff that names it', () => {
    fc.assert(
      fc.property(document, fc.nat(), action, (doc, pick, extra) => {
        const statements = doc.Statement as PolicyStatement[];
        const i = pick % statements.length;
        const target = statements[i] as PolicyStatement;
        const present = (target.Action as string[]).map((a) => a.toLowerCase());
        const others = statements.filter((_, j) => j !== i);
        let changed: PolicyStatement;
        let named: string;
        if (!present.includes(extra.toLowerCase())) {
          changed = { ...target, Action: [...(target.Action as string[]), extra] };
          named = extra;
        } else if (present.length > 1) {
          named = (target.Action as string[])[0] as string;
          changed = { ...target, Action: (target.Action as string[]).slice(1) };
        } else return;
        // the change must not merely recreate another existing statement
        const edited = { ...doc, Statement: [...others, changed] };
        if (equal(policy, policySpec(edited), policySpec({ ...doc, Statement: others }))) return;
        const comparison = compareSpecs(policy, policySpec(edited), policySpec(doc));
        expect(comparison.patch.length).toBeGreaterThan(0);
        const details = policyHandler.describe!(comparison.before as PolicySpec, comparison.after as PolicySpec, { desired: policySpec(edited) });
        expect(details.map((d) => d.text).join('\n').toLowerCase()).toContain(named.toLowerCase());
      }),
      RUNS,
    );
  });

  test('adding or removing a resource always gives a non-empty diff', () => {
    fc.assert(
      fc.property(document, fc.nat(), resource, (doc, pick, extra) => {
        const statements = doc.Statement as PolicyStatement[];
        const i = pick % statements.length;
        const target = statements[i] as PolicyStatement;
        const present = target.Resource as string[];
        let changed: PolicyStatement;
        if (!present.includes(extra)) changed = { ...target, Resource: [...present, extra] };
        else if (present.length > 1) changed = { ...target, Resource: present.filter((r) => r !== extra) };
        else return;
        const edited = { ...doc, Statement: statements.map((s, j) => (j === i ? changed : s)) };
        expect(equal(policy, policySpec(edited), policySpec(doc))).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('cors: meaning, not spelling', () => {
  test('any permutation of the lists inside rules gives an empty diff', () => {
    fc.assert(
      fc.property(corsSpec, fc.nat(), (spec, seed) => {
        const respelled = {
          rules: spec.rules.map((r, i) => ({
            ...r,
            AllowedMethods: shuffle(r.AllowedMethods, seed + i),
            AllowedOrigins: shuffle(r.AllowedOrigins, seed + 2 * i),
            ...(r.AllowedHeaders ? { AllowedHeaders: shuffle(r.AllowedHeaders, seed + 3 * i).map((h) => h.toUpperCase()) } : {}),
            ...(r.ExposeHeaders ? { ExposeHeaders: shuffle(r.ExposeHeaders, seed + 5 * i) } : {}),
          })),
        };
        expect(equal(cors, spec, respelled)).toBe(true);
      }),
      RUNS,
    );
  });

  test('adding or removing an origin or a method always gives a non-empty diff', () => {
    fc.assert(
      fc.property(corsSpec, fc.nat(), origin, method, fc.boolean(), (spec, pick, newOrigin, newMethod, useOrigin) => {
        const i = pick % spec.rules.length;
        const rule = spec.rules[i] as CorsRule;
        const key = useOrigin ? 'AllowedOrigins' : 'AllowedMethods';
        const extra = useOrigin ? newOrigin : newMethod;
        const list = rule[key];
        const next = list.includes(extra) ? list.filter((v) => v !== extra) : [...list, extra];
        const edited = { rules: spec.rules.map((r, j) => (j === i ? { ...r, [key]: next } : r)) };
        expect(equal(cors, edited, spec)).toBe(false);
      }),
      RUNS,
    );
  });

  test('rule order is significant: swapping two different rules gives a non-empty diff', () => {
    fc.assert(
      fc.property(corsSpec, (spec) => {
        if (spec.rules.length < 2 || equal(cors, { rules: [spec.rules[0]] }, { rules: [spec.rules[1]] })) return;
        const swapped = { rules: [spec.rules[1], spec.rules[0], ...spec.rules.slice(2)] };
        expect(equal(cors, swapped, spec)).toBe(false);
      }),
      RUNS,
    );
  });
});
