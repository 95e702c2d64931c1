import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { toDesired } from '../../../../src/config/to-desired.js';
import type { BucketConfig, LifecycleRule, PolicyDocument, PolicyStatement } from '../../../../src/config/types.js';
import type { Observed } from '../../../../src/core/types.js';
import { planChanges } from '../../../../src/plan/planner.js';
import { handlerFor } from '../../../../src/resources/registry.js';
import { normalizeBucketPolicy } from '../../../../src/resources/s3/bucket-policy.js';
import { encryptionFromAws, encryptionToAws } from '../../../../src/resources/s3/encryption.js';
import { lifecycleRuleFromAws, lifecycleRuleToAws, normalizeLifecycle, normalizeLifecycleRule } from '../../../../src/resources/s3/lifecycle.js';
import { BUCKET_WRITE_ORDER } from '../../../../src/resources/s3/order.js';
import { versioningFromStatus, versioningStatusToWrite } from '../../../../src/resources/s3/versioning.js';

const BUCKET = 'unit-bucket';

/**
 * The whole pure path: the file's bucket → desired resources → planner against an observed
 * spec (as a handler's read would return it) → the action for that one setting.
 */
function actionFor(bucket: BucketConfig, suffix: string, observed: Observed): string {
  const desired = toDesired({ version: 1, stack: 's', buckets: { [BUCKET]: bucket } });
  const address = `bucket.${BUCKET}.${suffix}`;
  const { changes } = planChanges({ desired, observed: new Map([[address, observed]]), handlerFor });
  const change = changes.find((c) => c.address === address);
  if (!change) throw new Error(`${address} not planned`);
  return change.action;
}

const present = (spec: unknown): Observed => ({ exists: true, spec });

describe('versioning', () => {
  const cases: { reason: string; file: boolean; status: string | undefined; action: string }[] = [
    { reason: 'false on a never-versioned bucket is "not configured"', file: false, status: undefined, action: 'no-op' },
    { reason: 'false on a suspended bucket', file: false, status: 'Suspended', action: 'no-op' },
    { reason: 'false on an enabled bucket must suspend', file: false, status: 'Enabled', action: 'update' },
    { reason: 'true on a never-versioned bucket', file: true, status: undefined, action: 'update' },
    { reason: 'true on a suspended bucket', file: true, status: 'Suspended', action: 'update' },
    { reason: 'true on an enabled bucket', file: true, status: 'Enabled', action: 'no-op' },
  ];
  test.each(cases)('$reason → $action', ({ file, status, action }) => {
    expect(actionFor({ versioning: file }, 'versioning', present(versioningFromStatus(status)))).toBe(action);
  });

  test('false is written as Suspended, and only when versioning is on', () => {
    expect(versioningStatusToWrite({ enabled: false }, { enabled: true })).toBe('Suspended');
    expect(versioningStatusToWrite({ enabled: false }, { enabled: false })).toBeUndefined();
    expect(versioningStatusToWrite({ enabled: true }, { enabled: false })).toBe('Enabled');
  });
});

