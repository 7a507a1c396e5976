/**
 * Figure builders: pure functions from data to a plotly spec (so they are testable as JSON),
 * and showFigure, which saves a spec to figures/ and displays it inline.
 *
 * @example
 *   const spec = report.lineFigure({ title: 'Robust accuracy', x: eps, series: [{ name: 'std', y: acc }] });
 *   await report.showFigure(spec, 'p3_robust_accuracy');
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { displayBundle, escapeHtml } from './display';
import { saveFigure } from './export';
import { linkHref } from './paths';
import type { FigureSpec } from './figureSpec';

export type { FigureSpec };

const FONT = { family: 'Helvetica, Arial, sans-serif', size: 13 };

function baseLayout(title?: string, xTitle?: string, yTitle?: string, extra: object = {}): any {
  return {
    title: title ? { text: title } : undefined,
    font: FONT,
    xaxis: { title: { text: xTitle ?? '' }, zeroline: false },
    yaxis: { title: { text: yTitle ?? '' }, zeroline: false },
    margin: { l: 60, r: 20, t: title ? 50 : 20, b: 50 },
    width: 800,
    height: 480,
    ...extra,
  };
}

function checkSeries(where: string, n: number, ys: { name: string; y: number[] }[]): void {
  for (const s of ys) {
    if (s.y.length !== n) throw new Error(`${where}: series "${s.name}" has ${s.y.length} values, x has ${n}.`);
  }
}

/** Lines (with markers) over a shared x; optional error bands (yLow/yHigh). */
export function lineFigure(o: {
  x: number[] | string[];
  series: { name: string; y: number[]; yLow?: number[]; yHigh?: number[] }[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
}): FigureSpec {
  checkSeries('lineFigure', o.x.length, o.series);
  const data: any[] = [];
  for (const s of o.series) {
    if (s.yLow && s.yHigh) {
      data.push({ x: [...o.x, ...[...o.x].reverse()], y: [...s.yHigh, ...[...s.yLow].reverse()], fill: 'toself', opacity: 0.2, line: { width: 0 }, showlegend: false, name: s.name, hoverinfo: 'skip', type: 'scatter' });
    }
    data.push({ x: o.x, y: s.y, name: s.name, type: 'scatter', mode: 'lines+markers' });
  }
  return { data, layout: baseLayout(o.title, o.xTitle, o.yTitle, o.logX ? { xaxis: { type: 'log', title: { text: o.xTitle ?? '' } } } : {}) };
}

/** Scatter groups; `diagonal` draws y = x over the given range. */
export function scatterFigure(o: {
  groups: { name: string; x: number[]; y: number[]; text?: string[] }[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  diagonal?: [number, number];
}): FigureSpec {
  const data: any[] = o.groups.map((g) => {
    if (g.x.length !== g.y.length) throw new Error(`scatterFigure: group "${g.name}" has ${g.x.length} x and ${g.y.length} y values.`);
    return { x: g.x, y: g.y, text: g.text, name: g.name, type: 'scatter', mode: 'markers', marker: { size: 6, opacity: 0.7 } };
  });
  if (o.diagonal) data.push({ x: o.diagonal, y: o.diagonal, mode: 'lines', name: 'y = x', line: { dash: 'dot', color: 'grey' }, type: 'scatter' });
  return { data, layout: baseLayout(o.title, o.xTitle, o.yTitle) };
}

/** Box plots, one box per group (all points shown). */
export function boxFigure(o: { groups: { name: string; values: number[] }[]; title?: string; yTitle?: string; xTitle?: string }): FigureSpec {
  const data = o.groups.map((g) => ({ y: g.values, name: g.name, type: 'box', boxpoints: 'all', jitter: 0.3, pointpos: 0 }));
  return { data, layout: baseLayout(o.title, o.xTitle, o.yTitle, { showlegend: false }) };
}

/** Grouped bars with optional symmetric error bars. */
export function barFigure(o: {
  categories: string[];
  series: { name: string; values: number[]; error?: number[] }[];
  title?: string;
  yTitle?: string;
  xTitle?: string;
}): FigureSpec {
  const data = o.series.map((s) => {
    if (s.values.length !== o.categories.length) throw new Error(`barFigure: series "${s.name}" has ${s.values.length} values for ${o.categories.length} categories.`);
    return { x: o.categories, y: s.values, name: s.name, type: 'bar', error_y: s.error ? { type: 'data', array: s.error, visible: true } : undefined };
  });
  return { data, layout: baseLayout(o.title, o.xTitle, o.yTitle, { barmode: 'group' }) };
}

/**
 * A heatmap of a 2-D array z[row][col], row 0 at the bottom (e.g. a spectrogram from
 * `mapRows(spec, { transpose: true })`: rows = frequency bins, lowest first, so low frequencies are at the bottom).
 */
export function heatmapFigure(o: { z: number[][]; title?: string; xTitle?: string; yTitle?: string; colorscale?: string; zmid?: number }): FigureSpec {
  return {
    data: [{ z: o.z, type: 'heatmap', colorscale: o.colorscale ?? 'Viridis', zmid: o.zmid }],
    layout: baseLayout(o.title, o.xTitle, o.yTitle),
  };
}

/**
 * A grid of 2-D maps (images, attribution maps), `cols` per row, each with its own title. Rows of
 * each z are drawn top to bottom (image convention), or bottom to top with `origin: 'lower'`
 * (spectrograms from `mapRows(..., { transpose: true })`). `diverging` centres the colour scale at 0.
 */
export function mapGridFigure(o: {
  maps: { title: string; z: number[][]; diverging?: boolean; colorscale?: string; origin?: 'upper' | 'lower' }[];
  cols: number;
  title?: string;
  cellSize?: number;
}): FigureSpec {
  const n = o.maps.length;
  if (n === 0) throw new Error('mapGridFigure: no maps given.');
  const cols = Math.max(1, Math.min(o.cols, n));
  const rows = Math.ceil(n / cols);
  const cell = o.cellSize ?? 150;
  const layout: any = { title: o.title ? { text: o.title } : undefined, font: { ...FONT, size: 11 }, grid: { rows, columns: cols, pattern: 'independent' }, width: cols * cell + 40, height: rows * (cell + 30) + (o.title ? 60 : 20), margin: { l: 10, r: 10, t: o.title ? 60 : 20, b: 10 }, annotations: [] as any[] };
  const data = o.maps.map((m, i) => {
    const ax = i === 0 ? '' : String(i + 1);
    layout[`xaxis${ax}`] = { visible: false, constrain: 'domain' };
    layout[`yaxis${ax}`] = { visible: false, autorange: m.origin === 'lower' ? true : 'reversed', scaleanchor: `x${ax}` };
    let zmax = 0;
    for (const r of m.z) for (const v of r) zmax = Math.max(zmax, Math.abs(v));
    layout.annotations.push({ text: m.title, xref: `x${ax} domain`, yref: `y${ax} domain`, x: 0.5, y: 1.12, showarrow: false, font: { size: 11 } });
    return {
      z: m.z,
      type: 'heatmap',
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
      showscale: false,
      colorscale: m.colorscale ?? (m.diverging ? 'RdBu' : 'Greys'),
      reversescale: !m.diverging && !m.colorscale,
      ...(m.diverging ? { zmin: -zmax || -1, zmax: zmax || 1 } : {}),
    };
  });
  return { data, layout };
}

let plotlyShown = false;
let figureCount = 0;

/**
 * plotly.js itself as an inline <script> (from the installed plotly.js-dist-min), marked so that
 * exports can drop it where the page carries plotly.js already. Run with AMD/CommonJS hidden, so it
 * sets window.Plotly also where requirejs is loaded (the classic notebook).
 */
export function plotlyScript(): string {
  const file = require.resolve('plotly.js-dist-min/plotly.min.js');
  const version = JSON.parse(fs.readFileSync(path.join(path.dirname(file), 'package.json'), 'utf8')).version;
  const src = fs.readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script');
  return `<script data-robustlens-plotly="${version}">(function(define,module,exports){${src}\n}).call(window);</script>`;
}

/**
 * The text/html of a figure: a div and a script that draws it with plotly.js (waiting for
 * window.Plotly if the page loads it later), and a link to the saved standalone figure.
 * Pure apart from `id`.
 */
export function figureDivHtml(spec: FigureSpec, id: string, link?: { href: string; label: string }): string {
  const json = JSON.stringify({ data: spec.data, layout: spec.layout }).replace(/</g, '\\u003c');
  const w = Number(spec.layout?.width) || 800;
  const h = Number(spec.layout?.height) || 480;
  const draw =
    `(function(){var s=${json};function go(){var P=window.Plotly;if(!P)return false;P.newPlot('${id}',s.data,s.layout,{responsive:true});return true}` +
    `if(!go()){var n=0,t=setInterval(function(){if(go()||++n>600)clearInterval(t)},100)}})();`;
  const a = link ? `<div style="font-size:small"><a href="${escapeHtml(link.href)}" target="_blank">${escapeHtml(link.label)}</a></div>` : '';
  return `<div class="robustlens-figure" id="${id}" style="width:${w}px;max-width:100%;height:${h}px"></div>\n<script>${draw}</script>${a}`;
}

/**
 * Save a figure to figures/<name>.{html,json,png} and show it inline. The display bundle carries
 * the plotly JSON (front-ends with a plotly renderer: VS Code, JupyterLab's extension), text/html
 * that draws the interactive figure (plotly.js is included in the first figure of the kernel
 * session, so once per notebook run), a PNG where Chromium is present (viewers that run no
 * scripts, e.g. GitHub), and a text line.
 */
export async function showFigure(spec: FigureSpec, name: string): Promise<void> {
  const saved = await saveFigure(spec, name);
  const id = `robustlens-fig-${escapeHtml(name)}-${++figureCount}`;
  const lib = plotlyShown ? '' : plotlyScript();
  plotlyShown = true;
  const bundle: Record<string, unknown> = {
    'application/vnd.plotly.v1+json': { data: spec.data, layout: spec.layout },
    'text/html': lib + figureDivHtml(spec, id, { href: linkHref(saved.html), label: `interactive: figures/${name}.html` }),
    'text/plain': `[figure ${name}: figures/${path.basename(saved.png ?? saved.html)}]`,
  };
  if (saved.pngBytes) bundle['image/png'] = Buffer.from(saved.pngBytes).toString('base64');
  displayBundle(bundle, { metadata: { robustlens: { figure: name } } });
}
