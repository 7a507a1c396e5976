/**
 * Figure export: standalone HTML (interactive, plotly.js beside it in figures/) and PNG through a
 * headless Chromium (Debian's chromium driven by playwright-core). Without Chromium, PNG export
 * is skipped with one clear line, never a failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkName } from '../engine';
import { figuresDir, writeAtomic } from './paths';
import type { FigureSpec } from './figureSpec';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function plotlyPath(): string {
  return require.resolve('plotly.js-dist-min/plotly.min.js');
}

/** The Chromium executable: ROBUSTLENS_CHROMIUM, else a system one; null when none. */
export function chromiumPath(): string | null {
  const env = process.env.ROBUSTLENS_CHROMIUM;
  if (env === 'none') return null;
  if (env) return fs.existsSync(env) ? env : null;
  return CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

let warned = false;
let browser: any = null;
let page: any = null;
let idleTimer: NodeJS.Timeout | null = null;

async function getPage(): Promise<any | null> {
  const exe = chromiumPath();
  let pw: any;
  try {
    pw = require('playwright-core');
  } catch {
    pw = null;
  }
  if (!exe || !pw) {
    if (!warned) {
      warned = true;
      process.stderr.write(
        `robustlens: PNG export skipped (${!exe ? 'no Chromium found; apt-get install chromium' : 'playwright-core not installed'}); HTML figures are still written.\n`,
      );
    }
    return null;
  }
  if (!page) {
    browser = await pw.chromium.launch({ executablePath: exe, args: CHROMIUM_FLAGS });
    page = await browser.newPage();
    await page.setContent('<html><body><div id="fig"></div></body></html>');
    await page.addScriptTag({ path: plotlyPath() });
  }
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void closeBrowser(), 15000);
  idleTimer.unref();
  return page;
}

/** Close the headless browser (it also closes itself after 15 s idle). */
export async function closeBrowser(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const b = browser;
  browser = null;
  page = null;
  if (b) await b.close();
}

/** Render a figure to PNG bytes, or null when no headless Chromium is available. */
export async function renderPng(spec: FigureSpec, opts: { width?: number; height?: number; scale?: number } = {}): Promise<Uint8Array | null> {
  const p = await getPage();
  if (!p) return null;
  const width = opts.width ?? spec.layout?.width ?? 800;
  const height = opts.height ?? spec.layout?.height ?? 500;
  const url: string = await p.evaluate(
    async ([s, w, h, sc]: [FigureSpec, number, number, number]) => {
      const P = (window as any).Plotly;
      const div = document.getElementById('fig');
      await P.newPlot(div, s.data, { ...s.layout, width: w, height: h }, { staticPlot: true });
      const img = await P.toImage(div, { format: 'png', width: w, height: h, scale: sc });
      P.purge(div);
      return img;
    },
    [spec, width, height, opts.scale ?? 1],
  );
  return Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64');
}

/** Standalone HTML of a figure; plotly.min.js is expected beside it. */
export function figureHtml(spec: FigureSpec, title: string): string {
  const json = JSON.stringify(spec).replace(/</g, '\\u003c');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><script src="plotly.min.js"></script></head>
<body><div id="fig" style="width:100%;height:90vh"></div>
<script>const s=${json};Plotly.newPlot('fig',s.data,s.layout,{responsive:true});</script></body></html>\n`;
}

/**
 * Save a figure as figures/<name>.html (+ .json spec) and, where Chromium is present, figures/<name>.png.
 * Returns the paths written and the PNG bytes (for inline display).
 */
export async function saveFigure(spec: FigureSpec, name: string): Promise<{ html: string; json: string; png: string | null; pngBytes: Uint8Array | null }> {
  const dir = figuresDir();
  checkName('report', name, 'output name');
  const lib = path.join(dir, 'plotly.min.js');
  if (!fs.existsSync(lib)) fs.copyFileSync(plotlyPath(), lib);
  const html = path.join(dir, `${name}.html`);
  const json = path.join(dir, `${name}.json`);
  writeAtomic(html, figureHtml(spec, name));
  writeAtomic(json, JSON.stringify(spec));
  const bytes = await renderPng(spec);
  let png: string | null = null;
  if (bytes) {
    png = path.join(dir, `${name}.png`);
    writeAtomic(png, bytes);
  }
  return { html, json, png, pngBytes: bytes };
}
