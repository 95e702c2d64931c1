import type { Tags } from '../config/types.js';

export interface TagPair {
  Key?: string;
  Value?: string;
}

/** AWS-reserved tags (`aws:*`) can be neither set nor removed by users: never diff them. */
export function isAwsTag(key: string): boolean {
  return key.toLowerCase().startsWith('aws:');
}

export function tagsFromList(list: readonly TagPair[] | undefined): Tags {
  const out: Tags = {};
  for (const { Key, Value } of list ?? []) {
    if (Key !== undefined && !isAwsTag(Key)) out[Key] = Value ?? '';
  }
  return out;
}

export function tagsToList(tags: Tags): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] as string }));
}

export function sortedTags(tags: Tags | undefined): Tags {
  const out: Tags = {};
  for (const key of Object.keys(tags ?? {}).sort()) if (!isAwsTag(key)) out[key] = (tags as Tags)[key] as string;
  return out;
}

/** Keys present in `before` but not in `after`. */
export function removedTagKeys(before: Tags, after: Tags): string[] {
  return Object.keys(before).filter((key) => !(key in after));
}
