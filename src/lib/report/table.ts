/**
 * Result tables: danfojs DataFrames built from records, shown inline as HTML and saved as CSV.
 * danfojs-node runs on the project's own tfjs (its @tensorflow/tfjs-node is a shim re-exporting
 * @tensorflow/tfjs, packages/tfjs-shim), so a table never loads a second engine.
 *
 * @example
 *   const df = report.frame([{ model: 'A2E', corr: 0.73 }, { model: 'A2M2E', corr: 0.67 }]);
 *   report.showTable(df, { title: 'Table 1', name: 'p1_table1' });   // figures/p1_table1.csv
 *   report.showTable(df.query(df['corr'].gt(0.7)));                   // a danfojs query
 *   report.showTable(df.describe(), { title: 'summary' });             // index labels shown
 */
import * as path from 'node:path';
import { inspect } from 'node:util';
import { displayBundle, escapeHtml } from './display';
import { checkName } from '../engine';
import { figuresDir, linkHref, writeAtomic } from './paths';

type Cell = string | number | boolean | null | undefined;
type Record_ = Record<string, Cell>;
/** The parts of a danfojs DataFrame / Series the report reads. */
interface Frame {
  columns?: string[];
  values: unknown[];
  index: (string | number)[];
  shape: number[];
  $isSeries?: boolean;
}

