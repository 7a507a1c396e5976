#!/usr/bin/env node
// npm run reproduce: build src/lib, then execute every notebook in notebooks/ in order, headless, with
// Node alone (tslab's converter and executor in a child process per notebook; no Python, no Jupyter),
// writing executed notebooks and self-contained HTML exports (notebooks/executed/), figures and CSV
// tables (figures/).
// Options: --scale smoke|demo|paper (default: ROBUSTLENS_SCALE or demo), --out DIR, --publish (write
// the outputs into notebooks/*.ipynb themselves, within the size budget; see publish.mjs), and
// notebook names (e.g. `npm run reproduce -- 01_hoedt2025_interpretable_mer`) to run only those.
import { readdirSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve, basename, relative } from 'node:path';
import { root, build } from './env.mjs';
import { runNotebook, cellTitle } from './notebook/run.mjs';
import { notebookHtml } from './notebook/html.mjs';

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
function flag(name) {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}
const scale = opt('--scale') ?? process.env.ROBUSTLENS_SCALE ?? 'demo';
if (!['smoke', 'demo', 'paper'].includes(scale)) {
  console.error(`robustlens: unknown scale "${scale}". Valid: smoke, demo, paper.`);
  process.exit(2);
}
const publish = flag('--publish');
const outOpt = opt('--out');
const unknown = args.filter((a) => a.startsWith('--'));
if (unknown.length) {
  console.error(`robustlens: unknown option ${unknown.join(' ')}. Options: --scale smoke|demo|paper, --out DIR, --publish, notebook names.`);
  process.exit(2);
}
if (publish && scale !== 'demo') {
  console.error('robustlens: --publish writes demo-scale results into notebooks/; run it with --scale demo (the default).');
  process.exit(2);
}
const out = resolve(root, outOpt ?? join('notebooks', 'executed'));

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

function writeAtomic(file, text) {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

build();
mkdirSync(out, { recursive: true });
// links in outputs (figures/x.html, CSVs) are relative to where the notebook will be read
const env = { ...process.env, ROBUSTLENS_SCALE: scale, ROBUSTLENS_LINK_BASE: publish ? nbDir : out };
if (scale === 'smoke' && !process.env.ROBUSTLENS_FIGURES) env.ROBUSTLENS_FIGURES = join(out, 'figures');
if (scale === 'smoke' && !process.env.ROBUSTLENS_MODELS) env.ROBUSTLENS_MODELS = join(out, 'models');
const timeoutSec = Number(process.env.ROBUSTLENS_CELL_TIMEOUT ?? 1800);
if (!(timeoutSec > 0)) {
  console.error(`robustlens: ROBUSTLENS_CELL_TIMEOUT must be a positive number of seconds, got "${process.env.ROBUSTLENS_CELL_TIMEOUT}".`);
  process.exit(2);
}
const rel = (p) => relative(process.cwd(), p) || '.';
const t0 = Date.now();
const publishModule = publish ? await import('./notebook/publish.mjs') : null;
for (const name of notebooks) {
  const src = join(nbDir, name);
  const stem = name.replace(/\.ipynb$/, '');
  const t = Date.now();
  console.log(`robustlens: running ${rel(src)} (scale ${scale}) ...`);
  const { nb, failure } = await runNotebook(src, { env, timeoutSec });
  const outNb = join(out, `${stem}.ipynb`);
  writeAtomic(outNb, `${JSON.stringify(nb, null, 1)}\n`);
  writeAtomic(join(out, `${stem}.html`), await notebookHtml(nb, stem));
  if (failure) {
    const where = Number.isInteger(failure.cell) ? `cell ${failure.cell + 1} (${cellTitle(nb.cells[failure.cell])})` : 'the runner';
    const how = failure.origin && !['exception', 'TypeScript', 'runner'].includes(failure.origin) ? ` [${failure.origin}]` : '';
    console.error(`robustlens: notebook ${rel(src)} failed in ${where}: ${failure.ename}: ${failure.evalue}${how}\n  executed copy: ${rel(outNb)}`);
    process.exit(1);
  }
  if (publishModule) {
    let r;
    try {
      r = publishModule.publishNotebook(nb, src);
    } catch (e) {
      console.error(`robustlens: ${e.message}`);
      process.exit(1);
    }
    console.log(`robustlens: published ${rel(src)} with outputs (${(r.bytes / 1e6).toFixed(2)} MB; tables: ${r.tables.length}${r.flattened.length ? `; over the budget with interactive figures, so these are pictures only: ${r.flattened.join(', ')}` : ''})`);
  }
  console.log(`robustlens: ${rel(src)} ok in ${((Date.now() - t) / 1000).toFixed(1)} s -> ${rel(outNb)} (+ .html)`);
}
console.log(`robustlens: ${notebooks.length} notebook(s) executed at scale ${scale} in ${((Date.now() - t0) / 1000).toFixed(0)} s; outputs in ${rel(out)}`);
