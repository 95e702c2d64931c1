import type { ResourceAnnotation } from './resource-annotations.js';

/**
 * What the CLI does differently inside GitHub Actions. Backed by `@actions/core`, which is
 * imported only when GITHUB_ACTIONS=true, so local runs never load it.
 */
export interface ActionsHost {
  /** `::add-mask::`: the runner replaces the value with *** in every later log line. */
  mask(secret: string): void;
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  /** Append to $GITHUB_STEP_SUMMARY (skipped when the runner gives none). */
  appendSummary(markdown: string): Promise<void>;
  /** Write to $GITHUB_OUTPUT (skipped when the runner gives none). */
  setOutputs(outputs: Readonly<Record<string, string>>): void;
  /** `::warning file=…,line=…::` for each annotation (the caller keeps within GitHub's limits). */
  warn(annotations: readonly ResourceAnnotation[]): void;
}

export function inActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** Credentials the workflow put in the environment are masked before anything could print them. */
const SECRET_ENV = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

export async function connectActions(env: NodeJS.ProcessEnv = process.env): Promise<ActionsHost | undefined> {
  if (!inActions(env)) return undefined;
  const core = await import('@actions/core');
  for (const name of SECRET_ENV) {
    const value = env[name];
    if (value) core.setSecret(value);
  }
  return {
    mask: (secret) => core.setSecret(secret),
    group: (title, body) => core.group(title, body),
    async appendSummary(markdown) {
      if (!env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
      core.summary.emptyBuffer();
    },
    setOutputs(outputs) {
      if (!env.GITHUB_OUTPUT) return;
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    },
    warn(annotations) {
      // no title property: the command reads `::warning file=storage.yaml,line=N::message`
      for (const a of annotations) core.warning(a.message, { file: a.file, startLine: a.line, ...(a.col ? { startColumn: a.col } : {}) });
    },
  };
}
