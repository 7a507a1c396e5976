#!/usr/bin/env node
// npm run check-results: every commit proves its published results reproduce. Re-executes, at demo
// scale with the committed models, each notebook in notebooks/ that is committed with outputs, and
// fails when a result table differs from what the code now produces: the tables shown in the
// committed outputs (compared as displayed, a last-digit rounding flip tolerated) and the committed
// CSVs in results/ (full precision, relative tolerance 1e-6). Columns that hold wall-clock times
// (named in showTable's `volatile`, or whose name mentions seconds/time/elapsed) are not compared.
// Notebooks without committed outputs are skipped. Options: notebook names to check only those.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { root, build } from './env.mjs';
import { runNotebook, cellTitle } from './notebook/run.mjs';
import { RESULTS_DIR } from './notebook/publish.mjs';

const VOLATILE = /second|elapsed|time|wall|duration/i;

/** Parse the tables robustlens shows (report/table.ts toHtml) out of a notebook's outputs, in order. */
export function tablesOf(nb) {
  const out = [];
  nb.cells.forEach((cell, i) => {
    for (const o of cell.outputs ?? []) {
      const meta = o.metadata?.robustlens?.table;
      if (o.output_type !== 'display_data' || !meta) continue;
      const html = [].concat(o.data?.['text/html'] ?? []).join('');
      const un = (s) => s.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      const title = un(/<caption[^>]*>([\s\S]*?)<\/caption>/.exec(html)?.[1] ?? '');
      const columns = [...(/<thead>([\s\S]*?)<\/thead>/.exec(html)?.[1] ?? '').matchAll(/<th>([\s\S]*?)<\/th>/g)].map((m) => un(m[1]));
      const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
      const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => un(m[1])));
      out.push({ cell: i, name: meta.name, digits: meta.digits ?? 3, volatile: meta.volatile ?? [], title, columns, rows });
    }
  });
  return out;
}

const isVolatile = (t, col) => t.volatile.includes(col) || VOLATILE.test(col);

/** Two displayed cells agree: same text, or numbers within one unit of the last shown digit. */
function sameShown(a, b) {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (a === '' || b === '' || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  const decimals = Math.max((a.split('.')[1] ?? '').length, (b.split('.')[1] ?? '').length);
  return Math.abs(x - y) <= 1.0001 * 10 ** -decimals;
}

/** The first difference between a committed and a fresh table, or null. */
export function tableDiff(committed, fresh) {
  const label = `table "${committed.title || committed.name || '(untitled)'}"${committed.name ? ` (${committed.name})` : ''}`;
  if (!fresh) return `${label}: not shown any more`;
  if (committed.columns.join('\u0000') !== fresh.columns.join('\u0000')) return `${label}: columns were [${committed.columns.join(', ')}], now [${fresh.columns.join(', ')}]`;
  if (committed.rows.length !== fresh.rows.length) return `${label}: ${committed.rows.length} rows shown, now ${fresh.rows.length}`;
  for (let r = 0; r < committed.rows.length; r++) {
    for (let c = 0; c < committed.columns.length; c++) {
      if (isVolatile(committed, committed.columns[c])) continue;
      const a = committed.rows[r][c];
      const b = fresh.rows[r][c];
      if (!sameShown(a, b)) return `${label}: first difference at row ${r + 1}, column "${committed.columns[c] || '(index)'}": committed ${JSON.stringify(a)}, now ${JSON.stringify(b)}`;
    }
  }
  return null;
}

function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') q = false;
      else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** The first difference between a committed and a fresh CSV (full precision, rtol 1e-6), or null. */
export function csvDiff(name, committedText, freshText, volatile = []) {
  const a = parseCsv(committedText);
  const b = parseCsv(freshText);
  const label = `results/${name}.csv`;
  if (a[0]?.join('\u0000') !== b[0]?.join('\u0000')) return `${label}: columns were [${a[0]?.join(', ')}], now [${b[0]?.join(', ')}]`;
  if (a.length !== b.length) return `${label}: ${a.length - 1} rows, now ${b.length - 1}`;
  const cols = a[0];
  for (let r = 1; r < a.length; r++) {
    for (let c = 0; c < cols.length; c++) {
      if (volatile.includes(cols[c]) || VOLATILE.test(cols[c])) continue;
      const x = a[r][c];
      const y = b[r][c];
      if (x === y) continue;
      const nx = Number(x);
      const ny = Number(y);
      if (x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) && Math.abs(nx - ny) <= 1e-6 * Math.max(Math.abs(nx), Math.abs(ny), 1e-12)) continue;
      return `${label}: first difference at row ${r}, column "${cols[c]}": committed ${JSON.stringify(x)}, now ${JSON.stringify(y)}`;
    }
  }
  return null;
}

