import { stableStringify } from '../core/canonical.js';
import type { Equivalence, Note } from '../core/semantics.js';

function identity(note: Note): string {
  return stableStringify([note.rule, note.path, note.detail ?? null, note.key ?? null]);
}

/**
 * The rules that made the file's and AWS's spellings meet: a note both sides made identically
 * (the same rule on the same input) was no difference between them, so it cancels out.
 */
export function equivalencesBetween(fromFile: readonly Note[], fromAws: readonly Note[]): Equivalence[] {
  const pending = new Map<string, number>();
  for (const n of fromFile) pending.set(identity(n), (pending.get(identity(n)) ?? 0) + 1);
  const awsOnly: Note[] = [];
  for (const n of fromAws) {
    const count = pending.get(identity(n)) ?? 0;
    if (count > 0) pending.set(identity(n), count - 1);
    else awsOnly.push(n);
  }
  const fileOnly = fromFile.filter((n) => {
    const count = pending.get(identity(n)) ?? 0;
    if (count <= 0) return false;
    pending.set(identity(n), count - 1);
    return true;
  });
  const strip = (n: Note, side: 'file' | 'aws'): Equivalence => ({ rule: n.rule, path: n.path, ...(n.detail ? { detail: n.detail } : {}), side });
  return [...awsOnly.map((n) => strip(n, 'aws')), ...fileOnly.map((n) => strip(n, 'file'))];
}
