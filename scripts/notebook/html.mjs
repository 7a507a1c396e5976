// A self-contained HTML export of an executed notebook (no nbconvert): markdown cells rendered,
// code cells with their outputs, each output drawn from its richest MIME type (text/html, then
// image/png, text/markdown, text/plain). plotly.js is inlined once in the page when a figure needs it;
// figures draw interactively without a Chromium or a network.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { joinText } from './run.mjs';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const require = createRequire(join(root, 'package.json'));

/** The marker on the <script> that carries plotly.js inside a figure output (report/figures.ts). */
export const PLOTLY_SCRIPT = /<script data-robustlens-plotly[^>]*>[\s\S]*?<\/script>/g;

export function escapeHtml(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

let markedMod = null;
async function markdown(md) {
  markedMod ??= await import('marked');
  return markedMod.marked.parse(md, { gfm: true, async: false });
}

/** Strip ANSI colour codes (a stack printed by Node may carry them). */
function plain(s) {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

async function outputHtml(o) {
  if (o.output_type === 'stream') return `<pre class="out stream ${o.name === 'stderr' ? 'stderr' : ''}">${escapeHtml(plain(joinText(o.text)))}</pre>`;
  if (o.output_type === 'error') {
    const tb = (o.traceback ?? []).map(plain).join('\n');
    return `<pre class="out error">${escapeHtml(`${o.ename}: ${o.evalue}`)}${tb ? `\n${escapeHtml(tb)}` : ''}</pre>`;
  }
  const d = o.data ?? {};
  if (d['text/html'] !== undefined) return `<div class="out html">${joinText(d['text/html']).replace(PLOTLY_SCRIPT, '')}</div>`;
  if (d['image/png'] !== undefined) return `<div class="out"><img src="data:image/png;base64,${joinText(d['image/png']).replace(/\s/g, '')}"/></div>`;
  if (d['text/markdown'] !== undefined) return `<div class="out md">${await markdown(joinText(d['text/markdown']))}</div>`;
  if (d['text/plain'] !== undefined) return `<pre class="out">${escapeHtml(joinText(d['text/plain']))}</pre>`;
  return '';
}

const CSS = `body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#222;line-height:1.45}
.cell{margin:14px 0}.src{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;padding:8px 10px;overflow-x:auto;font-size:13px}
.prompt{color:#888;font:12px monospace;margin-bottom:2px}pre{white-space:pre-wrap;word-break:break-word;margin:4px 0}
.out{margin:6px 0;overflow-x:auto;font-size:13px}.stderr{background:#fff8f0}.error{background:#fdecea;color:#8a1c1c;padding:6px}
table.robustlens-table td,table.robustlens-table th{border:1px solid #ddd;padding:3px 8px;font-size:13px}table.robustlens-table th{background:#f3f3f3}
.md table td,.md table th{border:1px solid #ddd;padding:3px 8px}code{background:#f3f3f3;padding:0 3px;border-radius:3px}`;

/** HTML text of an executed notebook. */
export async function notebookHtml(nb, title) {
  const parts = [];
  let needsPlotly = false;
  for (const cell of nb.cells) {
    if (cell.cell_type === 'markdown') parts.push(`<div class="cell md">${await markdown(joinText(cell.source))}</div>`);
    else if (cell.cell_type === 'code') {
      const outs = [];
      for (const o of cell.outputs ?? []) {
        if (JSON.stringify(o.data?.['text/html'] ?? '').includes('robustlens-figure')) needsPlotly = true;
        outs.push(await outputHtml(o));
      }
      parts.push(
        `<div class="cell code"><div class="prompt">In [${cell.execution_count ?? ' '}]:</div><pre class="src">${escapeHtml(joinText(cell.source))}</pre>${outs.join('\n')}</div>`,
      );
    }
  }
  const plotly = needsPlotly
    ? `<script>(function(define,module,exports){${readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8')}\n}).call(window);</script>`
    : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style>${plotly}</head>
<body>
${parts.join('\n')}
</body></html>
`;
}
