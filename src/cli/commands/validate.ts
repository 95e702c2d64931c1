import { ExitCode } from '../../core/errors.js';
import type { GlobalOptions } from '../options.js';
import type { Output } from '../output.js';
import { loadConfig } from '../load-config.js';

export async function validateCommand(options: GlobalOptions, output: Output): Promise<number> {
  const { config } = await loadConfig(options, output);
  const count = Object.keys(config.buckets ?? {}).length + Object.keys(config.policies ?? {}).length + Object.keys(config.users ?? {}).length;
  output.out(`${options.file} is valid (${count} resources in stack ${config.stack}).`);
  return ExitCode.ok;
}