describe('encryption', () => {
  const kmsKey = 'arn:aws:kms:eu-central-1:123456789012:key/k1';
  const cases: { reason: string; file: BucketConfig['encryption']; aws: Parameters<typeof encryptionFromAws>[0]; action: string }[] = [
    { reason: 'AES256 shorthand vs S3 answer with BucketKeyEnabled false', file: 'AES256', aws: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }], action: 'no-op' },
    { reason: 'AES256 object form ≡ shorthand', file: { algorithm: 'AES256' }, aws: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }], action: 'no-op' },
    { reason: 'a bucket key under SSE-S3 means nothing', file: 'AES256', aws: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }], action: 'no-op' },
    { reason: 'SSE-KMS wanted, SSE-S3 live', file: { algorithm: 'aws:kms', kmsKeyId: kmsKey, bucketKey: true }, aws: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }], action: 'update' },
    { reason: 'same key and bucket key', file: { algorithm: 'aws:kms', kmsKeyId: kmsKey, bucketKey: true }, aws: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKey }, BucketKeyEnabled: true }], action: 'no-op' },
    { reason: 'bucket key turned off out of band', file: { algorithm: 'aws:kms', kmsKeyId: kmsKey, bucketKey: true }, aws: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKey }, BucketKeyEnabled: false }], action: 'update' },
    { reason: 'AWS managed key wanted, a customer key live', file: 'aws:kms', aws: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKey }, BucketKeyEnabled: false }], action: 'update' },
    { reason: 'AWS managed key: omitted bucketKey ≡ false', file: { algorithm: 'aws:kms' }, aws: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }], action: 'no-op' },
  ];
  test.each(cases)('$reason → $action', ({ file, aws, action }) => {
    const observed = encryptionFromAws(aws);
    expect(actionFor({ encryption: file }, 'encryption', observed ? present(observed) : { exists: false })).toBe(action);
  });

  test('not configured is absent: create', () => {
    expect(encryptionFromAws(undefined)).toBeUndefined();
    expect(actionFor({ encryption: 'AES256' }, 'encryption', { exists: false })).toBe('create');
  });

  test('what is sent to S3', () => {
    expect(encryptionToAws({ algorithm: 'AES256', kmsKeyId: null, bucketKey: true })).toEqual({ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } });
    expect(encryptionToAws({ algorithm: 'aws:kms', kmsKeyId: null, bucketKey: true })).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
      BucketKeyEnabled: true,
    });
  });
});

describe('public access block', () => {
  const all = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  test('true means all four flags', () => {
    expect(actionFor({ publicAccessBlock: true }, 'public-access-block', present(all))).toBe('no-op');
    expect(actionFor({ publicAccessBlock: true }, 'public-access-block', present({ ...all, restrictPublicBuckets: false }))).toBe('update');
  });
  test('an omitted flag is false, so a live true flag is a change', () => {
    const file = { blockPublicAcls: true, ignorePublicAcls: true };
    expect(actionFor({ publicAccessBlock: file }, 'public-access-block', present({ ...all, blockPublicPolicy: false, restrictPublicBuckets: false }))).toBe('no-op');
    expect(actionFor({ publicAccessBlock: file }, 'public-access-block', present(all))).toBe('update');
  });
});

describe('ownership', () => {
  test('equal values, a changed value, and not configured', () => {
    expect(actionFor({ ownership: 'BucketOwnerEnforced' }, 'ownership', present({ objectOwnership: 'BucketOwnerEnforced' }))).toBe('no-op');
    expect(actionFor({ ownership: 'BucketOwnerEnforced' }, 'ownership', present({ objectOwnership: 'ObjectWriter' }))).toBe('update');
    expect(actionFor({ ownership: 'BucketOwnerPreferred' }, 'ownership', { exists: false })).toBe('create');
  });
});

