export type Severity = 'error' | 'warning';

export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable code, e.g. RC1004. */
  code: string;
  message: string;
  /** Where in the file, when known. */
  at?: SourcePosition;
  hint?: string;
  /** Other relevant places (e.g. the first of two duplicate keys). */
  related?: { message: string; at: SourcePosition }[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const la = a.at?.line ?? 0;
    const lb = b.at?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.at?.col ?? 0;
    const cb = b.at?.col ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code.localeCompare(b.code);
  });
}

/** Thrown when user input (file, flags) is invalid; carries every diagnostic at once. */
export class InputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
    this.name = 'InputError';
  }
}
