// Publish an executed notebook: write its outputs into notebooks/<name>.ipynb itself, so a reader
// sees results without running anything, within a size budget (5 MB): figure data rounded to 4
// significant digits, plotly.js replaced by a loader (the local copy stays in executed notebooks and
// HTML exports), each PNG stored once (image/png only), audio players cut to their first seconds.
// The result tables' CSVs (figures/<name>.csv of the tables the notebook shows) are copied to
// results/<name>.csv, where `npm run check-results` compares a fresh run against them.
import { copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { joinText, lines } from './run.mjs';
import { PLOTLY_SCRIPT } from './html.mjs';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const require = createRequire(join(root, 'package.json'));

export const MAX_BYTES = 5e6;
export const AUDIO_SECONDS = 4;
export const DIGITS = 4;
export const RESULTS_DIR = join(root, 'results');

/** Round every number in a JSON value to `digits` significant digits (integers stay). */
export function roundDeep(v, digits = DIGITS) {
  if (typeof v === 'number') return Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(digits)) : v;
  if (Array.isArray(v)) return v.map((x) => roundDeep(x, digits));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundDeep(x, digits)]));
  return v;
}

/** Loads plotly.js from a CDN where the page has none (published notebooks; executed copies carry it inline). */
function plotlyLoader() {
  const version = require('plotly.js-dist-min/package.json').version;
  const url = `https://cdn.jsdelivr.net/npm/plotly.js-dist-min@${version}/plotly.min.js`;
  return `<script data-robustlens-plotly-loader="${version}">if(!window.Plotly&&!window.__robustlensPlotly){window.__robustlensPlotly=1;var s=document.createElement('script');s.src='${url}';document.head.appendChild(s);}</script>`;
}

/** Cut a base64 16-bit PCM WAV to its first `seconds`; returns { b64, total } (total = original seconds). */
export function cutWav(b64, seconds = AUDIO_SECONDS) {
  const buf = Buffer.from(b64, 'base64');
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return { b64, total: null };
  let off = 12;
  let fmt = null;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') fmt = { channels: buf.readUInt16LE(off + 10), rate: buf.readUInt32LE(off + 12), bits: buf.readUInt16LE(off + 22) };
    if (id === 'data' && fmt) {
      const frame = (fmt.channels * fmt.bits) / 8;
      const total = size / frame / fmt.rate;
      const keep = Math.min(size, Math.floor(seconds * fmt.rate) * frame);
      if (keep >= size) return { b64, total };
      const out = Buffer.concat([buf.subarray(0, off + 8), buf.subarray(off + 8, off + 8 + keep)]);
      out.writeUInt32LE(out.length - 8, 4);
      out.writeUInt32LE(keep, off + 4);
      return { b64: out.toString('base64'), total };
    }
    off += 8 + size + (size % 2);
  }
  return { b64, total: null };
}

function publishFigure(o, figures) {
  const spec = roundDeep(o.data['application/vnd.plotly.v1+json']);
  o.data['application/vnd.plotly.v1+json'] = spec;
  const html = joinText(o.data['text/html']);
  const id = /id="(robustlens-fig-[^"]+)"/.exec(html)?.[1];
  const link = /<a href="([^"]*)" target="_blank">([^<]*)<\/a>/.exec(html);
  if (id) {
    // figures/ is not committed, so a link to it would be dead where published notebooks are read
    // (GitHub, viewers): name the file instead.
    const note = link ? `<div style="font-size:small">${link[2]} (written when the notebook runs)</div>` : '';
    const div = figures.figureDivHtml(spec, id) + note;
    const lib = PLOTLY_SCRIPT.test(html) ? plotlyLoader() : '';
    PLOTLY_SCRIPT.lastIndex = 0;
    o.data['text/html'] = lines(lib + div);
  }
}

/** A long table's "more rows in figures/<name>.csv" points at the committed results/<name>.csv instead. */
function publishTable(o, name) {
  const csv = `${name}.csv`;
  const esc = csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const html = joinText(o.data['text/html'] ?? '');
  const link = new RegExp(`<a href="[^"]*${esc}" target="_blank">[^<]*</a>`);
  if (link.test(html)) o.data['text/html'] = lines(html.replace(link, `<a href="../results/${csv}" target="_blank">results/${csv}</a>`));
  const text = joinText(o.data['text/plain'] ?? '');
  if (text.includes(`figures/${csv}`)) o.data['text/plain'] = lines(text.split(`figures/${csv}`).join(`results/${csv}`));
}

function unescapeHtml(s) {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function publishAudio(o) {
  const html = joinText(o.data['text/html']);
  const m = /src="data:audio\/wav;base64,([^"]+)"/.exec(html);
  if (!m) return;
  const { b64, total } = cutWav(m[1]);
  if (b64 === m[1]) return;
  let out = html.replace(m[1], b64);
  out = out.replace(/\((\d+(?:\.\d+)?) s\)<\/span>/, `(first ${AUDIO_SECONDS} s of ${total.toFixed(2)} s; the full clip plays when you run the notebook)</span>`);
  o.data['text/html'] = lines(out);
}

