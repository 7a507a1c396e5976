/**
 * P1 statistics the authors' way, and the replay of their published attack logs (data/hoedt2025-attack-logs):
 * the replay must reproduce the paper's printed Fig. 3 medians, correlations after attack, SNRs and t-tests.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, noLeak } from '../helpers';
import * as P from '../../src/lib/papers/hoedt2025';

before(setup);

const rec = (excerpt: string, yTrue: number[], predClean: number[], predLast: number[], snrDb = 30, predKept?: number[]): P.ExcerptRecord =>
  ({ excerpt, yTrue, predClean, predLast, snrDb, ...(predKept ? { predKept } : {}) });
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('mae / maeIncrease / perExcerptMae / corrAvg / meanSnrDb: hand-computed values; last vs kept named and distinct', () => {
  const ex = [
    rec('1', [0, 1], [0.1, 0.9], [1, 0], 20, [0.5, 0.5]),
    rec('2', [1, 0], [0.8, 0.3], [0, 1], 40, [0.5, 0.5]),
    rec('3', [0.5, 0.5], [0.5, 0.5], [0.5, 0.5], 30, [0.5, 0.5]),
  ];
  close(P.mae(ex, 'clean'), (0.1 + 0.1 + 0.2 + 0.3) / 6);
  close(P.mae(ex, 'last'), (1 + 1 + 1 + 1) / 6);
  close(P.mae(ex, 'kept'), (0.5 + 0.5 + 0.5 + 0.5) / 6);
  close(P.maeIncrease(ex), 4 / 6 - 0.7 / 6);
  close(P.maeIncrease(ex, 'kept'), 2 / 6 - 0.7 / 6);
  assert.deepEqual(P.perExcerptMae(ex, 'last'), [1, 1, 0]);
  // column 0: true (0, 1, .5), last (1, 0, .5) -> r = -1; column 1: true (1, 0, .5), last (0, 1, .5) -> r = -1
  close(P.corrAvg(ex, 'last'), -1);
  close(P.meanSnrDb(ex), 30);
  assert.throws(() => P.corrAvg(ex.slice(0, 1), 'clean'), /at least 2 excerpts/);
  assert.throws(() => P.mae([rec('x', [0, 1], [0], [0, 1])], 'clean'), /1 predicted values for 2 ratings/);
  assert.throws(() => P.mae([rec('x', [0, 1], [0, 1], [0, 1])], 'kept'), /no predKept.*use 'last'/);
});

test('pairedMaeTest pairs by (seed, excerpt id): excerpt order does not matter; different seeds or excerpts are errors', () => {
  const mk = (kind: P.ModelKind, seed: number, ids: string[], err: number[]): P.AttackRun => ({
    kind, seed, excerpts: ids.map((id, i) => rec(id, [0, 0], [0, 0], [err[i], err[i]])),
  });
  const a = [mk('A2E', 1, ['a', 'b', 'c'], [1, 2, 4]), mk('A2E', 2, ['a', 'b', 'c'], [2, 2, 3])];
  const b = [mk('A2M2E', 1, ['c', 'a', 'b'], [1, 0.5, 1]), mk('A2M2E', 2, ['a', 'b', 'c'], [1, 1.5, 1])];
  const r = P.pairedMaeTest([...a, ...b], 'A2E', 'A2M2E');
  const d = [0.5, 1, 3, 1, 0.5, 2];
  const m = d.reduce((s, v) => s + v) / 6;
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / 5);
  close(r.meanDiff, m);
  close(r.t, m / (sd / Math.sqrt(6)), 1e-9);
  assert.equal(r.n, 6);
  assert.throws(() => P.pairedMaeTest([...a, b[0]], 'A2E', 'A2M2E'), /different seeds/);
  assert.throws(() => P.pairedMaeTest([...a, b[0], mk('A2M2E', 2, ['a', 'b', 'z'], [1, 1, 1])], 'A2E', 'A2M2E'), /excerpt c of A2E was not attacked for A2M2E/);
  assert.throws(() => P.pairedMaeTest(a, 'A2E', 'A2M2E'), /no runs of A2M2E/);
});

test('fig3Table: median over seeds of the MAE increase, mean over seeds of corrAfter and SNR', () => {
  const mk = (seed: number, inc: number, snr: number): P.AttackRun => ({
    kind: 'A2E', seed, excerpts: [rec('1', [0, 1], [0, 1], [inc, 1 - inc], snr), rec('2', [1, 0], [1, 0], [1 - inc, inc], snr)],
  });
  const [row] = P.fig3Table([mk(1, 0.1, 10), mk(2, 0.2, 20), mk(3, 0.9, 60)]);
  assert.equal(row.model, 'A2E');
  assert.equal(row.seeds, 3);
  close(row.maeIncrease, 0.2);
  close(row.snrDb, 30);
  close(row.corrAfter, (1 + 1 - 1) / 3); // r = 1 while inc < 0.5, -1 beyond
});

test('fig4Spread: min, max and mean distance outside [0, 1] per model and emotion', () => {
  const runs: P.AttackRun[] = [{ kind: 'A2M2E', seed: 21, excerpts: [rec('1', [0, 0], [0, 0], [-1, 0.5]), rec('2', [0, 0], [0, 0], [3, 0.2])] }];
  const [r0, r1] = P.fig4Spread(runs, { emotions: [0, 1], names: ['e0', 'e1'] });
  assert.deepEqual([r0.min, r0.max, r0.meanOutside, r0.n], [-1, 3, 1.5, 2]);
  assert.deepEqual([r1.min, r1.max, r1.meanOutside], [0.2, 0.5, 0]);
  assert.throws(() => P.fig4Spread(runs, { emotions: [0], names: ['a'], seed: 6 }), /no runs with seed 6/);
});

test('approxSnrDb: scaling delta by a gives -10 log10(a) dB (power-1/2 magnitude), equals a direct loop, shapes checked, no leak', async () => {
  const pinv = P.p1FilterbankPinv();
  assert.deepEqual(pinv.shape, [149, 1025]);
  const x = tf.randomUniform([2, 3, 149, 1], 0.5, 2, 'float32', 1);
  const d = x.mul(0.01);
  await noLeak(() => {
    const s = P.approxSnrDb(x, d);
    s.forEach((v) => close(v, 20, 1e-3));
  });
  // a direct loop over cells, on a random signed delta
  const delta = tf.randomNormal([1, 2, 149], 0, 0.1, 'float32', 2);
  const x1 = x.slice([0, 0, 0, 0], [1, 2, 149, 1]).reshape([1, 2, 149]);
  const ref = (v: Float32Array) => {
    const K = 1025, out: number[] = [];
    for (let f = 0; f < 2; f++) {
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let b = 0; b < 149; b++) s += v[f * 149 + b] * pinv.data[b * K + k];
        out.push(20 * Math.log10(Math.max(1e-5, Math.sqrt(Math.max(0, s)))));
      }
    }
    const top = Math.max(...out);
    return out.map((db) => Math.max(db, top - 80));
  };
  const dx = ref(x1.dataSync() as Float32Array), dd = ref(delta.dataSync() as Float32Array);
  close(P.approxSnrDb(x1, delta)[0], dx.reduce((s, v, i) => s + v - dd[i], 0) / dx.length, 1e-2);
  assert.throws(() => P.approxSnrDb(x1, d), /x is \[1,2,149\] but delta is/);
  assert.throws(() => P.approxSnrDb(tf.zeros([1, 2, 10]), tf.zeros([1, 2, 10])), /expected x of shape \[n, frames, 149\]/);
  tf.dispose([x, d, delta, x1]);
});

test('approxSnrDbDetail: the SNR is mean dB(x) - mean dB(delta); a sparse input (mostly below the mean) sits mostly at its floor and lowers the SNR', () => {
  // same delta; x1 dense (all cells positive), x2 sparse (80 % of cells negative: magnitude 0, i.e. at the floor)
  const delta = tf.randomNormal([1, 4, 149], 0, 0.05, 'float32', 3);
  const dense = tf.randomUniform([1, 4, 149], 0.5, 2, 'float32', 4);
  const sparse = tf.tidy(() => dense.mul(tf.randomUniform([1, 4, 149], 0, 1, 'float32', 5).less(0.2).cast('float32').mul(2).sub(1)));
  const [a] = P.approxSnrDbDetail(dense, delta), [b] = P.approxSnrDbDetail(sparse, delta);
  for (const r of [a, b]) close(r.snrDb, r.meanDbX - r.meanDbDelta, 1e-2);
  close(a.snrDb, P.approxSnrDb(dense, delta)[0], 1e-6);
  assert.ok(a.floorShareX < 0.2 && b.floorShareX > 0.5, `floor shares ${a.floorShareX}, ${b.floorShareX}`);
  close(a.floorShareDelta, b.floorShareDelta, 1e-9);
  assert.ok(b.snrDb < a.snrDb - 10, `sparse ${b.snrDb} vs dense ${a.snrDb}`);
  tf.dispose([delta, dense, sparse]);
});

test('loadAuthorsLogs: numpy row strings over several lines; missing files and malformed rows are clear errors', () => {
  assert.deepEqual(P.parseNumpyRow('[[ 0.5  -1.25\n  3e-1 ]]', 'here'), [0.5, -1.25, 0.3]);
  assert.throws(() => P.parseNumpyRow('[0.5, 1]', 'here'), /here: expected a numpy array string/);
  assert.throws(() => P.parseNumpyRow('[[0.5 x]]', 'here'), /non-numeric/);
  const dir = mkdtempSync(join(tmpdir(), 'p1logs-'));
  assert.throws(() => P.loadAuthorsLogs(dir), /models.csv not found/);
  writeFileSync(join(dir, 'models.csv'), 'run,seed,architecture\nr1,6,A2E\n');
  assert.throws(() => P.loadAuthorsLogs(dir), /runs\/r1\/log.csv not found/);
  mkdirSync(join(dir, 'runs', 'r1'), { recursive: true });
  const row = `['001.mp3.spec'],1000,30.5,1.0,False,[[0.1 0.2]],"[[0.1\n 0.2]]","[[1 2]]",-0.9`;
  writeFileSync(join(dir, 'runs', 'r1', 'log.csv'), `file,epoch,db,norm,converged,true-label,orig-pred,new-pred,adv-target\n${row}\n`);
  assert.throws(() => P.loadAuthorsLogs(dir), /has 1 excerpts, expected 36/);
  const [r] = P.loadAuthorsLogs(dir, { excerpts: 1 });
  assert.deepEqual(r, { kind: 'A2E', seed: 6, excerpts: [{ excerpt: '001', yTrue: [0.1, 0.2], predClean: [0.1, 0.2], predLast: [1, 2], snrDb: 30.5 }] });
  writeFileSync(join(dir, 'models.csv'), 'run,seed,architecture\nr1,6,a2x\n');
  assert.throws(() => P.loadAuthorsLogs(dir, { excerpts: 1 }), /unknown architecture "a2x"/);
});

test('replay of the authors\' 50 logs reproduces the paper to the printed precision (Fig. 3, t-tests, SNR) and Fig. 4\'s spread', () => {
  const runs = P.loadAuthorsLogs();
  assert.equal(runs.length, 50);
  assert.ok(runs.every((r) => r.excerpts.length === 36));
  const r = P.replayAuthors(runs);
  const f = Object.fromEntries(r.fig3.map((x) => [x.model, x]));
  assert.deepEqual(r.fig3.map((x) => x.maeIncrease.toFixed(2)), ['1.62', '1.52', '0.98', '0.97', '1.00']);
  assert.deepEqual(r.fig3.map((x) => x.corrAfter.toFixed(2)), ['-0.32', '-0.36', '-0.49', '-0.37', '-0.42']);
  assert.deepEqual(r.fig3.map((x) => x.snrDb.toFixed(1)), ['35.3', '36.1', '36.5', '32.3', '32.7']);
  assert.ok(f.A2E && r.fig3Paper.every((x) => x.agrees), 'every Fig. 3 row agrees with the paper');
  assert.deepEqual(r.tTests.map((t) => [t.a, t.b, t.t.toFixed(1), t.n]), [['A2E', 'A2M2E', '13.0', 360], ['A2B2E', 'A2M2E', '12.1', 360]]);
  assert.ok(r.tTests.every((t) => t.p < 1e-20));
  assert.ok(r.tTestsPaper.every((t) => t.agrees));
  // Table 1 from the logs' clean predictions: A2E and A2B2E as printed; the other three 0.01 above the printed correlation
  assert.deepEqual(r.table1.map((t) => t.corr.toFixed(2)), ['0.73', '0.70', '0.68', '0.68', '0.67']);
  assert.deepEqual(r.table1.map((t) => t.agrees), [true, true, false, false, false]);
  // Fig. 4 (seed 21): A2B2E's tender spreads over -6.2..6.6, A2M2E's over -1.9..1.8
  const tender = (m: string) => r.fig4.find((x) => x.model === m && x.emotion === 'tender')!;
  assert.deepEqual([tender('A2B2E').min.toFixed(1), tender('A2B2E').max.toFixed(1)], ['-6.2', '6.6']);
  assert.deepEqual([tender('A2M2E').min.toFixed(1), tender('A2M2E').max.toFixed(1)], ['-1.9', '1.8']);
  assert.ok(tender('A2B2E').meanOutside > 2 * tender('A2M2E').meanOutside);
  assert.equal(r.perSeed.length, 50);
});

test('the carried logs are byte-identical to the shared shelf copy (skipped when ../shared is absent)', (t) => {
  const shelf = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'hoedt2025-attack-logs');
  const ours = join(__dirname, '..', '..', 'data', 'hoedt2025-attack-logs');
  if (!existsSync(shelf)) { t.skip('no shared shelf here'); return; }
  const runs = readdirSync(join(shelf, 'runs'));
  assert.equal(runs.length, 50);
  for (const f of ['LICENSE', 'models.csv', ...runs.flatMap((r) => [`runs/${r}/log.csv`, `runs/${r}/hparams.yaml`])]) {
    assert.ok(readFileSync(join(ours, f)).equals(readFileSync(join(shelf, f))), f);
  }
});
