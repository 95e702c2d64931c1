import type { Grant, PolicyDocument, PolicyStatement } from '../../config/types.js';

type Level = 'read' | 'write';

const OBJECT_ACTIONS: Record<Level, string[]> = {
  read: ['s3:GetObject', 's3:GetObjectVersion'],
  write: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
};

/** Bucket-level actions other than listing keys (which the prefix condition scopes). */
const BUCKET_ACTIONS: Record<Level, string[]> = {
  read: ['s3:GetBucketLocation'],
  write: ['s3:ListBucketMultipartUploads'],
};

export function bucketArn(bucket: string): string {
  return bucket.startsWith('arn:') ? bucket : `arn:aws:s3:::${bucket}`;
}

function levels(access: Grant['access']): Level[] {
  if (access === 'read') return ['read'];
  if (access === 'write') return ['write'];
  return ['read', 'write'];
}

function grantStatements(grant: Grant): PolicyStatement[] {
  const arn = bucketArn(grant.bucket);
  const prefix = grant.prefix ?? '';
  if (grant.access === 'full' && prefix === '') {
    return [{ Effect: 'Allow', Action: 's3:*', Resource: [arn, `${arn}/*`] }];
  }
  const grantLevels = levels(grant.access);
  const statements: PolicyStatement[] = [];
  if (grantLevels.includes('read')) {
    const list: PolicyStatement = { Effect: 'Allow', Action: 's3:ListBucket', Resource: arn };
    if (prefix !== '') list.Condition = { StringLike: { 's3:prefix': [`${prefix}*`] } };
    statements.push(list);
  }
  statements.push({ Effect: 'Allow', Action: grantLevels.flatMap((l) => BUCKET_ACTIONS[l]), Resource: arn });
  const objectActions = grant.access === 'full' ? ['s3:*'] : grantLevels.flatMap((l) => OBJECT_ACTIONS[l]);
  statements.push({ Effect: 'Allow', Action: objectActions, Resource: `${arn}/${prefix}*` });
  return statements;
}

/**
 * Compile grants to a least-privilege policy document: only the granted buckets' ARNs and
 * their objects (under the prefix, when given), only the actions the access level needs.
 */
export function compileGrants(grants: readonly Grant[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: grants.flatMap(grantStatements) };
}
