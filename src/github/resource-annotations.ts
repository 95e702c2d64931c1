import { isAbsolute, relative, resolve, sep } from 'node:path';

/** An annotation on the line of storage.yaml that declares a resource. */
export interface ResourceAnnotation {
  file: string;
  line: number;
  col?: number;
  message: string;
}

/** GitHub shows at most 10 warning (and 10 error) annotations per step and drops the rest. */
export const ANNOTATIONS_PER_STEP = 10;

/**
 * Keep within GitHub's per-step limit: the first `limit - 1` as they are, then one annotation
 * that names the rest (at the first left-out resource's line), so nothing is silently dropped.
 */
export function withinStepLimit(annotations: readonly ResourceAnnotation[], limit = ANNOTATIONS_PER_STEP): ResourceAnnotation[] {
  if (annotations.length <= limit) return [...annotations];
  const shown = annotations.slice(0, limit - 1);
  const rest = annotations.slice(limit - 1);
  const first = rest[0] as ResourceAnnotation;
  const names = rest.map((a) => a.message.split(':')[0]).join(', ');
  return [...shown, { file: first.file, line: first.line, message: `${rest.length} more not annotated (GitHub shows ${limit} per step): ${names}. See the job summary.` }];
}

/** Annotations name files relative to the repository root ($GITHUB_WORKSPACE), with `/`. */
export function annotationPath(file: string, env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  const root = env.GITHUB_WORKSPACE || cwd;
  const rel = relative(root, resolve(cwd, file));
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  return (inside ? rel : file).split(sep).join('/');
}
