import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, numberColumn, requireColumn, stringColumn } from '../../src/lib/data';

test('parseCsv handles quotes, escaped quotes, embedded delimiters and newlines, CRLF, BOM and blank lines', () => {
  const t = parseCsv('\ufeffid, "name" ,note\r\n1,"a, b","say ""hi"""\r\n\r\n2,plain,"two\nlines"\n3,,\n');
  assert.deepEqual(t.columns, ['id', 'name', 'note']);
  assert.deepEqual(t.rows, [['1', 'a, b', 'say "hi"'], ['2', 'plain', 'two\nlines'], ['3', '', '']]);
  assert.deepEqual(t.lines, [2, 4, 6]);
});

test('parseCsv detects semicolon and tab delimiters, pads short rows and trims tabs inside quotes', () => {
  assert.deepEqual(parseCsv('a;b\n1;2\n').rows, [['1', '2']]);
  assert.deepEqual(parseCsv('a\tb\n1\n').rows, [['1', '']]);
  assert.deepEqual(parseCsv('a,b\n"\tx\t",y').rows, [['x', 'y']]);
  assert.deepEqual(parseCsv('a,b\n" x ",y', { trim: false }).rows, [[' x ', 'y']]);
});

test('parseCsv throws on an unterminated quote, too many fields and an empty file', () => {
  assert.throws(() => parseCsv('a,b\n1,"oops\n', { source: 'f.csv' }), /parseCsv\(f\.csv\): unterminated quoted field starting on or before line 2/);
  assert.throws(() => parseCsv('a,b\n1,2,3\n', { source: 'f.csv' }), /f\.csv\): line 2 has 3 fields but the header has 2/);
  assert.throws(() => parseCsv('', { source: 'f.csv' }), /empty file/);
  assert.throws(() => parseCsv('a\n', { delim: ';' } as never), /unknown option "delim"/);
});

test('column helpers match names loosely and throw on a missing column or NaN, naming file, line and column', () => {
  const t = parseCsv('Song ID, Valence_Mean ,x\n1,2.5,a\n2,nan,b\n3,,c\n', { source: 'ratings.csv' });
  assert.equal(requireColumn(t, 'song_id', 'test'), 0);
  assert.deepEqual(stringColumn(t, ['id', 'x'], 'test'), ['a', 'b', 'c']);
  assert.throws(() => requireColumn(t, ['arousal_mean', 'arousal'], 'loadX'),
    /loadX: ratings\.csv is missing the required column "arousal_mean" \(also accepted: "arousal"\); its columns are: "Song ID", "Valence_Mean", "x"/);
  assert.throws(() => numberColumn(t, 'valence mean', 'loadX'), /loadX: ratings\.csv line 3, column "Valence_Mean": "nan" is not a finite number/);
  const v = numberColumn(t, 'valence_mean', 'loadX', { missing: ['nan', ''] });
  assert.equal(v[0], 2.5);
  assert.ok(Number.isNaN(v[1]) && Number.isNaN(v[2]));
  assert.throws(() => numberColumn(t, 'x', 'loadX'), /line 2, column "x": "a" is not a finite number/);
});
