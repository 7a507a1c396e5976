// Publishing executed notebooks within the size budget, and the results check that compares a
// fresh run's tables with the committed ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHtml } from '../../src/lib/report/table';
import { writeWav, readWav } from '../../src/lib/audio/wav';

const pub = () => import('../../scripts/notebook/publish.mjs');
const check = () => import('../../scripts/check-results.mjs');

const tableOutput = (rows: Record<string, unknown>[], name: string, title: string) => ({
  output_type: 'display_data',
  data: { 'text/html': [toHtml(rows as any, { title })], 'text/plain': [title] },
  metadata: { robustlens: { table: { name, digits: 3, volatile: [] } } },
});
const nbWith = (outputs: object[]) => ({ cells: [{ cell_type: 'code', source: ['x'], outputs, execution_count: 1, metadata: {} }], metadata: {}, nbformat: 4, nbformat_minor: 4 });

test('figure data is rounded to 4 significant digits; integers and strings stay', async () => {
  const { roundDeep } = await pub();
  assert.deepEqual(roundDeep({ z: [[0.123456789, 12345.678]], x: [1, 2], name: 'a', w: 800, n: null }), { z: [[0.1235, 12350]], x: [1, 2], name: 'a', w: 800, n: null });
});

test('audio is cut to its first seconds, and the cut WAV still decodes', async () => {
  const { cutWav } = await pub();
  const sr = 8000;
  const x = new Float32Array(10 * sr).map((_, i) => 0.3 * Math.sin(i / 10));
  const b64 = Buffer.from(writeWav(x, sr, { bitDepth: 16 })).toString('base64');
  const r = cutWav(b64, 4);
  assert.equal(r.total, 10);
  const wav = readWav(new Uint8Array(Buffer.from(r.b64, 'base64')));
  assert.equal(wav.channels[0].length, 4 * sr);
  assert.ok(Math.abs(wav.channels[0][123] - x[123]) < 1e-4);
  assert.equal(cutWav(r.b64, 4).b64, r.b64, 'a short clip is left alone');
});

test('published notebooks keep each PNG once, drop the inline plotly.js and record their tables', async () => {
  const { publishable } = await pub();
  const fig = (png: string) => ({
    output_type: 'display_data',
    data: {
      'application/vnd.plotly.v1+json': { data: [{ y: [0.111111, 2] }], layout: {} },
      'text/html': ['<script data-robustlens-plotly="2">HUGE</script><div class="robustlens-figure" id="robustlens-fig-a-1"></div><script>draw</script><div style="font-size:small"><a href="../figures/a.html" target="_blank">interactive: figures/a.html</a></div>'],
      'image/png': png,
      'text/plain': ['[figure a]'],
    },
    metadata: { robustlens: { figure: 'a' } },
  });
  const { nb, tables } = publishable(nbWith([fig('UE5H'), fig('UE5H'), tableOutput([{ a: 1 }], 't1', 'T')]));
  const outs = nb.cells[0].outputs;
  assert.equal(outs[0].data['image/png'], 'UE5H');
  assert.equal(outs[1].data['image/png'], undefined, 'the same PNG is stored once');
  const html = outs[0].data['text/html'].join('');
  assert.doesNotMatch(html, /HUGE/);
  assert.match(html, /data-robustlens-plotly-loader/);
  assert.match(html, /0\.1111/);
  assert.doesNotMatch(html, /href=/, 'no link into the uncommitted figures/ folder');
  assert.match(html, /interactive: figures\/a\.html \(written when the notebook runs\)/);
  assert.deepEqual(outs[0].data['application/vnd.plotly.v1+json'].data[0].y, [0.1111, 2]);
  assert.deepEqual(tables, ['t1']);
});

test('the results check names the table and the first differing cell; a rounding flip and time columns pass', async () => {
  const { tablesOf, tableDiff, csvDiff } = await check();
  const rows = [{ model: 'A2E', corr: 0.7, trainSeconds: 12 }, { model: 'A2M2E', corr: 0.6, trainSeconds: 30 }];
  const committed = tablesOf(nbWith([tableOutput(rows, 'p1_table1', 'Table 1')]))[0];
  assert.deepEqual(committed.columns, ['model', 'corr', 'trainSeconds']);
  assert.deepEqual(committed.rows[1], ['A2M2E', '0.600', '30']);
  const same = tablesOf(nbWith([tableOutput([{ ...rows[0], trainSeconds: 99 }, { ...rows[1], corr: 0.6004 }], 'p1_table1', 'Table 1')]))[0];
  assert.equal(tableDiff(committed, same), null, 'time column ignored; 0.600 vs 0.600');
  const changed = tablesOf(nbWith([tableOutput([rows[0], { ...rows[1], corr: 0.55 }], 'p1_table1', 'Table 1')]))[0];
  assert.equal(tableDiff(committed, changed), 'table "Table 1" (p1_table1): first difference at row 2, column "corr": committed "0.600", now "0.550"');
  assert.match(tableDiff(committed, undefined)!, /not shown any more/);
  const csv = 'model,corr\nA2E,0.7\nA2M2E,0.6\n';
  assert.equal(csvDiff('t', csv, 'model,corr\nA2E,0.7000000001\nA2M2E,0.6\n'), null);
  assert.equal(csvDiff('t', csv, 'model,corr\nA2E,0.7\nA2M2E,0.61\n'), 'results/t.csv: first difference at row 2, column "corr": committed "0.6", now "0.61"');
});

