#!/usr/bin/env node
// Generates a storage.yaml with 10,000 resources (4,000 buckets with CORS and tags, 3,000 grant
// policies, 3,000 users with attachments and access keys) and times `reconcile validate` on it as a
// whole process (start-up included): median of RUNS runs. Target: under 2 s.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUCKETS = 4000;
const POLICIES = 3000;
const USERS = 3000;
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function generate() {
  const lines = ['# yaml-language-server: $schema=../schemas/storage.schema.json', 'version: 1', 'stack: bench', 'region: eu-central-1', 'tags: {app: bench, owner: platform}', '', 'buckets:'];
  for (let i = 0; i < BUCKETS; i++) {
    lines.push(
      `  bench-uploads-${i}:`,
      `    region: ${i % 2 ? 'eu-central-1' : 'us-east-1'}`,
      '    cors:',
      '      - AllowedHeaders: ["*"]',
      '        AllowedMethods: [GET, PUT, POST]',
      `        AllowedOrigins: ["https://app${i}.example.com"]`,
      '        ExposeHeaders: [ETag]',
      '        MaxAgeSeconds: 3000',
      `    tags: {env: prod, shard: "${i % 16}"}`,
    );
  }
  lines.push('', 'policies:');
  for (let i = 0; i < POLICIES; i++) {
    lines.push(
      `  bench-access-${i}:`,
      `    description: Read-write access to bench-uploads-${i}`,
      '    grants:',
      `      - bucket: bench-uploads-${i}`,
      '        access: read-write',
      `        prefix: tenants/${i}/`,
    );
  }
  lines.push('', 'users:');
  for (let i = 0; i < USERS; i++) {
    lines.push(`  bench-app-${i}:`, '    path: /apps/', `    policies: [bench-access-${i}]`, '    accessKey: true');
  }
  return lines.join('\n') + '\n';
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
// CPU time (user + sys, via /usr/bin/time) as well: wall time depends on what else the machine runs.
const timer = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function measure(file, expectedStatus) {
  const times = [];
  const cpu = [];
  for (let run = 0; run < RUNS; run++) {
    const command = [process.execPath, cli, 'validate', '-f', file, '--no-color'];
    const started = process.hrtime.bigint();
    const result = timer
      ? spawnSync(timer, ['-f', 'cpu %U %S', ...command], { encoding: 'utf8' })
      : spawnSync(command[0], command.slice(1), { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== expectedStatus) {
      process.stderr.write(result.stderr.slice(0, 4000));
      throw new Error(`reconcile validate exited ${result.status} (expected ${expectedStatus}) on ${file}`);
    }
    times.push(ms);
    const m = /cpu ([\d.]+) ([\d.]+)/.exec(result.stderr);
    if (m) cpu.push((Number(m[1]) + Number(m[2])) * 1000);
  }
  return { wall: median(times), times, cpu: cpu.length ? median(cpu) : undefined };
}

const dir = mkdtempSync(join(tmpdir(), 'reconcile-bench-'));
try {
  const text = generate();
  const variants = [
    // the common case: a valid file, read by the fast parser
    { name: 'valid file', text, status: 0, target: true },
    // an anchor and alias (under a key the schema rejects) make the tool take the careful, position-keeping parse from the start
    { name: 'alias + unknown key', text: text.replace('tags: {app: bench, owner: platform}', 'tags: &t {app: bench, owner: platform}') + 'x-shared: *t\n', status: 1 },
    // one mistake at the very end: the fast parse succeeds, then positions are needed for the error
    { name: 'one error at the end', text: text.replace(/accessKey: true\n$/, 'accessKey: yes\n'), status: 1, target: true },
  ];
  const results = variants.map((v) => {
    const file = join(dir, `${v.name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, v.text);
    return { ...v, size: statSync(file).size, ...measure(file, v.status) };
  });
  const base = results[0];
  console.log(`reconcile validate, ${BUCKETS + POLICIES + USERS} resources (${(base.size / 1024 / 1024).toFixed(2)} MB), whole process, median of ${RUNS} runs; target < 2000 ms for ordinary files (*)`);
  for (const r of results) {
    console.log(
      `${r.target ? '*' : ' '} ${r.name.padEnd(22)} wall ${r.wall.toFixed(0).padStart(5)} ms [${r.times.map((t) => t.toFixed(0)).join(', ')}]` +
        (r.cpu !== undefined ? `  cpu ${r.cpu.toFixed(0)} ms` : '') +
        `  ×${(r.wall / base.wall).toFixed(2)} of the valid file`,
    );
  }
  // anchors, aliases and duplicate keys need the position-keeping parse of the whole file: shown, not held to the target
  if (results.some((r) => r.target && r.wall >= 2000)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
