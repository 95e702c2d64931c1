import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A simulated GitHub Actions step: env for the CLI, and readers for what it wrote. */
export interface ActionsStep {
  env: Record<string, string>;
  summary(): Promise<string>;
  outputs(): Promise<Record<string, string>>;
}

export async function actionsStep(dir: string, name = 'step'): Promise<ActionsStep> {
  const summaryPath = join(dir, `${name}-summary.md`);
  const outputPath = join(dir, `${name}-output.txt`);
  await writeFile(summaryPath, '');
  await writeFile(outputPath, '');
  return {
    env: {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_WORKSPACE: dir,
      GITHUB_ACTOR: 'octocat',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/storage',
      GITHUB_RUN_ID: '4242',
    },
    summary: () => readFile(summaryPath, 'utf8'),
    outputs: async () => parseOutputs(await readFile(outputPath, 'utf8')),
  };
}

/** $GITHUB_OUTPUT as the runner reads it: `name<<DELIM\nvalue\nDELIM` or `name=value` lines. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] as string);
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** `::warning file=…,line=…::message` commands in a CLI's stdout. */
export function warnings(stdout: string): { file: string; line: number; message: string }[] {
  return [...stdout.matchAll(/^::warning file=([^,]*),line=(\d+)::(.*)$/gm)].map((m) => ({ file: m[1] as string, line: Number(m[2]), message: m[3] as string }));
}
