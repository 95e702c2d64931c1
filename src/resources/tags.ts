import type { Tags } from '../config/types.js';
import { DIGEST_TAG, RESERVED_TAG_PREFIX } from '../core/types.js';
import type { Detail, Recorder } from '../core/semantics.js';

export interface TagPair {
  Key?: string;
  Value?: string;
}

/** AWS-reserved tags (`aws:*`) can be neither set nor removed by users: never diff them. */
export function isAwsTag(key: string): boolean {
  return key.toLowerCase().startsWith('aws:');
}

/** The tool's own tags (`reconcile:*`): written by it, never shown as a user's change. */
export function isToolTag(key: string): boolean {
  return key.startsWith(RESERVED_TAG_PREFIX);
}

export function tagsFromList(list: readonly TagPair[] | undefined): Tags {
  const out: Tags = {};
  for (const { Key, Value } of list ?? []) {
    // the digest is apply's bookkeeping (see DIGEST_TAG), not state to converge
    if (Key !== undefined && !isAwsTag(Key) && Key !== DIGEST_TAG) out[Key] = Value ?? '';
  }
  return out;
}

export function tagsToList(tags: Tags): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .filter((key) => !isAwsTag(key))
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] as string }));
}

/** Canonical tags: a map with sorted keys and without `aws:*` keys. Pure; works on a copy. */
export function sortedTags(tags: Tags | undefined, recorder?: Recorder, path = 'tags'): Tags {
  const out: Tags = {};
  const ignored: string[] = [];
  for (const key of Object.keys(tags ?? {}).sort()) {
    if (isAwsTag(key)) ignored.push(key);
    else out[key] = (tags as Tags)[key] as string;
  }
  if (ignored.length > 0) recorder?.note({ rule: '`aws:` tags are AWS\'s own (ignored)', path, detail: ignored.join(', '), key: ignored.join(',') });
  return out;
}

/** Keys present in `before` but not in `after`. */
export function removedTagKeys(before: Tags, after: Tags): string[] {
  return Object.keys(before).filter((key) => !(key in after));
}

/** Tag keys added, changed and removed; the tool's own tags are marked internal. */
export function describeTags(before: Tags | undefined, after: Tags | undefined, path = 'tags'): Detail[] {
  const was = before ?? {};
  const now = after ?? {};
  const details: Detail[] = [];
  for (const key of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
    const internal = isToolTag(key) ? { internal: true } : {};
    const at = `${path}.${key}`;
    if (!(key in was)) details.push({ op: 'add', path: at, text: `tag ${key} = ${JSON.stringify(now[key])}`, ...internal });
    else if (!(key in now)) details.push({ op: 'remove', path: at, text: `tag ${key} (was ${JSON.stringify(was[key])})`, ...internal });
    else if (was[key] !== now[key]) details.push({ op: 'change', path: at, text: `tag ${key}: ${JSON.stringify(was[key])} → ${JSON.stringify(now[key])}`, ...internal });
  }
  return details;
}

/**
 * `otherTags: 'keep'` on a desired spec: the file declares no tags for the resource (neither the
 * top-level defaults nor its own), so only the tool's tags are managed: observe leaves others'
 * tags out of the comparison and writes never remove them. Normalize drops the flag (it is an
 * instruction, not state), so both sides compare on tags alone.
 */
export type OtherTags = 'keep';

/** The observed tags the comparison sees: all of them, or only the tool's when others are kept. */
export function managedTags(observed: Tags, otherTags: OtherTags | undefined): Tags {
  if (otherTags !== 'keep') return observed;
  return Object.fromEntries(Object.entries(observed).filter(([key]) => isToolTag(key)));
}

/** A full tag set to write over `current` (S3 replaces the whole set): others' tags kept when they are. */
export function tagsToWrite(desired: Tags, current: Tags, otherTags: OtherTags | undefined): Tags {
  if (otherTags !== 'keep') return desired;
  const others = Object.fromEntries(Object.entries(current).filter(([key]) => !isToolTag(key)));
  return { ...others, ...desired };
}