test('a published long table links its committed results/ CSV, not the uncommitted figures/ one', async () => {
  const { publishable } = await pub();
  const rows = Array.from({ length: 25 }, (_, i) => ({ i, v: i / 7 }));
  const out = {
    output_type: 'display_data',
    data: {
      'text/html': [toHtml(rows as any, { title: 'Long', maxRows: 20, csv: '/somewhere/figures/p9_long.csv' })],
      'text/plain': ['Long\n5 more rows in figures/p9_long.csv'],
    },
    metadata: { robustlens: { table: { name: 'p9_long', digits: 3, volatile: [] } } },
  };
  const before = out.data['text/html'].join('');
  assert.match(before, /5 more rows in <a href="[^"]*p9_long\.csv"/, 'the fixture has the link the report layer writes');
  const { nb, tables } = publishable(nbWith([out]));
  const o = nb.cells[0].outputs[0];
  const html = o.data['text/html'].join('');
  assert.match(html, /5 more rows in <a href="\.\.\/results\/p9_long\.csv" target="_blank">results\/p9_long\.csv<\/a>/);
  assert.doesNotMatch(html, /figures\//);
  assert.match(o.data['text/plain'].join(''), /more rows in results\/p9_long\.csv/);
  assert.deepEqual(tables, ['p9_long']);
  assert.equal(out.data['text/html'].join(''), before, 'the executed notebook itself is left alone');
});

test('over the size budget, the biggest figures with a PNG become pictures only, largest first, until the notebook fits', async () => {
  const { fitBudget } = await pub();
  const fig = (name: string, n: number, png: string | undefined) => ({
    output_type: 'display_data',
    data: {
      'application/vnd.plotly.v1+json': { data: [{ y: Array.from({ length: n }, (_, i) => i) }], layout: {} },
      'text/html': ['<div>draw</div>'],
      ...(png ? { 'image/png': png } : {}),
      'text/plain': [`[figure ${name}]`],
    },
    metadata: { robustlens: { figure: name } },
  });
  const size = (nb: object) => Buffer.byteLength(`${JSON.stringify(nb, null, 1)}\n`);
  const nb = nbWith([fig('small', 100, 'UE5H'), fig('big', 20000, 'UE5H'), fig('nopng', 30000, undefined), fig('mid', 5000, 'UE5I')]);
  const total = size(nb);
  assert.deepEqual(fitBudget(structuredClone(nb), total), [], 'within budget: nothing changes');
  const budget = total - 10000; // dropping 'big' (the largest with a PNG) is enough
  const copy = structuredClone(nb);
  assert.deepEqual(fitBudget(copy, budget), ['big']);
  assert.ok(size(copy) <= budget);
  const big = copy.cells[0].outputs[1] as any;
  assert.equal(big.data['image/png'], 'UE5H');
  assert.equal(big.data['application/vnd.plotly.v1+json'], undefined);
  assert.equal(big.data['text/html'], undefined);
  assert.match(big.data['text/plain'].join(''), /picture only/);
  assert.ok((copy.cells[0].outputs[2] as any).data['application/vnd.plotly.v1+json'], 'a figure without a PNG keeps its data (nothing else would show)');
  const tight = structuredClone(nb);
  assert.deepEqual(fitBudget(tight, 1000), ['big', 'mid', 'small'], 'never fits: every figure with a PNG flattened, the caller then refuses');
});

test('every committed notebook is within the 5 MB budget, and one committed with outputs says it was published at demo scale', async () => {
  const { MAX_BYTES } = await pub();
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dir = join(__dirname, '..', '..', 'notebooks');
  const names = readdirSync(dir).filter((n) => n.endsWith('.ipynb'));
  assert.ok(names.length >= 5, `expected the five notebooks in ${dir}`);
  for (const n of names) {
    assert.ok(statSync(join(dir, n)).size <= MAX_BYTES, `${n} is over the ${MAX_BYTES / 1e6} MB budget`);
    const nb = JSON.parse(readFileSync(join(dir, n), 'utf8'));
    const hasOutputs = nb.cells.some((c: { outputs?: unknown[] }) => (c.outputs ?? []).length > 0);
    if (hasOutputs) assert.equal(nb.metadata?.robustlens?.published?.scale, 'demo', `${n} has outputs but was not published by npm run reproduce -- --publish`);
  }
});
