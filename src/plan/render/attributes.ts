import type { Operation } from 'fast-json-patch';
import { isPlainObject } from '../../core/canonical.js';
import { splitPointer } from '../../config/source.js';

export interface AttributeChange {
  path: string;
  before: unknown;
  after: unknown;
}

function valueAt(root: unknown, parts: readonly string[]): unknown {
  let node = root;
  for (const part of parts) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isPlainObject(node)) node = node[part];
    else return undefined;
  }
  return node;
}

/** `rules/0/AllowedMethods` → `rules[0].AllowedMethods` */
export function displayPath(parts: readonly string[]): string {
  return parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

/**
 * Attribute-level changes from a patch: a change inside a list shows the whole list, so a
 * reviewer sees before → after of something meaningful rather than a shifted index.
 */
export function attributeChanges(before: unknown, after: unknown, patch: readonly Operation[]): AttributeChange[] {
  const seen = new Map<string, AttributeChange>();
  for (const op of patch) {
    let parts = splitPointer(op.path);
    while (parts.length > 0 && Array.isArray(valueAt(after, parts.slice(0, -1))) && Array.isArray(valueAt(before, parts.slice(0, -1)))) {
      const parent = valueAt(after, parts.slice(0, -1)) as unknown[];
      // keep a per-element view for lists of objects (CORS rules), collapse lists of scalars
      if (parent.every(isPlainObject) && isPlainObject(valueAt(after, parts)) && isPlainObject(valueAt(before, parts))) break;
      parts = parts.slice(0, -1);
    }
    const path = displayPath(parts);
    if (!seen.has(path)) seen.set(path, { path, before: valueAt(before, parts), after: valueAt(after, parts) });
  }
  return [...seen.values()];
}

export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value);
}