const hasOutputs = (nb) => nb.cells.some((c) => c.cell_type === 'code' && (c.outputs ?? []).length > 0);

async function main() {
  const want = process.argv.slice(2).map((a) => basename(a).replace(/\.ipynb$/, ''));
  const nbDir = join(root, 'notebooks');
  const names = readdirSync(nbDir).filter((f) => f.endsWith('.ipynb') && (!want.length || want.includes(f.replace(/\.ipynb$/, '')))).sort();
  build();
  const work = join(root, '.tmp', 'check-results');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const env = { ...process.env, ROBUSTLENS_SCALE: 'demo', ROBUSTLENS_FIGURES: join(work, 'figures'), ROBUSTLENS_LINK_BASE: nbDir };
  const problems = [];
  let checked = 0;
  for (const name of names) {
    const src = join(nbDir, name);
    const committed = JSON.parse(readFileSync(src, 'utf8'));
    if (!hasOutputs(committed)) {
      console.log(`robustlens: ${name}: skipped (committed without outputs; \`npm run reproduce -- --publish\` publishes them)`);
      continue;
    }
    checked++;
    const t0 = Date.now();
    console.log(`robustlens: re-executing ${name} at demo scale ...`);
    const { nb, failure } = await runNotebook(src, { env, timeoutSec: Number(process.env.ROBUSTLENS_CELL_TIMEOUT ?? 1800) });
    if (failure) {
      const where = Number.isInteger(failure.cell) ? `cell ${failure.cell + 1} (${cellTitle(nb.cells[failure.cell])})` : 'the runner';
      problems.push(`${name}: failed in ${where}: ${failure.ename}: ${failure.evalue}`);
      continue;
    }
    const before = tablesOf(committed);
    const now = tablesOf(nb);
    let ok = true;
    for (let k = 0; k < before.length; k++) {
      const d = tableDiff(before[k], now[k]);
      if (d) {
        problems.push(`${name}, cell ${before[k].cell + 1}: ${d}`);
        ok = false;
        break;
      }
    }
    if (now.length > before.length) problems.push(`${name}: shows ${now.length - before.length} table(s) more than committed (republish)`), (ok = false);
    for (const t of before.filter((t) => t.name)) {
      const committedCsv = join(RESULTS_DIR, `${t.name}.csv`);
      if (!existsSync(committedCsv)) {
        problems.push(`${name}: results/${t.name}.csv is not committed (republish)`);
        ok = false;
        continue;
      }
      const fresh = join(work, 'figures', `${t.name}.csv`);
      const d = existsSync(fresh) ? csvDiff(t.name, readFileSync(committedCsv, 'utf8'), readFileSync(fresh, 'utf8'), t.volatile) : `results/${t.name}.csv: not written by the fresh run`;
      if (d) {
        problems.push(`${name}: ${d}`);
        ok = false;
      }
    }
    console.log(`robustlens: ${name}: ${ok ? `${before.length} tables reproduce` : 'DIFFERS'} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  if (problems.length) {
    console.error(`robustlens: published results do not reproduce:\n  ${problems.join('\n  ')}\n(fresh outputs in ${relative(process.cwd(), work)}; if the change is intended, republish: npm run reproduce -- --publish)`);
    process.exit(1);
  }
  console.log(`robustlens: published results reproduce (${checked} notebook(s) checked).`);
}

if (process.argv[1] && basename(process.argv[1]) === 'check-results.mjs') await main();