/**
 * Transform an executed notebook for publishing (pure apart from reading the compiled figure
 * builder): returns { nb, tables } with tables the names of the saved tables it shows.
 */
export function publishable(executed) {
  const figures = require(join(root, 'dist', 'lib', 'report', 'figures.js'));
  const nb = structuredClone(executed);
  const tables = [];
  let pngs = new Set();
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      if (o.output_type !== 'display_data') continue;
      const meta = o.metadata?.robustlens ?? {};
      if (meta.figure && o.data?.['application/vnd.plotly.v1+json']) publishFigure(o, figures);
      if (meta.table?.name) {
        tables.push(meta.table.name);
        publishTable(o, meta.table.name);
      }
      if (JSON.stringify(o.data?.['text/html'] ?? '').includes('data:audio/wav;base64,')) publishAudio(o);
      const png = o.data?.['image/png'];
      if (png) {
        if (pngs.has(png)) delete o.data['image/png'];
        else pngs.add(png);
      }
    }
  }
  pngs = null;
  nb.metadata = { ...nb.metadata, robustlens: { published: { scale: 'demo', figureDigits: DIGITS, audioSeconds: AUDIO_SECONDS } } };
  return { nb, tables };
}

/**
 * Over the budget, the biggest figures that carry a PNG keep only the picture: their plotly JSON
 * and drawing script are dropped, largest first, until the notebook fits (the executed copy and
 * figures/x.html stay interactive). Mutates nb; returns the names of the figures flattened.
 */
export function fitBudget(nb, maxBytes = MAX_BYTES) {
  let bytes = Buffer.byteLength(`${JSON.stringify(nb, null, 1)}\n`);
  if (bytes <= maxBytes) return [];
  const figs = [];
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      const name = o.metadata?.robustlens?.figure;
      if (o.output_type === 'display_data' && name && o.data?.['image/png'] && o.data['application/vnd.plotly.v1+json']) {
        figs.push({ o, name, size: JSON.stringify(o.data['application/vnd.plotly.v1+json']).length + joinText(o.data['text/html'] ?? '').length });
      }
    }
  }
  figs.sort((a, b) => b.size - a.size);
  const flattened = [];
  for (const f of figs) {
    if (bytes <= maxBytes) break;
    delete f.o.data['application/vnd.plotly.v1+json'];
    delete f.o.data['text/html'];
    f.o.data['text/plain'] = lines(`[figure ${f.name}: picture only in the published notebook; interactive when the notebook runs (figures/${f.name}.html)]`);
    f.o.metadata.robustlens.flattened = true;
    bytes = Buffer.byteLength(`${JSON.stringify(nb, null, 1)}\n`);
    flattened.push(f.name);
  }
  return flattened;
}

/** The biggest outputs of a notebook, for a message when it is over budget. */
function biggest(nb, n = 3) {
  const sizes = [];
  nb.cells.forEach((c, i) => (c.outputs ?? []).forEach((o) => sizes.push({ cell: i + 1, bytes: JSON.stringify(o).length, kind: Object.keys(o.data ?? {}).join('+') || o.output_type })));
  return sizes.sort((a, b) => b.bytes - a.bytes).slice(0, n).map((s) => `cell ${s.cell} ${s.kind} ${(s.bytes / 1e6).toFixed(2)} MB`).join(', ');
}

/**
 * Write the published notebook over `srcPath` (atomically) and copy its tables' CSVs from the
 * figures folder to results/. Throws when the notebook would exceed MAX_BYTES.
 */
export function publishNotebook(executed, srcPath, { figuresDir = process.env.ROBUSTLENS_FIGURES || join(root, 'figures') } = {}) {
  const { nb, tables } = publishable(executed);
  const flattened = fitBudget(nb);
  const text = `${JSON.stringify(nb, null, 1)}\n`;
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_BYTES) {
    throw new Error(`publish: ${basename(srcPath)} would be ${(bytes / 1e6).toFixed(2)} MB, over the ${MAX_BYTES / 1e6} MB budget (biggest outputs: ${biggest(nb)}); nothing written.`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const t of tables) {
    const csv = join(figuresDir, `${t}.csv`);
    if (!existsSync(csv)) throw new Error(`publish: table ${t} has no CSV at ${csv}; nothing written.`);
  }
  for (const t of tables) copyFileSync(join(figuresDir, `${t}.csv`), join(RESULTS_DIR, `${t}.csv`));
  const tmp = `${srcPath}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, srcPath);
  return { bytes, tables, flattened };
}
