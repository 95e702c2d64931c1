import type { Tags } from '../config/types.js';
import { ACCESS_KEYS_TAG, DELETION_TAG, STACK_TAG, type Owner } from '../core/types.js';

/** Who owns a resource, from the tags read on it. */
export function ownerFromTags(tags: Tags, stack: string): Owner {
  const tagged = tags[STACK_TAG];
  if (tagged === undefined) return { kind: 'unmanaged' };
  return tagged === stack ? { kind: 'ours' } : { kind: 'foreign', stack: tagged };
}

/** Tags another part of the tool manages on the same resource (e.g. the key record on a user). */
export function withoutToolRecords(tags: Tags): Tags {
  const out: Tags = { ...tags };
  delete out[ACCESS_KEYS_TAG];
  return out;
}

export type DeletionPolicy = 'retain' | 'destroy-data';

/** The `deletion` policy the file declared, as recorded on the resource (see DELETION_TAG). */
export function deletionPolicy(tags: Tags): DeletionPolicy | undefined {
  const value = tags[DELETION_TAG];
  return value === 'retain' || value === 'destroy-data' ? value : undefined;
}
