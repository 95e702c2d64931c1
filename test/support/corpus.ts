import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Change } from '../../src/plan/model.js';
import { repoRoot } from './aws.js';

/**
 * The normalization corpus: each folder holds `storage.yaml` (desired, as a user writes it),
 * `observed.json` (per address, what AWS returns: `{"spec": …}` in the handler's observed shape
 * with AWS's own spellings, or `{"error": "<AWS error code>"}`), and `expected.yaml` (the
 * changes that must be planned, with their semantic lines; every other resource is a no-op).
 */
export const corpusDir = join(repoRoot, 'test/fixtures/normalization');

export interface ExpectedChange {
  action: Change['action'];
  details?: string[];
  internal?: string[];
  broadens?: boolean;
}

export interface Expected {
  reason: string;
  changes?: Record<string, ExpectedChange>;
  errors?: Record<string, string>;
  /** Rules `plan --explain` must list, per address. */
  explain?: Record<string, string[]>;
  /** Whether the emulator test can put `observed.json` into AWS as is. */
  emulator?: boolean;
}

export type ObservedAnswer = { spec: unknown } | { error: string };

export function readCase(name: string): { file: string; observed: Record<string, ObservedAnswer>; expected: Expected } {
  const dir = join(corpusDir, name);
  return {
    file: join(dir, 'storage.yaml'),
    observed: JSON.parse(readFileSync(join(dir, 'observed.json'), 'utf8')) as Record<string, ObservedAnswer>,
    expected: parse(readFileSync(join(dir, 'expected.yaml'), 'utf8')) as Expected,
  };
}