describe('lifecycle', () => {
  const tidy: LifecycleRule = {
    ID: 'tidy',
    Status: 'Enabled',
    Filter: {},
    NoncurrentVersionExpiration: { NoncurrentDays: 30 },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
  };
  const logs: LifecycleRule = {
    ID: 'logs',
    Status: 'Enabled',
    Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'b', Value: '1' }, { Key: 'a', Value: '2' }] } },
    Expiration: { Date: '2030-01-01' },
    Transitions: [
      { Days: 90, StorageClass: 'GLACIER' },
      { Days: 30, StorageClass: 'STANDARD_IA' },
    ],
  };
  /** A rule as S3 hands it back through the SDK: Dates as Date, defaults spelled out. */
  const fromS3 = (rule: LifecycleRule, index = 0) => lifecycleRuleFromAws(lifecycleRuleToAws(rule), index);

  test('S3 may reorder rules and spell defaults out: no change', () => {
    const observed = { rules: { logs: fromS3(logs), tidy: { ...fromS3(tidy), Filter: { Prefix: '' } } } };
    expect(actionFor({ lifecycle: [tidy, logs] }, 'lifecycle', present(observed))).toBe('no-op');
    expect(actionFor({ lifecycle: [logs, tidy] }, 'lifecycle', present(observed))).toBe('no-op');
  });

  const equivalentFilters: { reason: string; a: LifecycleRule['Filter']; b: LifecycleRule['Filter'] }[] = [
    { reason: 'absent ≡ {}', a: undefined, b: {} },
    { reason: '{} ≡ Prefix ""', a: {}, b: { Prefix: '' } },
    { reason: 'And with one prefix ≡ Prefix', a: { And: { Prefix: 'x/' } }, b: { Prefix: 'x/' } },
    { reason: 'And with one tag ≡ Tag', a: { And: { Tags: [{ Key: 'k', Value: 'v' }] } }, b: { Tag: { Key: 'k', Value: 'v' } } },
    { reason: 'And with an empty prefix and a tag ≡ Tag', a: { And: { Prefix: '', Tags: [{ Key: 'k', Value: 'v' }] } }, b: { Tag: { Key: 'k', Value: 'v' } } },
    {
      reason: 'tag order inside And',
      a: { And: { Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] } },
      b: { And: { Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] } },
    },
  ];
  test.each(equivalentFilters)('filters: $reason', ({ a, b }) => {
    const rule = (Filter: LifecycleRule['Filter']): LifecycleRule => ({ ...tidy, ...(Filter === undefined ? { Filter: undefined } : { Filter }) });
    expect(normalizeLifecycleRule(rule(a))).toEqual(normalizeLifecycleRule(rule(b)));
  });

  const changes: { reason: string; live: LifecycleRule[] }[] = [
    { reason: 'a rule removed out of band', live: [tidy] },
    { reason: 'a rule disabled', live: [tidy, { ...logs, Status: 'Disabled' }] },
    { reason: 'a prefix changed', live: [tidy, { ...logs, Filter: { And: { Prefix: 'other/', Tags: logs.Filter?.And?.Tags ?? [] } } }] },
    { reason: 'noncurrent days changed', live: [{ ...tidy, NoncurrentVersionExpiration: { NoncurrentDays: 60 } }, logs] },
    { reason: 'a transition dropped', live: [tidy, { ...logs, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }] }] },
    { reason: 'an extra rule', live: [tidy, logs, { ...tidy, ID: 'extra' }] },
  ];
  test.each(changes)('detects $reason', ({ live }) => {
    const observed = { rules: Object.fromEntries(live.map((r, i) => [r.ID, fromS3(r, i)])) };
    expect(actionFor({ lifecycle: [tidy, logs] }, 'lifecycle', present(observed))).toBe('update');
  });

  test('a rule sent to S3 has an explicit empty prefix for "every object" and Dates as Date', () => {
    const sent = lifecycleRuleToAws(logs);
    expect(lifecycleRuleToAws(tidy).Filter).toEqual({ Prefix: '' });
    expect(sent.Expiration?.Date).toEqual(new Date('2030-01-01T00:00:00Z'));
    expect(sent.Transitions?.map((t) => t.Days)).toEqual([30, 90]);
  });

  test('normalize is idempotent and does not depend on rule order', () => {
    const ruleArb = fc.record({
      ID: fc.constantFrom('a', 'b', 'c'),
      Status: fc.constantFrom('Enabled' as const, 'Disabled' as const),
      Filter: fc.option(
        fc.record(
          { Prefix: fc.constantFrom('', 'x/'), And: fc.record({ Prefix: fc.constantFrom('', 'p/'), Tags: fc.array(fc.record({ Key: fc.constantFrom('k1', 'k2'), Value: fc.constantFrom('v') }), { maxLength: 2 }) }, { requiredKeys: [] }) },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
      Expiration: fc.option(fc.record({ Days: fc.integer({ min: 1, max: 400 }) }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 4 }), (rules) => {
        const unique = [...new Map(rules.map((r) => [r.ID, r as LifecycleRule])).values()];
        const spec = { rules: Object.fromEntries(unique.map((r) => [r.ID, r])) };
        const once = normalizeLifecycle(spec);
        expect(normalizeLifecycle(once)).toEqual(once);
        expect(normalizeLifecycle({ rules: Object.fromEntries([...unique].reverse().map((r) => [r.ID, r])) })).toEqual(once);
      }),
    );
  });
});

