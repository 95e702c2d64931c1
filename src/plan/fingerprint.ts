import { fingerprint } from '../core/canonical.js';
import type { Observed } from '../core/types.js';
import type { ResourceHandler } from '../resources/handler.js';
import { compareSpecs } from './planner.js';

/** What a saved plan records for a resource that was absent when it was planned. */
export const ABSENT = 'absent';

/**
 * Fingerprint of a resource's live state as the planner saw it (normalized, projected on the
 * declared attributes), so a saved plan can tell whether it changed since.
 */
export function observedFingerprint(handler: ResourceHandler, observed: Observed, desiredSpec: unknown): string {
  if (!observed.exists) return ABSENT;
  return fingerprint(normalizedObserved(handler, observed.spec, desiredSpec));
}

/** The observed spec as the planner compares it: projected on the declared keys, normalized. */
export function normalizedObserved(handler: ResourceHandler, observed: unknown, desiredSpec: unknown): unknown {
  return compareSpecs(handler, desiredSpec, observed).before;
}
