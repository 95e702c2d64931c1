#!/usr/bin/env node
// `npm run demo`: start a local emulator, then validate → plan → apply → plan → verify storage.yaml
// against it, exactly as a user would run the CLI, and stop the emulator again.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emulatorEnv, startEmulator } from './emulator.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
const file = process.argv[2] ?? join(root, 'storage.yaml');
const secrets = join(mkdtempSync(join(tmpdir(), 'reconcile-demo-')), 'secrets.json');

function step(title, args) {
  console.log(`\n\x1b[1m$ reconcile ${args.join(' ')}\x1b[0m   # ${title}`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env: process.env, cwd: root });
  return result.status ?? 1;
}

let emulator;
try {
  emulator = await startEmulator({ log: (line) => console.log(line) });
} catch (err) {
  console.error(`demo: ${err.message}`);
  process.exit(1);
}
Object.assign(process.env, emulatorEnv(emulator.endpoint), { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
console.log(`Emulator (${emulator.kind}) at ${emulator.endpoint}`);

let failed = false;
try {
  const checks = [
    ['check the file offline', ['validate', '-f', file], [0]],
    ['what would change (exit 2: changes pending)', ['plan', '-f', file, '--detailed-exitcode'], [0, 2]],
    ['converge', ['apply', '-f', file, '--auto-approve', '--secrets-out', secrets], [0]],
    ['converged: expect "No changes."', ['plan', '-f', file, '--detailed-exitcode'], [0]],
    ['real CORS preflights for every declared origin × method', ['verify', '-f', file], [0]],
  ];
  for (const [title, args, ok] of checks) {
    const code = step(title, args);
    if (!ok.includes(code)) {
      console.error(`\ndemo: "reconcile ${args.join(' ')}" exited ${code}`);
      failed = true;
      break;
    }
  }
  if (!failed) {
    console.log(`\nThe new access key's secret is in ${secrets} (mode 0600); it was printed nowhere.`);
  }
} finally {
  await emulator.stop();
  console.log(`Emulator stopped.`);
}
process.exit(failed ? 1 : 0);
