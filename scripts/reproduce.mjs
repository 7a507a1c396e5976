#!/usr/bin/env node
// npm run reproduce: build src/lib, then execute every notebook in notebooks/ in order, headless,
// writing executed notebooks and HTML exports (notebooks/executed/), figures and CSV tables (figures/).
// Options: --scale smoke|demo|paper (default: ROBUSTLENS_SCALE or demo), --out DIR, and notebook names
// (e.g. `npm run reproduce -- 01_hoedt2025_interpretable_mer`) to run only those.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';
import { root, jupyterPython, jupyterEnv, build } from './env.mjs';

const args = process.argv.slice(2);
function opt(name) {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (!v || v.startsWith('--')) {
    console.error(`robustlens: ${name} needs a value.`);
    process.exit(2);
  }
  args.splice(i, 2);
  return v;
}
const scale = opt('--scale') ?? process.env.ROBUSTLENS_SCALE ?? 'demo';
if (!['smoke', 'demo', 'paper'].includes(scale)) {
  console.error(`robustlens: unknown scale "${scale}". Valid: smoke, demo, paper.`);
  process.exit(2);
}
const out = resolve(root, opt('--out') ?? join('notebooks', 'executed'));
const unknown = args.filter((a) => a.startsWith('--'));
if (unknown.length) {
  console.error(`robustlens: unknown option ${unknown.join(' ')}. Options: --scale smoke|demo|paper, --out DIR, notebook names.`);
  process.exit(2);
}

const nbDir = join(root, 'notebooks');
let notebooks = readdirSync(nbDir).filter((f) => f.endsWith('.ipynb')).sort();
if (args.length) {
  const want = args.map((a) => basename(a).replace(/\.ipynb$/, ''));
  const missing = want.filter((w) => !notebooks.includes(`${w}.ipynb`));
  if (missing.length) {
    console.error(`robustlens: no notebook named ${missing.join(', ')} in notebooks/. Available: ${notebooks.join(', ')}`);
    process.exit(2);
  }
  notebooks = notebooks.filter((n) => want.includes(n.replace(/\.ipynb$/, '')));
}

const py = jupyterPython();
build();
mkdirSync(out, { recursive: true });
const env = jupyterEnv({ ROBUSTLENS_SCALE: scale });
if (scale === 'smoke' && !process.env.ROBUSTLENS_FIGURES) env.ROBUSTLENS_FIGURES = join(out, 'figures');
if (scale === 'smoke' && !process.env.ROBUSTLENS_MODELS) env.ROBUSTLENS_MODELS = join(out, 'models');
const t0 = Date.now();
const r = spawnSync(py, [join(root, 'scripts', 'run_notebooks.py'), out, ...notebooks.map((n) => join(nbDir, n))], {
  stdio: 'inherit',
  env,
  cwd: root,
});
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(`robustlens: ${notebooks.length} notebook(s) executed at scale ${scale} in ${((Date.now() - t0) / 1000).toFixed(0)} s; outputs in ${out}`);
