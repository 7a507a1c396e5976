// Result tables: one tfjs in the process with danfojs loaded, danfojs DataFrames rendered by
// showTable (query, groupby, describe), cell formatting and long tables.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { inspect } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import * as report from '../../src/lib/report';
import { setup } from '../helpers';
import { GRADIENT_FIXES } from '../../src/lib/engine/kernels';

process.env.ROBUSTLENS_FIGURES = mkdtempSync(join(tmpdir(), 'rl-tab-'));
process.env.ROBUSTLENS_QUIET = '1';
before(() => setup());

const rows = [
  { model: 'A2E', seed: 0, corr: 0.7 },
  { model: 'A2E', seed: 1, corr: 0.8 },
  { model: 'A2M2E', seed: 0, corr: 0.6 },
  { model: 'A2M2E', seed: 1, corr: NaN },
];

test('one tfjs in the process after a table is shown: danfojs runs on our instance and the gradient fixes stay', () => {
  report.showTable(rows, { name: 'one_tfjs' });
  // danfojs-node reads tf from this module; with the shim it is the project's @tensorflow/tfjs object
  const danfoTf = require('danfojs-node/dist/danfojs-base/shared/tensorflowlib').default;
  assert.ok(danfoTf === require('@tensorflow/tfjs'), 'danfojs-node sees the same tfjs module object');
  assert.ok(danfoTf.engine() === tf.engine(), 'one engine');
  const bundles = Object.keys(require.cache).filter((k) => /[\\/]tf\.node\.js$/.test(k));
  assert.equal(bundles.length, 1, `one tfjs bundle loaded, got ${bundles.join(', ')}`);
  for (const c of GRADIENT_FIXES) assert.equal(tf.getGradient(c.kernelName), c, `${c.kernelName}: the engine's gradient, not tfjs' stock one`);
  const df = report.frame(rows);
  const t = df.tensor; // a danfojs tensor is a tensor of our engine
  assert.ok(t instanceof tf.Tensor);
  t.dispose();
});

test('result tables are danfojs DataFrames: query, groupby and describe render through showTable', () => {
  const df = report.frame(rows);
  const q = df.query(df['corr'].gt(0.65));
  assert.equal(report.toText(q), 'model  seed  corr\nA2E    0     0.700\nA2E    1     0.800');
  const g = df.groupby(['model']).agg({ corr: 'mean' });
  assert.match(report.toText(g), /A2E\s+0\.750/);
  const d = df.describe();
  const text = report.toText(d);
  assert.match(text.split('\n')[0], /^\s+seed\s+corr$/, 'index column first, unnamed');
  assert.match(text, /^count\s+4\s+3$/m);
  assert.match(report.toHtml(d), /<td style="text-align:left">mean<\/td>/);
  // a DataFrame left as a cell's last expression prints as the table
  assert.equal(inspect(q), report.toText(q));
});

test('cells: integers without decimals, NaN as n/a, infinities, small and large values in exponent form', () => {
  assert.equal(report.formatCell(55), '55');
  assert.equal(report.formatCell(100 * 0.55), '55', '55.00000000000001 is an integer up to rounding');
  assert.equal(report.formatCell(55.0004), '55.000');
  assert.equal(report.formatCell(0.12345, 2), '0.12');
  assert.equal(report.formatCell(NaN), 'n/a');
  assert.equal(report.formatCell(-Infinity), '-inf');
  assert.equal(report.formatCell(2.5e-5), '2.50e-5');
  assert.equal(report.formatCell(null), '');
  assert.match(report.toHtml(rows), /<td style="text-align:right">n\/a<\/td>/);
  assert.equal(report.toCsv(rows).split('\n')[4], 'A2M2E,1,NaN', 'CSV keeps NaN machine-readable');
});

test('long tables show a head and name the CSV holding every row, with a link relative to the notebook', () => {
  const many = Array.from({ length: 45 }, (_, i) => ({ i, sq: i * i }));
  const prev = process.env.ROBUSTLENS_LINK_BASE;
  process.env.ROBUSTLENS_LINK_BASE = join(process.env.ROBUSTLENS_FIGURES!, 'notebooks', 'executed');
  try {
    const csv = report.saveTable(many, 'long_table');
    const text = report.toText(many, { maxRows: 20, csv });
    const lines = text.split('\n');
    assert.equal(lines.length, 1 + 20 + 1);
    assert.equal(lines[21], '25 more rows in figures/long_table.csv');
    assert.match(report.toHtml(many, { maxRows: 20, csv }), /25 more rows in <a href="\.\.\/\.\.\/long_table\.csv" target="_blank">figures\/long_table\.csv<\/a>/);
    assert.equal(readFileSync(csv, 'utf8').trim().split('\n').length, 46, 'the CSV has every row');
    assert.match(report.toText(many, { maxRows: 20 }), /25 more rows not shown/);
  } finally {
    if (prev === undefined) delete process.env.ROBUSTLENS_LINK_BASE;
    else process.env.ROBUSTLENS_LINK_BASE = prev;
  }
});
