import type { Kind } from '../core/types.js';
import type { ResourceHandler } from './handler.js';
import { accessKeyHandler } from './iam/access-key.js';
import { attachmentHandler } from './iam/attachment.js';
import { policyHandler } from './iam/policy.js';
import { userHandler } from './iam/user.js';
import { bucketHandler } from './s3/bucket.js';
import { corsHandler } from './s3/cors.js';

const handlers: Partial<Record<Kind, ResourceHandler>> = {
  's3.bucket': bucketHandler as ResourceHandler,
  's3.bucket.cors': corsHandler as ResourceHandler,
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
