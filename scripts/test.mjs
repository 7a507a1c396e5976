#!/usr/bin/env node
// npm test: build the library, unit tests (node's test runner + tsx), then every notebook headless at
// smoke scale with Node alone, then (optional cross-check) the tour through the project's Jupyter
// kernelspec with nbclient where Jupyter is installed.
// Flags: --unit (unit tests only), --notebooks (notebooks only), or test file paths to run only those.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root, build, findJupyterPython, jupyterEnv } from './env.mjs';

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

build(); // the notebooks and the runner tests import the compiled library (dist/)
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
  // Optional cross-check: the same notebook through Jupyter's own machinery (nbclient + the project's kernelspec)
  const py = findJupyterPython(['nbclient', 'nbformat', 'jupyter_client']);
  if (!py) console.log('robustlens: Jupyter cross-check skipped: Jupyter not installed (optional; notebooks run with Node alone).');
  else {
    const out = join(root, '.tmp', 'smoke-jupyter');
    console.log('robustlens: Jupyter cross-check: notebooks/00_tour.ipynb through the tslab kernelspec with nbclient ...');
    const j = spawnSync(py, [join(root, 'scripts', 'run_notebooks.py'), out, join(root, 'notebooks', '00_tour.ipynb')], {
      cwd: root,
      stdio: 'inherit',
      env: jupyterEnv({ ROBUSTLENS_SCALE: 'smoke', ROBUSTLENS_FIGURES: join(out, 'figures'), ROBUSTLENS_MODELS: join(out, 'models'), ROBUSTLENS_LINK_BASE: out }),
    });
    if (j.status !== 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);
