import type { Path } from './context.js';

/** Shape-tolerant readers over the untrusted document: wrong shapes read as "absent". */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface Entry {
  name: string;
  /** The entry's mapping, or an empty one when it has another shape (the schema reports that). */
  value: Record<string, unknown>;
  path: Path;
}

export type Section = 'buckets' | 'policies' | 'users';

export function section(root: Record<string, unknown>, name: Section): Entry[] {
  const map = root[name];
  if (!isObject(map)) return [];
  return Object.entries(map).map(([key, value]) => ({ name: key, value: isObject(value) ? value : {}, path: [name, key] }));
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string or a list of strings (IAM's `x` ≡ `[x]`), with the path of each string. */
export function stringsAt(value: unknown, path: Path): { value: string; path: Path }[] {
  if (typeof value === 'string') return [{ value, path }];
  if (!Array.isArray(value)) return [];
  const out: { value: string; path: Path }[] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string') out.push({ value: item, path: [...path, i] });
  });
  return out;
}

export function strings(value: unknown): string[] {
  return stringsAt(value, []).map((s) => s.value);
}

/** Every resource's `tags` mapping with its path (top-level defaults included). */
export function tagMaps(root: Record<string, unknown>): { owner: string; tags: Record<string, unknown>; path: Path }[] {
  const out: { owner: string; tags: Record<string, unknown>; path: Path }[] = [];
  if (isObject(root.tags)) out.push({ owner: 'the file', tags: root.tags, path: ['tags'] });
  for (const kind of ['buckets', 'policies', 'users'] as const) {
    for (const entry of section(root, kind)) {
      if (isObject(entry.value.tags)) out.push({ owner: `${kind.slice(0, -1).replace('policie', 'policy')} "${entry.name}"`, tags: entry.value.tags, path: [...entry.path, 'tags'] });
    }
  }
  return out;
}
