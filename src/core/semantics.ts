/**
 * Shared vocabulary for what normalization judged equivalent (for `plan --explain`) and for
 * the semantic change a reviewer reads (statements, CORS rules, tag keys) instead of a patch.
 */

/** A difference in spelling that normalization judged to mean the same thing. */
export interface Equivalence {
  /** The rule that matched, in words a reviewer knows: "statement order", "`x` ≡ `[x]`". */
  rule: string;
  /** Where in the resource's spec, e.g. `document.Statement[1].Action`. */
  path: string;
  /** What was rewritten, e.g. `"s3:GetObject" → ["s3:GetObject"]`. */
  detail?: string;
  /** Whose spelling it was: the file's, or what AWS returned. */
  side?: 'file' | 'aws';
}

/** An equivalence as one side's normalization noted it; `key` identifies the raw input. */
export interface Note extends Equivalence {
  key?: string;
}

/** Receives a note each time a normalization rule rewrites something. */
export interface Recorder {
  note(note: Note): void;
}

/** A recorder that keeps its notes. */
export class NoteList implements Recorder {
  readonly notes: Note[] = [];
  note(note: Note): void {
    this.notes.push(note);
  }
}

/** A recorder whose notes' paths are prefixed (`document` + `Statement[0]`). */
export function scoped(recorder: Recorder | undefined, prefix: string): Recorder | undefined {
  if (!recorder) return undefined;
  return { note: (n) => recorder.note({ ...n, path: joinPath(prefix, n.path) }) };
}

export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

export type DetailOp = 'add' | 'remove' | 'change';

/** One line of a semantic change: computed by the planner, rendered identically by every format. */
export interface Detail {
  op: DetailOp;
  /** The attribute it concerns, e.g. `document`, `rules[1].AllowedMethods`, `tags.env`. */
  path: string;
  /** Self-contained, one line: "Allow s3:DeleteObject on arn:aws:s3:::acme-uploads/*". */
  text: string;
  /** Grants more than before (IAM statement added, Deny removed, policy attached). */
  broadens?: boolean;
  /** Differs only in a way AWS treats the same (e.g. header-name case); shown, not suppressed. */
  cosmetic?: boolean;
  /** The tool's own bookkeeping (ownership tags): written, never shown as a user change. */
  internal?: boolean;
}