let dfd: any = null;
/** The danfojs-node module (lazy: it takes a moment to load). */
export function danfo(): any {
  if (!dfd) {
    dfd = require('danfojs-node');
    // A DataFrame or Series left as a cell's last expression prints as a table, not its internals.
    // Set on their common base (NDframe): danfojs' own methods return base-class instances.
    for (const cls of [dfd.DataFrame, dfd.Series]) {
      let proto = cls.prototype;
      while (Object.getPrototypeOf(proto) && Object.getPrototypeOf(proto) !== Object.prototype) proto = Object.getPrototypeOf(proto);
      Object.defineProperty(proto, inspect.custom, {
        value(this: Frame) {
          return toText(this as any);
        },
        configurable: true,
      });
    }
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

function isFrame(t: unknown): t is Frame {
  return !!t && typeof t === 'object' && Array.isArray((t as Frame).values) && Array.isArray((t as Frame).index) && Array.isArray((t as Frame).shape);
}

/** True when a danfojs index is the default 0..n-1 (then it is not shown). */
function defaultIndex(index: (string | number)[]): boolean {
  return index.every((v, i) => v === i);
}

/** Columns and rows of a table: records, a danfojs DataFrame or a Series (a non-default index becomes the first column). */
function asTable(t: Frame | Record_[], where = 'report.showTable'): { columns: string[]; rows: unknown[][] } {
  if (Array.isArray(t)) {
    const df = frame(t);
    return { columns: df.columns, rows: df.values };
  }
  if (isFrame(t)) {
    const series = t.$isSeries === true || !Array.isArray(t.columns);
    const columns = series ? [String((t as any).columns?.[0] ?? 'value')] : (t.columns as string[]);
    let rows = (series ? t.values.map((v) => [v]) : t.values) as unknown[][];
    if (!defaultIndex(t.index)) {
      rows = rows.map((r, i) => [t.index[i], ...r]);
      return { columns: ['', ...columns], rows };
    }
    return { columns, rows };
  }
  throw new Error(`${where}: expected a danfojs DataFrame or Series, or an array of records.`);
}

/**
 * One table cell as text: integers (and floats within rounding of one) without decimals, NaN as
 * "n/a", infinities as "inf" / "-inf", very small or large magnitudes in exponent form, else
 * `digits` decimals.
 */
export function formatCell(v: unknown, digits = 3): string {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'n/a';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    const r = Math.round(v);
    if (Number.isInteger(v) || (Math.abs(v - r) <= 1e-9 * Math.max(1, Math.abs(v)) && Math.abs(v) < 1e15)) return String(r);
    const a = Math.abs(v);
    return a < 1e-3 || a >= 1e6 ? v.toExponential(2) : v.toFixed(digits);
  }
  return v === null || v === undefined ? '' : String(v);
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of a table (full precision; NaN as NaN). */
export function toCsv(t: Frame | Record_[]): string {
  const { columns, rows } = asTable(t, 'report.toCsv');
  return [columns.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

export interface TableOptions {
  title?: string;
  /** Decimals for non-integer numbers (default 3). */
  digits?: number;
  /** Rows shown inline (default 20); the rest are in the CSV (with `name`). */
  maxRows?: number;
  /** Internal: the saved CSV's path, named in the "more rows" line. */
  csv?: string;
}

function moreRows(n: number, csv?: string): { text: string; html: string } {
  if (n <= 0) return { text: '', html: '' };
  if (!csv) return { text: `${n} more rows not shown (give the table a name to save it as CSV)`, html: `${n} more rows not shown (give the table a name to save it as CSV)` };
  const rel = `figures/${path.basename(csv)}`;
  return { text: `${n} more rows in ${rel}`, html: `${n} more rows in <a href="${escapeHtml(linkHref(csv))}" target="_blank">${escapeHtml(rel)}</a>` };
}

/** HTML of a table (numbers rounded to `digits`; long tables show their first `maxRows` rows). */
export function toHtml(t: Frame | Record_[], opts: TableOptions = {}): string {
  const { columns, rows } = asTable(t, 'report.toHtml');
  const d = opts.digits ?? 3;
  const shown = rows.slice(0, opts.maxRows ?? rows.length);
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = shown
    .map((r) => `<tr>${r.map((v) => `<td style="text-align:${typeof v === 'number' ? 'right' : 'left'}">${escapeHtml(formatCell(v, d))}</td>`).join('')}</tr>`)
    .join('\n');
  const cap = opts.title ? `<caption style="caption-side:top;font-weight:bold;text-align:left">${escapeHtml(opts.title)}</caption>` : '';
  const more = moreRows(rows.length - shown.length, opts.csv).html;
  return `<table class="robustlens-table" style="border-collapse:collapse">${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${more ? `\n<div class="robustlens-more" style="font-size:small">${more}</div>` : ''}`;
}

/** Plain-text rendering (for logs and the text/plain fallback). */
export function toText(t: Frame | Record_[], opts: TableOptions = {}): string {
  const { columns, rows } = asTable(t, 'report.toText');
  const shown = rows.slice(0, opts.maxRows ?? rows.length);
  const cells = [columns, ...shown.map((r) => r.map((v) => formatCell(v, opts.digits ?? 3)))];
  const w = columns.map((_, j) => Math.max(...cells.map((r) => String(r[j]).length)));
  const more = moreRows(rows.length - shown.length, opts.csv).text;
  return cells.map((r) => r.map((v, j) => String(v).padEnd(w[j])).join('  ').trimEnd()).join('\n') + (more ? `\n${more}` : '');
}

/** Save a table as figures/<name>.csv (full precision, atomic); returns the path. */
export function saveTable(t: Frame | Record_[], name: string): string {
  const file = path.join(figuresDir(), `${checkName('report', name, 'output name')}.csv`);
  writeAtomic(file, toCsv(t));
  return file;
}

/**
 * Show a table inline (HTML, text fallback) and, with `name`, save it as figures/<name>.csv.
 * Accepts records or danfojs objects (`report.frame(records)`, its `query`, `groupby(...).mean()`,
 * `describe()`). Long tables show their first `maxRows` (20) rows and say where the rest are.
 * `volatile` names columns that change from run to run (wall-clock times): the results check
 * (`npm run check-results`) does not compare them; columns whose name mentions seconds or time
 * are treated so too.
 */
export function showTable(t: Frame | Record_[], opts: { title?: string; name?: string; digits?: number; maxRows?: number; volatile?: string[] } = {}): void {
  const csv = opts.name ? saveTable(t, opts.name) : undefined;
  const o: TableOptions = { title: opts.title, digits: opts.digits, maxRows: opts.maxRows ?? 20, csv };
  const html = toHtml(t, o);
  const text = (opts.title ? `${opts.title}\n` : '') + toText(t, o);
  const meta = { robustlens: { table: { name: opts.name ?? null, digits: opts.digits ?? 3, volatile: opts.volatile ?? [] } } };
  displayBundle({ 'text/html': html, 'text/plain': text }, { metadata: meta });
}
