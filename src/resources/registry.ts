import type { Kind } from '../core/types.js';
import type { ResourceHandler } from './handler.js';
import { accessKeyHandler } from './iam/access-key.js';
import { attachmentHandler } from './iam/attachment.js';
import { policyHandler } from './iam/policy.js';
import { userHandler } from './iam/user.js';
import { bucketHandler } from './s3/bucket.js';
import { bucketPolicyHandler } from './s3/bucket-policy.js';
import { corsHandler } from './s3/cors.js';
import { encryptionHandler } from './s3/encryption.js';
import { lifecycleHandler } from './s3/lifecycle.js';
import { ownershipHandler } from './s3/ownership.js';
import { publicAccessBlockHandler } from './s3/public-access-block.js';
import { versioningHandler } from './s3/versioning.js';

const handlers: Partial<Record<Kind, ResourceHandler>> = {
  's3.bucket': bucketHandler as ResourceHandler,
  's3.bucket.cors': corsHandler as ResourceHandler,
  's3.bucket.versioning': versioningHandler as ResourceHandler,
  's3.bucket.encryption': encryptionHandler as ResourceHandler,
  's3.bucket.public-access-block': publicAccessBlockHandler as ResourceHandler,
  's3.bucket.ownership': ownershipHandler as ResourceHandler,
  's3.bucket.lifecycle': lifecycleHandler as ResourceHandler,
  's3.bucket.policy': bucketPolicyHandler as ResourceHandler,
  'iam.policy': policyHandler as ResourceHandler,
  'iam.user': userHandler as ResourceHandler,
  'iam.user.policy-attachment': attachmentHandler as ResourceHandler,
  'iam.access-key': accessKeyHandler as ResourceHandler,
};

export function handlerFor(kind: Kind): ResourceHandler {
  const handler = handlers[kind];
  if (!handler) throw new Error(`no handler for resource kind ${kind}`);
  return handler;
}
