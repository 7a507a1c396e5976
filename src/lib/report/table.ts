/**
 * Result tables: danfojs DataFrames built from records, shown inline as HTML and saved as CSV.
 *
 * @example
 *   const df = report.frame([{ model: 'A2E', corr: 0.73 }, { model: 'A2M2E', corr: 0.67 }]);
 *   report.showTable(df, { title: 'Table 1', name: 'p1_table1' });   // figures/p1_table1.csv
 */
import * as path from 'node:path';
import { registerGradientFixes } from '../engine/kernels';
import { displayBundle, escapeHtml } from './display';
import { checkName, figuresDir, writeAtomic } from './paths';

// danfojs-node is loaded on first use (it takes ~2 s to load).
type DataFrame = { columns: string[]; values: unknown[][]; shape: number[] };
type Record_ = Record<string, string | number | boolean | null | undefined>;

let dfd: any = null;
/** The danfojs-node module (lazy). */
export function danfo(): any {
  if (!dfd) {
    dfd = require('danfojs-node');
    // danfojs-node loads a second tfjs bundle, which re-registers tfjs' stock (wrong) MaxPool /
    // AvgPool / ResizeNearestNeighbor gradients in the global registry: put the engine's back
    registerGradientFixes();
  }
  return dfd;
}

/** A danfojs DataFrame from an array of records (all records must have the same keys). */
export function frame(records: Record_[]): any {
  if (!Array.isArray(records) || records.length === 0) throw new Error('report.frame: give a non-empty array of records.');
  const cols = Object.keys(records[0]);
  records.forEach((r, i) => {
    const k = Object.keys(r);
    if (k.length !== cols.length || k.some((c) => !cols.includes(c))) {
      throw new Error(`report.frame: record ${i} has keys [${k.join(', ')}], expected [${cols.join(', ')}].`);
    }
  });
  return new (danfo().DataFrame)(records.map((r) => cols.map((c) => r[c] ?? null)), { columns: cols });
}

function asTable(t: DataFrame | Record_[]): { columns: string[]; rows: unknown[][] } {
  if (Array.isArray(t)) {
    const df = frame(t);
    return { columns: df.columns, rows: df.values };
  }
  if (t && Array.isArray((t as DataFrame).columns) && Array.isArray((t as DataFrame).values)) {
    return { columns: (t as DataFrame).columns, rows: (t as DataFrame).values as unknown[][] };
  }
  throw new Error('report.showTable: expected a danfojs DataFrame or an array of records.');
}

function fmt(v: unknown, digits: number): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(2) : v.toFixed(digits);
  }
  return v === null || v === undefined ? '' : String(v);
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of a table (full precision). */
export function toCsv(t: DataFrame | Record_[]): string {
  const { columns, rows } = asTable(t);
  return [columns.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

/** HTML of a table (numbers rounded to `digits`). */
export function toHtml(t: DataFrame | Record_[], opts: { title?: string; digits?: number } = {}): string {
  const { columns, rows } = asTable(t);
  const d = opts.digits ?? 3;
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((v) => `<td style="text-align:${typeof v === 'number' ? 'right' : 'left'}">${escapeHtml(fmt(v, d))}</td>`).join('')}</tr>`)
    .join('\n');
  const cap = opts.title ? `<caption style="caption-side:top;font-weight:bold;text-align:left">${escapeHtml(opts.title)}</caption>` : '';
  return `<table class="robustlens-table" style="border-collapse:collapse">${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Plain-text rendering (for logs and the text/plain fallback). */
export function toText(t: DataFrame | Record_[], opts: { digits?: number } = {}): string {
  const { columns, rows } = asTable(t);
  const cells = [columns, ...rows.map((r) => r.map((v) => fmt(v, opts.digits ?? 3)))];
  const w = columns.map((_, j) => Math.max(...cells.map((r) => String(r[j]).length)));
  return cells.map((r) => r.map((v, j) => String(v).padEnd(w[j])).join('  ')).join('\n');
}

/** Save a table as figures/<name>.csv (full precision, atomic); returns the path. */
export function saveTable(t: DataFrame | Record_[], name: string): string {
  const file = path.join(figuresDir(), `${checkName(name)}.csv`);
  writeAtomic(file, toCsv(t));
  return file;
}

/** Show a table inline (HTML, text fallback) and, with `name`, save it as figures/<name>.csv. */
export function showTable(t: DataFrame | Record_[], opts: { title?: string; name?: string; digits?: number } = {}): void {
  if (opts.name) saveTable(t, opts.name);
  const html = toHtml(t, opts);
  const text = (opts.title ? `${opts.title}\n` : '') + toText(t, opts);
  displayBundle({ 'text/html': html, 'text/plain': text });
}
