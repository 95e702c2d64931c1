import type { Code } from '../codes.js';
import type { RuleFamily } from './context.js';
import { section } from './view.js';

export interface NameProblem {
  code: Code;
  message: string;
  hint?: string;
}

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];
/** Names S3 accepted in us-east-1 before March 2018: they still exist and can be adopted. */
const LEGACY_NAME = /^[A-Za-z0-9._-]{3,255}$/;

/** AWS's rules for general purpose bucket names, one problem per broken rule. */
export function bucketNameProblems(name: string): NameProblem[] {
  const out: NameProblem[] = [];
  if (name.length < 3 || name.length > 63) {
    out.push({ code: 'RC4001', message: `bucket name "${name}" is ${name.length} characters long; it must be 3-63` });
  }
  const bad = [...new Set(name.replace(/[a-z0-9.-]/g, ''))];
  if (bad.length > 0) {
    const corrected = correctedName(name);
    out.push({
      code: 'RC4002',
      message: `bucket name "${name}" contains ${bad.map((c) => JSON.stringify(c)).join(', ')}; only lowercase letters, digits, hyphens and periods are allowed`,
      ...(corrected ? { hint: `use "${corrected}"` } : {}),
    });
  }
  if (name.length > 0 && (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) && bad.length === 0) {
    out.push({ code: 'RC4003', message: `bucket name "${name}" must begin and end with a lowercase letter or digit` });
  }
  if (name.includes('..')) out.push({ code: 'RC4004', message: `bucket name "${name}" has two adjacent periods` });
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) {
    out.push({ code: 'RC4005', message: `bucket name "${name}" is formatted like an IP address, which S3 forbids` });
  }
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) out.push({ code: 'RC4006', message: `bucket name "${name}" starts with "${prefix}", a prefix AWS reserves` });
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) out.push({ code: 'RC4007', message: `bucket name "${name}" ends with "${suffix}", a suffix AWS reserves` });
  return out;
}

/** The name a user most likely meant: lowercase, `_` and spaces as `-`; undefined if still invalid. */
export function correctedName(name: string): string | undefined {
  const fixed = name
    .toLowerCase()
    .replace(/[_\s]+/g, '-')
    .replace(/[^a-z0-9.-]/g, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '');
  return fixed !== name && bucketNameProblems(fixed).length === 0 ? fixed : undefined;
}

export const bucketNameRules: RuleFamily = {
  name: 'bucket names',
  check(ctx) {
    for (const bucket of section(ctx.root, 'buckets')) {
      const problems = bucketNameProblems(bucket.name);
      if (problems.length > 0 && bucket.value.adopt === true && LEGACY_NAME.test(bucket.name)) {
        ctx.report({
          code: 'RC4009',
          severity: 'warning',
          path: bucket.path,
          key: true,
          message: `bucket name "${bucket.name}" follows S3's legacy rules: it can be adopted but could not be created today`,
          hint: 'apply will never create it; if the bucket is gone, pick a DNS-compliant name',
        });
        continue;
      }
      for (const problem of problems) ctx.report({ ...problem, path: bucket.path, key: true });
      if (problems.length === 0 && bucket.name.includes('.')) {
        ctx.report({
          code: 'RC4008',
          severity: 'warning',
          path: bucket.path,
          key: true,
          message: `bucket name "${bucket.name}" contains periods: virtual-hosted HTTPS requests fail the certificate check (*.s3.amazonaws.com matches one label)`,
          hint: bucket.name.replace(/\./g, '-') !== bucket.name ? `prefer "${bucket.name.replace(/\./g, '-')}" unless you need the periods` : undefined,
        });
      }
    }
  },
};
