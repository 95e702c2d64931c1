import { ACCESS_KEYS_TAG, DELETION_TAG, DIGEST_TAG, RESERVED_TAG_PREFIX, STACK_TAG } from '../../core/types.js';
import type { RuleFamily } from './context.js';
import { isObject, section, tagMaps } from './view.js';

export const MAX_TAGS = 50;
/** Tags reconcile writes itself on every bucket, user and policy: ownership and the apply digest. */
const MIN_OWN_TAGS = 2;

/**
 * The tool's own tags a resource will carry, as apply writes them: the stack and digest tags on
 * all, the deletion policy when declared, and the access-key record on a user that declares a key.
 */
export function ownTags(kind: 'buckets' | 'policies' | 'users', entry: Record<string, unknown>): string[] {
  const own = [STACK_TAG, DIGEST_TAG];
  if (typeof entry.deletion === 'string') own.push(DELETION_TAG);
  if (kind === 'users' && entry.accessKey !== undefined && entry.accessKey !== false) own.push(ACCESS_KEYS_TAG);
  return own;
}
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function badChars(text: string): string[] {
  return [...new Set([...text].filter((c) => !TAG_CHARS.test(c)))];
}

export const tagRules: RuleFamily = {
  name: 'tags',
  check(ctx) {
    for (const { owner, tags, path } of tagMaps(ctx.root)) {
      for (const [key, value] of Object.entries(tags)) {
        const keyPath = [...path, key];
        if (key.length < 1 || key.length > 128) {
          ctx.report({ code: 'RC6002', path: keyPath, key: true, message: `tag key "${key.slice(0, 40)}${key.length > 40 ? '…' : ''}" of ${owner} is ${key.length} characters long; it must be 1-128` });
        }
        const keyChars = badChars(key);
        if (keyChars.length > 0) {
          ctx.report({
            code: 'RC6004',
            path: keyPath,
            key: true,
            message: `tag key "${key}" of ${owner} contains ${keyChars.map((c) => JSON.stringify(c)).join(', ')}`,
            hint: 'tag keys and values may hold letters, digits, spaces and _ . : / = + - @',
          });
        }
        if (key.toLowerCase().startsWith('aws:')) {
          ctx.report({ code: 'RC6005', path: keyPath, key: true, message: `tag key "${key}" of ${owner} uses the aws: prefix, which AWS reserves` });
        } else if (key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
          ctx.report({
            code: 'RC6006',
            path: keyPath,
            key: true,
            message: `tag key "${key}" of ${owner} uses the ${RESERVED_TAG_PREFIX} prefix, which reconcile reserves for its own tags`,
            hint: 'the stack tag is added for you from `stack:`',
          });
        }
        if (typeof value === 'string') {
          if (value.length > 256) {
            ctx.report({ code: 'RC6003', path: keyPath, message: `value of tag "${key}" of ${owner} is ${value.length} characters long; the limit is 256` });
          }
          const valueChars = badChars(value);
          if (valueChars.length > 0) {
            ctx.report({
              code: 'RC6004',
              path: keyPath,
              message: `value of tag "${key}" of ${owner} contains ${valueChars.map((c) => JSON.stringify(c)).join(', ')}`,
              hint: 'tag keys and values may hold letters, digits, spaces and _ . : / = + - @',
            });
          }
        }
      }
    }

    const defaults = isObject(ctx.root.tags) ? Object.keys(ctx.root.tags) : [];
    if (defaults.length + MIN_OWN_TAGS > MAX_TAGS) {
      ctx.report({
        code: 'RC6001',
        path: ['tags'],
        message: `${defaults.length} default tags plus reconcile's own ${MIN_OWN_TAGS} (${STACK_TAG}, ${DIGEST_TAG}) exceed AWS's ${MAX_TAGS} tags per resource`,
      });
    }
    for (const kind of ['buckets', 'policies', 'users'] as const) {
      for (const entry of section(ctx.root, kind)) {
        const own = ownTags(kind, entry.value);
        const ownTagsOf = isObject(entry.value.tags) ? Object.keys(entry.value.tags) : [];
        const total = new Set([...defaults, ...ownTagsOf]).size + own.length;
        if (total > MAX_TAGS && defaults.length + MIN_OWN_TAGS <= MAX_TAGS) {
          ctx.report({
            code: 'RC6001',
            ...(isObject(entry.value.tags) ? { path: [...entry.path, 'tags'] } : { path: entry.path, key: true }),
            message: `"${entry.name}" would carry ${total} tags (${ownTagsOf.length} of its own, ${defaults.length} file defaults and reconcile's ${own.length}: ${own.join(', ')}); AWS allows ${MAX_TAGS}`,
          });
        }
      }
    }
  },
};
