import { stableStringify } from './canonical.js';
import type { Detail } from './semantics.js';

function show(value: unknown): string {
  return value === undefined || value === null ? '(none)' : JSON.stringify(value);
}

/**
 * Generic semantic lines for plain attributes: `description: "a" → "b"`. Handlers use it for
 * the fields that need no special reading; the planner uses it when a handler has no describe.
 */
export function describeFields(before: unknown, after: unknown, fields?: readonly string[]): Detail[] {
  const was = (before ?? {}) as Record<string, unknown>;
  const now = (after ?? {}) as Record<string, unknown>;
  const keys = fields ?? [...new Set([...Object.keys(was), ...Object.keys(now)])];
  const details: Detail[] = [];
  for (const key of keys) {
    const b = before === null ? undefined : was[key];
    const a = after === null ? undefined : now[key];
    if (stableStringify(b) === stableStringify(a)) continue;
    if (b === undefined) details.push({ op: 'add', path: key, text: `${key}: ${show(a)}` });
    else if (a === undefined) details.push({ op: 'remove', path: key, text: `${key} (was ${show(b)})` });
    else details.push({ op: 'change', path: key, text: `${key}: ${show(b)} → ${show(a)}` });
  }
  return details;
}
