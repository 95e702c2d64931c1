import { describe, expect, test } from 'vitest';
import type { CorsRule } from '../../src/config/types.js';
import { probeUrl } from '../../src/aws/preflight.js';
import { evaluateCors, explainCase, preflightCases, SAMPLE_ORIGIN, sampleHeaders, sampleOrigin, wildcardMatch, type CorsRequest } from '../../src/resources/s3/cors-eval.js';
import { judgePreflight, type PreflightResponse } from '../../src/resources/s3/cors-preflight.js';

const app: CorsRule = {
  AllowedHeaders: ['*'],
  AllowedMethods: ['GET', 'PUT', 'POST'],
  AllowedOrigins: ['http://localhost:5173'],
  ExposeHeaders: ['ETag'],
};
const readAnywhere: CorsRule = { AllowedMethods: ['GET'], AllowedOrigins: ['*'] };
const subdomains: CorsRule = { ID: 'subdomains', AllowedHeaders: ['x-amz-*', 'Content-Type'], AllowedMethods: ['PUT'], AllowedOrigins: ['https://*.example.com'] };

describe('evaluateCors: first matching rule answers (S3 semantics)', () => {
  const cases: { reason: string; rules: CorsRule[]; request: CorsRequest; answer: number | null; says?: string }[] = [
    { reason: 'exact origin and listed method', rules: [app], request: { origin: 'http://localhost:5173', method: 'PUT' }, answer: 0 },
    { reason: 'localhost and 127.0.0.1 are different origins', rules: [app], request: { origin: 'http://127.0.0.1:5173', method: 'PUT' }, answer: null, says: 'origin http://127.0.0.1:5173 not in AllowedOrigins' },
    { reason: 'another port is another origin', rules: [app], request: { origin: 'http://localhost:5174', method: 'GET' }, answer: null },
    { reason: 'a trailing slash is not part of an origin', rules: [app], request: { origin: 'http://localhost:5173/', method: 'GET' }, answer: null },
    { reason: 'origins match case-sensitively', rules: [app], request: { origin: 'HTTP://LOCALHOST:5173', method: 'GET' }, answer: null },
    { reason: 'method not listed', rules: [app], request: { origin: 'http://localhost:5173', method: 'DELETE' }, answer: null, says: 'method DELETE not in AllowedMethods [GET, PUT, POST]' },
    { reason: 'methods are exact (S3 wants upper case)', rules: [app], request: { origin: 'http://localhost:5173', method: 'put' }, answer: null },
    { reason: 'AllowedHeaders * allows any requested header', rules: [app], request: { origin: 'http://localhost:5173', method: 'PUT', headers: ['content-type', 'x-amz-meta-a'] }, answer: 0 },
    { reason: 'no AllowedHeaders allows no requested header', rules: [readAnywhere], request: { origin: 'https://a.test', method: 'GET', headers: ['authorization'] }, answer: null, says: 'header authorization not in AllowedHeaders []' },
    { reason: 'no AllowedHeaders is fine when none is requested', rules: [readAnywhere], request: { origin: 'https://a.test', method: 'GET' }, answer: 0 },
    { reason: 'origin * matches anything', rules: [readAnywhere], request: { origin: 'https://anything.test:8443', method: 'GET' }, answer: 0 },
    { reason: 'origin wildcard inside a pattern', rules: [subdomains], request: { origin: 'https://app.example.com', method: 'PUT' }, answer: 0 },
    { reason: 'origin wildcard spans dots', rules: [subdomains], request: { origin: 'https://a.b.example.com', method: 'PUT' }, answer: 0 },
    { reason: 'origin wildcard does not skip the literal suffix', rules: [subdomains], request: { origin: 'https://example.com.evil.test', method: 'PUT' }, answer: null },
    { reason: 'dots in patterns are literal', rules: [subdomains], request: { origin: 'https://appXexample.com', method: 'PUT' }, answer: null },
    { reason: 'header wildcard and case-insensitive header names', rules: [subdomains], request: { origin: 'https://a.example.com', method: 'PUT', headers: ['X-Amz-Meta-Owner', 'content-type'] }, answer: 0 },
    { reason: 'a requested header outside the patterns', rules: [subdomains], request: { origin: 'https://a.example.com', method: 'PUT', headers: ['x-amz-acl', 'authorization'] }, answer: null, says: 'header authorization not in AllowedHeaders [x-amz-*, Content-Type]' },
    { reason: 'first match wins although a later rule matches too', rules: [readAnywhere, app], request: { origin: 'http://localhost:5173', method: 'GET' }, answer: 0 },
    { reason: 'a later rule answers when earlier ones miss, with their reasons', rules: [readAnywhere, app], request: { origin: 'http://localhost:5173', method: 'PUT' }, answer: 1, says: 'rule #2 matches (rule #1: method PUT not in AllowedMethods [GET])' },
    { reason: 'rule IDs name the rule', rules: [subdomains], request: { origin: 'https://x.test', method: 'PUT' }, answer: null, says: 'rule #1 (subdomains): origin' },
    { reason: 'no rules at all', rules: [], request: { origin: 'http://localhost:5173', method: 'GET' }, answer: null, says: 'the bucket has no CORS rules' },
  ];

  test.each(cases)('$reason', ({ rules, request, answer, says }) => {
    const verdict = evaluateCors(rules, request);
    if (answer === null) expect(verdict.allowed, verdict.reason).toBe(false);
    else {
      expect(verdict.allowed, verdict.reason).toBe(true);
      if (verdict.allowed) expect(verdict.ruleIndex).toBe(answer);
    }
    if (says) expect(verdict.reason).toContain(says);
  });
});

