import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateText } from '../../../src/config/validate.js';
import { repoRoot } from '../../support/aws.js';

function codesAt(yaml: string): string[] {
  return validateText('storage.yaml', yaml).diagnostics.map((d) => `${d.code}@${d.at?.line ?? '?'}`);
}

describe('bucket settings in storage.yaml', () => {
  test('examples/web-app.yaml is valid, without a single warning', () => {
    const result = validateText('web-app.yaml', readFileSync(join(repoRoot, 'examples/web-app.yaml')), { strict: true });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.buckets?.['acme-web-app-prod-uploads']?.lifecycle).toHaveLength(3);
  });

  test('what S3 would refuse is found offline, at its line', () => {
    const yaml = `version: 1
stack: s
buckets:
  b-one:
    versioning: false
    publicAccessBlock: true
    lifecycle:
      - ID: tidy
        Status: Enabled
        NoncurrentVersionExpiration: {NoncurrentDays: 30}
      - ID: tidy
        Status: Enabled
        Expiration: {Days: 1}
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: s3:GetObject
          Resource: arn:aws:s3:::b-one/*
        - Effect: Allow
          Principal: "*"
          Action: s3:GetObject
          Resource: [arn:aws:s3:::b-two/*, "arn:aws:s3:::b-one*"]
`;
    // RC9006: anyone may read, and the public access block makes S3 refuse the policy
    expect(codesAt(yaml).sort()).toEqual(['RC4201@11', 'RC4202@17', 'RC4203@23', 'RC4204@10', 'RC9006@21'].sort());
  });

  const rejected: { reason: string; bucket: string }[] = [
    { reason: 'encryption none (AWS encrypts every bucket)', bucket: 'encryption: none' },
    { reason: 'an unknown KMS field', bucket: 'encryption: {algorithm: "aws:kms", keyId: x}' },
    { reason: 'a KMS key with SSE-S3', bucket: 'encryption: {algorithm: AES256, kmsKeyId: x}' },
    { reason: 'publicAccessBlock: false (write the flags)', bucket: 'publicAccessBlock: false' },
    { reason: "a public access flag in AWS's casing", bucket: 'publicAccessBlock: {BlockPublicAcls: true}' },
    { reason: 'an unknown ownership', bucket: 'ownership: BucketOwner' },
    { reason: 'versioning as a string', bucket: 'versioning: Enabled' },
    { reason: 'a lifecycle rule without ID', bucket: 'lifecycle: [{Status: Enabled, Expiration: {Days: 1}}]' },
    { reason: 'a lifecycle rule without any action', bucket: 'lifecycle: [{ID: a, Status: Enabled}]' },
    { reason: 'a filter with two conditions outside And', bucket: 'lifecycle: [{ID: a, Status: Enabled, Filter: {Prefix: x/, Tag: {Key: k, Value: v}}, Expiration: {Days: 1}}]' },
  ];
  test('encryption: none is explained, once', () => {
    const result = validateText('storage.yaml', 'version: 1\nstack: s\nbuckets:\n  b-one:\n    encryption: none\n');
    expect(result.diagnostics.map((d) => `${d.code}@${d.at?.line}`)).toEqual(['RC4205@5']);
    expect(result.diagnostics[0]?.hint).toContain('AES256');
  });

  test.each(rejected)('the schema rejects $reason', ({ bucket }) => {
    const result = validateText('storage.yaml', `version: 1\nstack: s\nbuckets:\n  b-one:\n    ${bucket}\n`);
    expect(result.config).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.severity === 'error').every((d) => d.at?.line === 5)).toBe(true);
  });
});
