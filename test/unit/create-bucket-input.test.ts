import { describe, expect, test } from 'vitest';
import { createBucketInput } from '../../src/resources/s3/bucket.js';

describe('CreateBucket request', () => {
  test('carries the tags, so a run killed right after it leaves a bucket that is already ours', () => {
    expect(createBucketInput('b', 'eu-central-1', { 'reconcile:stack': 's', app: 'x' })).toEqual({
      Bucket: 'b',
      CreateBucketConfiguration: { LocationConstraint: 'eu-central-1', Tags: [{ Key: 'app', Value: 'x' }, { Key: 'reconcile:stack', Value: 's' }] },
    });
  });
  test('us-east-1 takes no LocationConstraint, with or without tags', () => {
    expect(createBucketInput('b', 'us-east-1', { 'reconcile:stack': 's' })).toEqual({ Bucket: 'b', CreateBucketConfiguration: { Tags: [{ Key: 'reconcile:stack', Value: 's' }] } });
    expect(createBucketInput('b', 'us-east-1', undefined)).toEqual({ Bucket: 'b' });
  });
  test('the fallback without tags keeps the region', () => {
    expect(createBucketInput('b', 'eu-west-1', undefined)).toEqual({ Bucket: 'b', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
  });
});
