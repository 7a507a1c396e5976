#!/usr/bin/env node
// npm test: unit tests (node's test runner + tsx), then every notebook headless at smoke scale.
// Flags: --unit (unit tests only), --notebooks (notebooks only), or test file paths to run only those.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const onlyUnit = args.includes('--unit');
const onlyNotebooks = args.includes('--notebooks');
const files = args.filter((a) => !a.startsWith('--'));

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

let failed = false;
if (!onlyNotebooks) {
  const tests = files.length ? files : collect(join(root, 'tests'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...tests], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ROBUSTLENS_SCALE: process.env.ROBUSTLENS_SCALE ?? 'smoke' },
  });
  if (r.status !== 0) failed = true;
}
if (!onlyUnit && files.length === 0) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'reproduce.mjs'), '--scale', 'smoke', '--out', '.tmp/smoke'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
