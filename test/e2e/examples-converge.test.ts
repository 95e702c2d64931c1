import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCli, uniqueName } from '../support/aws.js';
import { workspace } from '../support/workspace.js';

interface Names {
  stack: string;
  buckets?: Record<string, unknown>;
  policies?: Record<string, unknown>;
  users?: Record<string, unknown>;
}

/**
 * The file with every AWS name (stack, buckets, policies, users; also inside ARNs and
 * references) made unique, so parallel tests on one emulator never share a resource.
 */
function isolate(text: string): string {
  const doc = parse(text) as Names;
  const names = [doc.stack, ...Object.keys(doc.buckets ?? {}), ...Object.keys(doc.policies ?? {}), ...Object.keys(doc.users ?? {})];
  // longest first, through placeholders, so a name inside a longer one is never half-replaced
  const ordered = [...new Set(names)].sort((a, b) => b.length - a.length);
  let out = text;
  ordered.forEach((name, i) => (out = out.replaceAll(name, `\u0000${i}\u0000`)));
  ordered.forEach((_, i) => (out = out.replaceAll(`\u0000${i}\u0000`, uniqueName('ex'))));
  return out;
}

const files = ['storage.yaml', ...readdirSync(join(repoRoot, 'examples')).filter((f) => /\.ya?ml$/.test(f)).map((f) => `examples/${f}`)];

test.concurrent.each(files)('%s converges: apply, then plan --detailed-exitcode exits 0 twice in a row', async (file) => {
  const ws = await workspace(isolate(await readFile(join(repoRoot, file), 'utf8')));
  const applied = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  expect(applied.stdout).not.toContain('non-converging');
  for (let run = 1; run <= 2; run++) {
    const planned = await runCli(['plan', '--detailed-exitcode', '-f', ws.file]);
    expect(planned.code, `plan #${run}\n${planned.stdout}${planned.stderr}`).toBe(0);
    expect(planned.stdout).toContain('No changes.');
  }
});
