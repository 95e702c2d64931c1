import pc from 'picocolors';
import type { Style } from '../plan/render/style.js';

export interface OutputOptions {
  color: boolean;
  /** Inside GitHub Actions (GITHUB_ACTIONS=true): report lines can never be workflow commands. */
  actions?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** The only writer to stdout and stderr; colour is decided here and nowhere else. */
export class Output {
  readonly style: Style;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;
  private readonly actions: boolean;

  constructor(options: OutputOptions) {
    this.actions = options.actions ?? false;
    const colors = pc.createColors(options.color);
    this.style = { green: colors.green, red: colors.red, yellow: colors.yellow, cyan: colors.cyan, bold: colors.bold, dim: colors.dim };
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
  }

  /** Report text (plans, results, messages): never read by the runner as a workflow command. */
  out(text: string): void {
    this.stdout.write(this.report(text));
  }

  err(text: string): void {
    this.stderr.write(this.report(text));
  }

  /** One of the tool's own workflow commands (`::error file=…::`), written as is. */
  command(line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    (stream === 'stdout' ? this.stdout : this.stderr).write(line.endsWith('\n') ? line : line + '\n');
  }

  private report(text: string): string {
    const body = this.actions ? neutraliseCommands(text) : text;
    return body.endsWith('\n') ? body : body + '\n';
  }
}

export function colorWanted(flag: boolean | undefined, env: NodeJS.ProcessEnv, stream: NodeJS.WriteStream): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/**
 * The runner treats every output line whose trimmed start is `::` as a workflow command
 * (`::stop-commands::` would even switch off the later `::add-mask::` of a new secret). In a
 * report line that is only ever content, so it is shown with a leading backslash instead.
 */
export function neutraliseCommands(text: string): string {
  return text.replace(/^([ \t\u00a0\ufeff]*)::/gm, '$1\\::');
}