describe('wildcardMatch', () => {
  test.each([
    { pattern: '*', value: '', match: true },
    { pattern: 'a*c', value: 'abbbc', match: true },
    { pattern: 'a*c', value: 'ac', match: true },
    { pattern: 'a*c', value: 'acx', match: false },
    { pattern: 'a+b', value: 'aab', match: false },
    { pattern: 'a(b)', value: 'a(b)', match: true },
  ])('$pattern ~ "$value" is $match', ({ pattern, value, match }) => {
    expect(wildcardMatch(pattern, value)).toBe(match);
  });
});

describe('the pairs verify sends', () => {
  test('every declared origin × method once, * origins as a sample, headers sampled from AllowedHeaders', () => {
    const cases = preflightCases([app, readAnywhere, subdomains, { ...app, ExposeHeaders: [] }]);
    expect(cases.map((c) => `${c.method} ${c.origin} ${c.headers.join('+')} #${c.declaredRuleIndex}`)).toEqual([
      'GET http://localhost:5173 content-type #0',
      'PUT http://localhost:5173 content-type #0',
      'POST http://localhost:5173 content-type #0',
      `GET ${SAMPLE_ORIGIN}  #1`,
      'PUT https://reconcile-verify.example.com x-amz-reconcile-verify+content-type #2',
    ]);
  });

  test('a pair declared in a later rule but answered by an earlier one names both', () => {
    const rules: CorsRule[] = [{ AllowedMethods: ['PUT'], AllowedOrigins: ['*'] }, app];
    const put = preflightCases(rules).find((c) => c.method === 'PUT' && c.declaredRuleIndex === 1);
    expect(put).toBeDefined();
    // rule #1 has no AllowedHeaders, so the sampled content-type keeps it from answering
    expect(explainCase(rules, put!).reason).toBe('rule #2 matches (rule #1: header content-type not in AllowedHeaders [])');
    const bare = { ...put!, headers: [] };
    expect(explainCase(rules, bare).reason).toBe('rule #1 matches; it shadows rule #2, which declares this pair');
  });

  test('sample values', () => {
    expect(sampleOrigin('*')).toBe(SAMPLE_ORIGIN);
    expect(sampleOrigin('http://localhost:*')).toBe('http://localhost:reconcile-verify');
    expect(sampleHeaders(undefined)).toEqual([]);
    expect(sampleHeaders(['*', 'Content-Type'])).toEqual(['content-type']);
  });

  test('probe URLs: path-style under an endpoint, virtual-hosted on AWS, path-style for dotted names', () => {
    expect(probeUrl('b1', 'eu-central-1', 'http://127.0.0.1:4566')).toBe('http://127.0.0.1:4566/b1/reconcile-verify-preflight');
    expect(probeUrl('b1', 'eu-central-1', 'http://proxy.test/s3/')).toBe('http://proxy.test/s3/b1/reconcile-verify-preflight');
    expect(probeUrl('b1', 'eu-central-1')).toBe('https://b1.s3.eu-central-1.amazonaws.com/reconcile-verify-preflight');
    expect(probeUrl('a.b', 'us-east-1')).toBe('https://s3.us-east-1.amazonaws.com/a.b/reconcile-verify-preflight');
  });
});

