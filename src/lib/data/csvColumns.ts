/**
 * Column access for CsvTables with clear errors: names match case-insensitively ignoring spaces,
 * underscores and punctuation ("Song ID" = "song_id" = "songid"); a missing column names the file,
 * the column and the columns that are there; a non-numeric or NaN value names the file, line and column.
 *
 * @example
 *   const v = numberColumn(readCsv('ratings.csv'), 'valence', 'loadX'); // Float64Array
 */
import { CsvTable } from './parseCsv';

/** Normalised column key: lower case, letters and digits only. */
export function columnKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Index of the column matching the first of `names` (aliases) that any column matches, or -1.
 * Two columns matching the same name (e.g. "valence" and "Valence") are ambiguous: an error.
 */
export function findColumn(table: CsvTable, names: string | string[]): number {
  const keys = table.columns.map(columnKey);
  for (const n of Array.isArray(names) ? names : [names]) {
    const k = columnKey(n);
    const hits = keys.flatMap((key, i) => (key === k ? [i] : []));
    if (hits.length > 1) {
      throw new Error(`${table.source}: columns ${hits.map((i) => `"${table.columns[i]}"`).join(' and ')} all match "${n}" (names are compared ignoring case, spaces and punctuation); rename or drop all but one.`);
    }
    if (hits.length === 1) return hits[0];
  }
  return -1;
}

/** Index of a required column (any of its aliases), or an error naming the file and what is there. */
export function requireColumn(table: CsvTable, names: string | string[], where: string): number {
  const i = findColumn(table, names);
  if (i < 0) {
    const list = Array.isArray(names) ? names : [names];
    throw new Error(`${where}: ${table.source} is missing the required column "${list[0]}"` +
      (list.length > 1 ? ` (also accepted: ${list.slice(1).map((s) => `"${s}"`).join(', ')})` : '') +
      `; its columns are: ${table.columns.map((c) => `"${c}"`).join(', ')}. Use a file with this column, or rename the header.`);
  }
  return i;
}

export interface NumberColumnOptions {
  /** Cell values read as NaN instead of an error (e.g. ['nan', '']); default none. */
  missing?: string[];
}

/** A required column parsed as numbers; throws on text, empty cells or NaN unless listed in `missing`. */
export function numberColumn(table: CsvTable, names: string | string[], where: string, options: NumberColumnOptions = {}): Float64Array {
  const c = requireColumn(table, names, where);
  const missing = new Set((options.missing ?? []).map((s) => s.toLowerCase()));
  const out = new Float64Array(table.rows.length);
  for (let r = 0; r < table.rows.length; r++) {
    const s = table.rows[r][c];
    if (missing.has(s.toLowerCase())) { out[r] = NaN; continue; }
    const v = s === '' ? NaN : Number(s);
    if (!Number.isFinite(v)) {
      throw new Error(`${where}: ${table.source} line ${table.lines[r]}, column "${table.columns[c]}": ` +
        `${s === '' ? 'empty value' : `"${s}" is not a finite number`} (NaN/missing values are not allowed here); fix or drop that row.`);
    }
    out[r] = v;
  }
  return out;
}

/** A required column as trimmed strings. */
export function stringColumn(table: CsvTable, names: string | string[], where: string): string[] {
  const c = requireColumn(table, names, where);
  return table.rows.map((r) => r[c]);
}
