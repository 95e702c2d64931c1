import type { Diagnostic, Severity } from '../../core/diagnostics.js';
import type { Code } from '../codes.js';
import { joinPointer, locate, type SourceFile } from '../source.js';

export type Path = readonly (string | number)[];

/** One problem a rule found, addressed by its path in the document. */
export interface Finding {
  code: Code;
  path: Path;
  /** Point at the mapping key rather than its value (names of buckets, users, tags, ...). */
  key?: boolean;
  message: string;
  hint?: string;
  severity?: Severity;
  related?: { message: string; path: Path; key?: boolean }[];
}

export interface RuleContext {
  readonly source: SourceFile;
  /** The top-level mapping, NOT yet known to match the schema: rules must check every shape. */
  readonly root: Record<string, unknown>;
  report(finding: Finding): void;
}

/** A family of related checks (bucket names, CORS, ...). Pure: reads the context, reports findings. */
export interface RuleFamily {
  name: string;
  check(ctx: RuleContext): void;
}

export function createContext(source: SourceFile, root: Record<string, unknown>, out: Diagnostic[]): RuleContext {
  return {
    source,
    root,
    report(finding) {
      out.push({
        severity: finding.severity ?? 'error',
        code: finding.code,
        message: finding.message,
        at: locate(source, joinPointer(finding.path), { key: finding.key ?? false }),
        ...(finding.hint !== undefined ? { hint: finding.hint } : {}),
        ...(finding.related
          ? { related: finding.related.map((r) => ({ message: r.message, at: locate(source, joinPointer(r.path), { key: r.key ?? false }) })) }
          : {}),
      });
    },
  };
}