describe('judgePreflight: a browser-like reading of the answer', () => {
  const request: CorsRequest = { origin: 'http://localhost:5173', method: 'PUT', headers: ['content-type'] };
  const good: Record<string, string> = {
    'access-control-allow-origin': 'http://localhost:5173',
    'access-control-allow-methods': 'GET, PUT, POST',
    'access-control-allow-headers': 'content-type',
    'access-control-expose-headers': 'ETag',
  };
  const answer = (status: number, headers: Record<string, string>): PreflightResponse => ({ status, headers });
  const without = (name: string): Record<string, string> => Object.fromEntries(Object.entries(good).filter(([k]) => k !== name));

  test.each([
    { reason: 'S3 answering the matched rule', response: answer(200, good), failing: [] },
    { reason: 'wildcards in the answer', response: answer(200, { 'access-control-allow-origin': '*', 'access-control-allow-methods': '*', 'access-control-allow-headers': '*', 'access-control-expose-headers': '*' }), failing: [] },
    { reason: 'header names compare case-insensitively', response: answer(200, { ...good, 'access-control-allow-headers': 'Content-Type', 'access-control-expose-headers': 'etag' }), failing: [] },
    { reason: 'a refusal stops at the status', response: answer(403, {}), failing: ['status'] },
    { reason: 'no CORS configuration: 200 without CORS headers', response: answer(200, {}), failing: ['Access-Control-Allow-Origin'] },
    { reason: 'another origin echoed', response: answer(200, { ...good, 'access-control-allow-origin': 'http://127.0.0.1:5173' }), failing: ['Access-Control-Allow-Origin'] },
    { reason: 'method not listed', response: answer(200, { ...good, 'access-control-allow-methods': 'GET' }), failing: ['Access-Control-Allow-Methods'] },
    { reason: 'requested header not allowed', response: answer(200, without('access-control-allow-headers')), failing: ['Access-Control-Allow-Headers'] },
    { reason: 'ETag not exposed', response: answer(200, { ...good, 'access-control-expose-headers': 'x-amz-request-id' }), failing: ['Access-Control-Expose-Headers'] },
  ])('$reason', ({ response, failing }) => {
    expect(judgePreflight(request, ['ETag'], response).map((p) => p.header)).toEqual(failing);
  });

  test('a problem names the header value and what it lacks', () => {
    const [problem] = judgePreflight(request, ['ETag'], answer(200, { ...good, 'access-control-allow-methods': 'GET' }));
    expect(problem?.problem).toBe('"GET" does not list PUT');
  });
});

describe('a refused preflight names S3’s error code', () => {
  const request = { origin: 'https://a.example', method: 'GET', headers: [] };
  test('NoSuchBucket says the bucket does not exist', () => {
    expect(judgePreflight(request, [], { status: 404, headers: {}, errorCode: 'NoSuchBucket' })[0]?.problem).toContain('the bucket does not exist (run apply first)');
  });
  test('another code is shown beside the status', () => {
    expect(judgePreflight(request, [], { status: 403, headers: {}, errorCode: 'AccessForbidden' })[0]?.problem).toBe('HTTP 403 AccessForbidden; a preflight needs a 2xx answer');
  });
});
