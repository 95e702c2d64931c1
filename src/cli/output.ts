import pc from 'picocolors';
import type { Style } from '../plan/render/style.js';

export interface OutputOptions {
  color: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** The only writer to stdout and stderr; colour is decided here and nowhere else. */
export class Output {
  readonly style: Style;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;

  constructor(options: OutputOptions) {
    const colors = pc.createColors(options.color);
    this.style = { green: colors.green, red: colors.red, yellow: colors.yellow, cyan: colors.cyan, bold: colors.bold, dim: colors.dim };
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
  }

  out(text: string): void {
    this.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }

  err(text: string): void {
    this.stderr.write(text.endsWith('\n') ? text : text + '\n');
  }
}

export function colorWanted(flag: boolean | undefined, env: NodeJS.ProcessEnv, stream: NodeJS.WriteStream): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}
