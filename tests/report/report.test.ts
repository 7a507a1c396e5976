import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as report from '../../src/lib/report';
import { readWav } from '../../src/lib/audio/wav';
import { scale, byScale } from '../../src/lib/papers';

process.env.ROBUSTLENS_FIGURES = mkdtempSync(join(tmpdir(), 'rl-fig-'));
process.env.ROBUSTLENS_QUIET = '1';
after(() => report.closeBrowser());

test('tables: CSV keeps full precision and quotes, HTML rounds, bad records are rejected', () => {
  const rows = [{ model: 'A2E', corr: 0.73456789, note: 'a, "b"' }, { model: 'A2M2E', corr: 0.67, note: '' }];
  const csv = report.toCsv(rows);
  assert.equal(csv, 'model,corr,note\nA2E,0.73456789,"a, ""b"""\nA2M2E,0.67,\n');
  assert.match(report.toHtml(rows, { digits: 2 }), /<td style="text-align:right">0\.73<\/td>/);
  assert.throws(() => report.frame([{ a: 1 }, { b: 2 }]), /record 1 has keys \[b\], expected \[a\]/);
  report.showTable(rows, { name: 'unit_table' });
  assert.equal(readFileSync(join(report.figuresDir(), 'unit_table.csv'), 'utf8'), csv);
  assert.throws(() => report.showTable(rows, { name: '../escape' }), /must use only letters/);
});

test('figure builders are pure JSON specs and check their inputs', () => {
  const spec = report.lineFigure({ x: [1, 2, 3], series: [{ name: 's', y: [1, 4, 9] }], title: 't' });
  assert.deepEqual(spec.data[0].y, [1, 4, 9]);
  assert.equal(JSON.stringify(spec), JSON.stringify(report.lineFigure({ x: [1, 2, 3], series: [{ name: 's', y: [1, 4, 9] }], title: 't' })));
  assert.throws(() => report.lineFigure({ x: [1, 2], series: [{ name: 's', y: [1] }] }), /series "s" has 1 values, x has 2/);
  const grid = report.mapGridFigure({ maps: [{ title: 'a', z: [[1, -2]], diverging: true }, { title: 'b', z: [[0, 1]] }], cols: 2 });
  assert.equal(grid.data.length, 2);
  assert.equal(grid.data[0].zmin, -2);
  assert.equal(grid.data[1].yaxis, 'y2');
});

test('saving a figure writes HTML and JSON, and a PNG where Chromium exists', async () => {
  const spec = report.barFigure({ categories: ['a', 'b'], series: [{ name: 'x', values: [1, 2] }] });
  const r = await report.saveFigure(spec, 'unit_bar');
  assert.ok(existsSync(r.html) && existsSync(r.json));
  assert.deepEqual(JSON.parse(readFileSync(r.json, 'utf8')), JSON.parse(JSON.stringify(spec)));
  if (report.chromiumPath()) {
    assert.ok(r.png && existsSync(r.png));
    const b = readFileSync(r.png!);
    assert.deepEqual([...b.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  } else assert.equal(r.png, null);
});

test('audio player embeds a WAV that decodes back to the signal', () => {
  const sr = 8000;
  const x = new Float32Array(800).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / sr));
  const html = report.audioHtml(x, sr, 'tone');
  const b64 = /base64,([^"]+)"/.exec(html)![1];
  const wav = readWav(new Uint8Array(Buffer.from(b64, 'base64')));
  assert.equal(wav.sampleRate, sr);
  assert.equal(wav.channels[0].length, 800);
  assert.ok(Math.abs(wav.channels[0][100] - x[100]) < 1e-4);
  assert.throws(() => report.audioHtml(new Float32Array([0, NaN]), sr), /non-finite sample at index 1/);
});

test('progress line shows count, percentage, rate and time left', () => {
  const s = report.progressLine('train', 5, 10, 2, { loss: 0.5 });
  assert.match(s, /5\/10 50% \| 2\.50\/s \| left ~2\.0 s \| loss 0\.5000/);
  assert.match(report.progressLine('t', 10, 10, 4), /took 4\.0 s/);
});

test('a bar finished without a tick says the work came from the cache; a bar that ran says how long it took', () => {
  const lines: string[] = [];
  const write = process.stderr.write;
  process.env.ROBUSTLENS_PROGRESS = '1';
  (process.stderr as any).write = (s: string) => (lines.push(s.trim()), true);
  try {
    report.progress(5, 'train A2E').done();
    const bar = report.progress(2, 'train A2B2E');
    bar.tick();
    bar.done();
  } finally {
    (process.stderr as any).write = write;
    delete process.env.ROBUSTLENS_PROGRESS;
  }
  assert.equal(lines[0], 'train A2E: loaded from cache (nothing to run)');
  assert.match(lines[lines.length - 1], /^train A2B2E \[#+\] 2\/2 100% .*took/);
});

test('scale knob: default demo, unknown value is a clear error', () => {
  assert.equal(scale({}), 'demo');
  assert.equal(scale({ ROBUSTLENS_SCALE: 'smoke' }), 'smoke');
  assert.throws(() => scale({ ROBUSTLENS_SCALE: 'huge' }), /"huge" is not a scale\. Valid: smoke, demo, paper/);
  assert.equal(byScale({ smoke: 1, demo: 2, paper: 3 }, 'paper'), 3);
});

test('mapRows reduces channels, picks an example and transposes spectrograms', async () => {
  const tf = await import('@tensorflow/tfjs');
  const x = tf.tensor4d([1, -1, 2, -2, 3, -3, 4, -4, 5, 5, 6, 6, 7, 7, 8, 8], [2, 2, 2, 2]);
  assert.deepEqual(report.mapRows(x, { index: 0, channels: 'mean' }), [[0, 0], [0, 0]]);
  assert.deepEqual(report.mapRows(x, { index: 0, channels: 'sumAbs' }), [[2, 4], [6, 8]]);
  assert.deepEqual(report.mapRows(x, { index: 1, channels: 'first' }), [[5, 6], [7, 8]]);
  assert.throws(() => report.mapRows(x, { index: 2 }), /index 2 out of range/);
  x.dispose();
  // frames x bins -> bins as rows, highest bin first
  // [frames, bins] -> rows = bins, lowest bin first; heatmapFigure draws row 0 at the bottom (plotly's default y axis)
  const rows = report.mapRows({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] }, { transpose: true });
  assert.deepEqual(rows, [[1, 4], [2, 5], [3, 6]]);
  const heat = report.heatmapFigure({ z: rows });
  assert.deepEqual(heat.data[0].z[0], [1, 4], 'the lowest bin is row 0');
  assert.notEqual(heat.layout.yaxis.autorange, 'reversed', 'row 0 at the bottom');
  const grid = report.mapGridFigure({ cols: 2, maps: [{ title: 'img', z: rows }, { title: 'spec', z: rows, origin: 'lower' }] });
  assert.deepEqual([grid.layout.yaxis.autorange, grid.layout.yaxis2.autorange], ['reversed', true]);
});
