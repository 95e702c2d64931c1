import { RESERVED_TAG_PREFIX } from '../../core/types.js';
import type { RuleFamily } from './context.js';
import { isObject, section, tagMaps } from './view.js';

export const MAX_TAGS = 50;
/** Tags reconcile writes itself on every resource (the ownership tag). */
const OWN_TAG_COUNT = 1;
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
    if (defaults.length + OWN_TAG_COUNT > MAX_TAGS) {
      ctx.report({
        code: 'RC6001',
        path: ['tags'],
        message: `${defaults.length} default tags plus reconcile's own tag exceed AWS's ${MAX_TAGS} tags per resource`,
      });
    }
    for (const kind of ['buckets', 'policies', 'users'] as const) {
      for (const entry of section(ctx.root, kind)) {
        if (!isObject(entry.value.tags)) continue;
        const total = new Set([...defaults, ...Object.keys(entry.value.tags)]).size + OWN_TAG_COUNT;
        if (total > MAX_TAGS && defaults.length + OWN_TAG_COUNT <= MAX_TAGS) {
          ctx.report({
            code: 'RC6001',
            path: [...entry.path, 'tags'],
            message: `"${entry.name}" would carry ${total} tags (its own, the file's defaults and reconcile's own); AWS allows ${MAX_TAGS}`,
          });
        }
      }
    }
  },
};