describe('bucket policy', () => {
  const arn = `arn:aws:s3:::${BUCKET}`;
  const deny: PolicyStatement = { Sid: 'TlsOnly', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': false } } };
  const partner: PolicyStatement = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: ['s3:GetObject'], Resource: `${arn}/*` };
  const tlsOnly: PolicyDocument = { Version: '2012-10-17', Statement: [deny, partner] };

  const equivalent: { reason: string; live: unknown }[] = [
    { reason: 'identical JSON text (as S3 returns it)', live: JSON.stringify(tlsOnly) },
    {
      reason: '{"AWS": "*"} ≡ "*", account id ≡ its root ARN, statement order, x ≡ [x], condition value as string',
      live: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::123456789012:root'] }, Action: 's3:GetObject', Resource: [`${arn}/*`] },
          { Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: [`${arn}/*`, arn], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ],
      }),
    },
  ];
  test.each(equivalent)('no change: $reason', ({ live }) => {
    expect(actionFor({ policy: tlsOnly }, 'policy', present({ document: live }))).toBe('no-op');
  });

  const different: { reason: string; principal: unknown }[] = [
    { reason: 'another account', principal: { AWS: '210987654321' } },
    { reason: 'a service instead of an account', principal: { Service: 'cloudfront.amazonaws.com' } },
    { reason: 'everyone instead of an account', principal: '*' },
  ];
  test.each(different)('a changed principal is a change: $reason', ({ principal }) => {
    const live = { ...tlsOnly, Statement: [deny, { ...partner, Principal: principal }] };
    expect(actionFor({ policy: tlsOnly }, 'policy', present({ document: JSON.stringify(live) }))).toBe('update');
  });

  test('a removed Deny is a change; not configured is absent', () => {
    const live = { ...tlsOnly, Statement: [partner] };
    expect(actionFor({ policy: tlsOnly }, 'policy', present({ document: JSON.stringify(live) }))).toBe('update');
    expect(actionFor({ policy: tlsOnly }, 'policy', { exists: false })).toBe('create');
  });

  test('normalize is idempotent and leaves its input alone', () => {
    const input = structuredClone(tlsOnly);
    const once = normalizeBucketPolicy({ document: input });
    expect(normalizeBucketPolicy(once)).toEqual(once);
    expect(input).toEqual(tlsOnly);
  });
});

describe('per-bucket write order', () => {
  const everything: BucketConfig = {
    tags: { env: 'x' },
    lifecycle: [{ ID: 'a', Status: 'Enabled', Expiration: { Days: 1 } }],
    encryption: 'AES256',
    versioning: true,
    cors: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }],
    policy: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] },
    publicAccessBlock: true,
    ownership: 'BucketOwnerEnforced',
  };

  test('create → ownership → public access block → policy → CORS → versioning → encryption → lifecycle, each waiting for every earlier one', () => {
    const desired = toDesired({ version: 1, stack: 's', buckets: { [BUCKET]: everything, other: { versioning: true } } }).filter((d) => d.name === BUCKET);
    expect(desired.map((d) => d.address.slice(`bucket.${BUCKET}`.length))).toEqual([
      '',
      '.ownership',
      '.public-access-block',
      '.policy',
      '.cors',
      '.versioning',
      '.encryption',
      '.lifecycle',
    ]);
    desired.forEach((d, i) => expect(d.dependsOn).toEqual(desired.slice(0, i).map((e) => e.address)));
    expect(BUCKET_WRITE_ORDER).toHaveLength(7);
  });

  test('only declared settings are resources, and a gap does not break the chain', () => {
    const desired = toDesired({ version: 1, stack: 's', buckets: { [BUCKET]: { ownership: 'ObjectWriter', lifecycle: everything.lifecycle ?? [] } } });
    expect(desired.map((d) => d.address)).toEqual([`bucket.${BUCKET}`, `bucket.${BUCKET}.ownership`, `bucket.${BUCKET}.lifecycle`]);
    expect(desired[2]?.dependsOn).toEqual([`bucket.${BUCKET}`, `bucket.${BUCKET}.ownership`]);
    expect(desired[2]?.source).toBe(`/buckets/${BUCKET}/lifecycle`);
  });
});
