/**
 * A small, robust CSV parser (RFC 4180 plus the quirks of real research CSVs): quoted fields with
 * "" escapes and embedded delimiters or newlines, CRLF or LF, a UTF-8 byte-order mark, blank lines
 * skipped, header names and (by default) unquoted fields trimmed. The delimiter is detected from the
 * header line (comma, semicolon or tab) unless given.
 *
 * @example
 *   const t = parseCsv('id,name\n1,"a, b"\n'); // { columns: ['id','name'], rows: [['1','a, b']], ... }
 */
import { readFileSync } from 'node:fs';
import { checkOptions } from '../engine';

export interface CsvTable {
  /** Header names, trimmed. */
  columns: string[];
  /** Data rows as strings (same length as columns; short rows are padded with ''). */
  rows: string[][];
  /** 1-based line number in the source where each row starts (for error messages). */
  lines: number[];
  /** Where the table came from (a file path, or 'CSV text'). */
  source: string;
}

export interface CsvOptions {
  /** Field delimiter; default: detected from the header (',' ';' or tab). */
  delimiter?: string;
  /** Name used in error messages; default 'CSV text'. */
  source?: string;
  /** Trim whitespace (incl. tabs) around every field, quoted or not; default true. */
  trim?: boolean;
  /** Accept a header without data rows (0 rows); default false (an error: usually a truncated export). */
  allowEmpty?: boolean;
}

export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  checkOptions('parseCsv', options, ['delimiter', 'source', 'trim', 'allowEmpty']);
  const source = options.source ?? 'CSV text';
  const trim = options.trim ?? true;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf('\u0000');
  if (nul >= 0 || text.startsWith('\ufffd\ufffd')) {
    throw new Error(`parseCsv(${source}): wrong text encoding (${nul >= 0 ? `a NUL character at offset ${nul}` : 'an undecodable byte-order mark'}): the file looks UTF-16 or binary; save it as UTF-8 text.`);
  }
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delim = options.delimiter ?? detectDelimiter(firstLine);
  if (delim.length !== 1 || delim === '"' || delim === '\n') throw new Error(`parseCsv(${source}): delimiter must be one character other than a quote or newline, got ${JSON.stringify(delim)}.`);
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recLine = 1;
  let i = 0;
  const endField = () => {
    fields.push(trim ? field.trim() : field);
    field = '';
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recLine });
    fields = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      if (ch === '\n') line++;
      field += ch; i++; continue;
    }
    if (ch === '"' && field.trim() === '') { quoted = true; field = ''; i++; continue; }
    if (ch === delim) { endField(); i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (ch === '\n' || ch === '\r') { endRecord(); line++; recLine = line; i++; continue; }
    field += ch; i++;
  }
  if (quoted) throw new Error(`parseCsv(${source}): unterminated quoted field starting on or before line ${recLine}; fix the quotes in the file.`);
  if (field !== '' || fields.length > 0) endRecord();
  if (records.length === 0) throw new Error(`parseCsv(${source}): empty file (no header line).`);
  if (records.length === 1 && !options.allowEmpty) {
    throw new Error(`parseCsv(${source}): the file has a header but no data rows (pass allowEmpty: true where an empty table is expected).`);
  }
  const columns = records[0].fields.map((c) => c.trim());
  const rows: string[][] = [];
  const lines: number[] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length > columns.length && r.fields.slice(columns.length).some((f) => f !== '')) {
      throw new Error(`parseCsv(${source}): line ${r.line} has ${r.fields.length} fields but the header has ${columns.length}; check the delimiter and quoting.`);
    }
    const row = r.fields.slice(0, columns.length);
    while (row.length < columns.length) row.push('');
    rows.push(row);
    lines.push(r.line);
  }
  return { columns, rows, lines, source };
}

/** Read and parse a CSV file (UTF-8); errors name the file. */
export function readCsv(path: string, options: Omit<CsvOptions, 'source'> = {}): CsvTable {
  checkOptions('readCsv', options, ['delimiter', 'trim', 'allowEmpty']);
  const bytes = readFileSync(path);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new Error(`parseCsv(${path}): wrong text encoding: the file is UTF-16 (byte-order mark ${bytes[0].toString(16).toUpperCase()} ${bytes[1].toString(16).toUpperCase()}); save it as UTF-8 text.`);
  }
  return parseCsv(bytes.toString('utf8'), { ...options, source: path });
}

function detectDelimiter(header: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const c = header.split(d).length - 1;
    if (c > bestCount) { best = d; bestCount = c; }
  }
  return best;
}
