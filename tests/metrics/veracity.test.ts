/**
 * LIME veracity metrics (P2): a planted perturbation on a model f(x) = Σx - 1 (single sigmoid logit,
 * clean prediction 0) whose flips can be worked out by hand.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import {
  segmentEnergy, segmentFlipRate, limeFlipRate, energyFlipRate, topKOverlap, detectionCount, limeVeracityCurve,
} from '../../src/lib/metrics';

before(setup);

const model = (x: tf.Tensor) => tf.tidy(() => tf.sub(tf.sum(x.reshape([x.shape[0], -1]), 1, true), 1));
// 2 x 4 "spectrogram", 4 segments of 2 cells each.
const grid = [[0, 0, 1, 1], [2, 2, 3, 3]];
// Example 0: segment 0 +0.8 (energy 0.32), segment 1 -0.1 (0.005), segment 3 +0.5 (0.125): total 1.2 -> flips.
// Example 1: segment 2 +1.2 (energy 0.72), segment 1 +0.2 (0.02): total 1.4 -> flips.
const deltaRows = [
  [[0.4, 0.4, -0.05, -0.05], [0, 0, 0.25, 0.25]],
  [[0, 0, 0.1, 0.1], [0.6, 0.6, 0, 0]],
];
const lime = [[0.1, 0.9, 0.2, 0.5], [-0.3, 0.05, 0.8, -0.1]];

test('segmentEnergy sums delta² per segment (shared, per-example and channel-less segmentations)', async () => {
  const delta = tf.tensor3d(deltaRows);
  const e = await noLeak(() => segmentEnergy(delta, grid));
  [[0.32, 0.005, 0, 0.125], [0, 0.02, 0.72, 0]].forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(e[i][j] - v) < 1e-6)));
  assert.deepEqual(segmentEnergy(delta, [grid, grid]), e);
  const d4 = delta.expandDims(-1);
  assert.deepEqual(segmentEnergy(d4, grid), e);
  assert.equal(segmentEnergy(delta, grid, { nSegments: 6 })[0].length, 6);
  assert.throws(() => segmentEnergy(delta, [[0, 1, 2]]), /does not fit x/);
  assert.throws(() => segmentEnergy(delta, [[0, 0, 1, 1.5], [2, 2, 3, 3]]), /non-negative integers/);
  assert.throws(() => segmentEnergy(delta, grid, { nSegments: 2 }), /nSegments must be/);
  tf.dispose([delta, d4]);
});

test('segmentFlipRate keeps delta only in the chosen segments', async () => {
  const x = tf.zeros([2, 2, 4]);
  const delta = tf.tensor3d(deltaRows);
  const all = await noLeak(() => segmentFlipRate(model, x, delta, grid, [[0, 1, 2, 3], [0, 1, 2, 3]]));
  assert.deepEqual(all.perExample, [1, 1]);
  const some = await segmentFlipRate(model, x, delta, grid, [[0, 3], [1]]); // 1.3 -> flip; 0.2 -> no flip
  assert.deepEqual(some.perExample, [1, 0]);
  assert.equal(some.value, 0.5);
  const none = await segmentFlipRate(model, x, delta, grid, [[], []]);
  assert.deepEqual(none.perExample, [0, 0]);
  // P2's threshold 0.51 on the probability: example 0 with segment 0 only sums to 0.8 - 1 = -0.2 (p = 0.45).
  const t = await segmentFlipRate(model, x, delta, grid, [[0], [2]], { threshold: 0.45 });
  assert.deepEqual(t.perExample, [1, 1]);
  // A custom criterion: the logit rose by more than 0.5.
  const custom = await noLeak(() =>
    segmentFlipRate(model, x, delta, grid, [[0], [1]], { isFlipped: (kept, clean) => tf.tidy(() => tf.greater(tf.sub(kept, clean), 0.5).reshape([-1])) }),
  );
  assert.deepEqual(custom.perExample, [1, 0]);
  await assert.rejects(() => segmentFlipRate(model, x, delta, grid, [[0]]), /length mismatch/);
  await assert.rejects(() => segmentFlipRate(model, x, tf.zeros([2, 2, 3]), grid, [[0], [0]]), /shape mismatch/);
  await assert.rejects(() => segmentFlipRate(model, x, delta, grid, [[0], [0]], { criterion: 1 } as never), /unknown option "criterion"/);
  tf.dispose([x, delta]);
});

test('limeFlipRate vs energyFlipRate, top-k overlap and detection count', async () => {
  const x = tf.zeros([2, 2, 4]);
  const delta = tf.tensor3d(deltaRows);
  // LIME top-1: ex0 segment 1 (-0.1 - 1 < 0: no flip); ex1 segment 2 (1.2 - 1 > 0: flips).
  const l1 = await noLeak(() => limeFlipRate(model, x, delta, grid, lime, { k: 1 }));
  assert.deepEqual(l1.selected, [[1], [2]]);
  assert.deepEqual(l1.perExample, [0, 1]);
  // LIME top-2: ex0 {1, 3} -> 0.4 - 1 < 0 no flip; energy top-2: ex0 {0, 3} -> 1.3 flips.
  const l2 = await limeFlipRate(model, x, delta, grid, lime, { k: 2 });
  const e2 = await noLeak(() => energyFlipRate(model, x, delta, grid, { k: 2 }));
  assert.deepEqual(l2.perExample, [0, 1]);
  assert.deepEqual(e2.selected, [[0, 3], [2, 1]]);
  assert.deepEqual(e2.perExample, [1, 1]);
  // 'positive': ex0 all 4 segments (flip), ex1 segments {2, 1} (1.4 flips).
  const lp = await limeFlipRate(model, x, delta, grid, lime, { k: 'positive' });
  assert.deepEqual(lp.selected.map((s) => s.length), [4, 2]);
  assert.equal(lp.value, 1);
  // Energy baseline with LIME's per-example k (P2 Table 2).
  const ep = await energyFlipRate(model, x, delta, grid, { k: [4, 2] });
  assert.equal(ep.value, 1);
  const energy = segmentEnergy(delta, grid);
  const ov = topKOverlap(lime, energy, { k: 2 }); // ex0: {1,3} vs {0,3} -> 1/2; ex1: {2,1} vs {2,1} -> 1
  assert.deepEqual(ov.perExample, [0.5, 1]);
  assert.equal(ov.value, 0.75);
  const dc = detectionCount(lime, [[0, 3], [2]]); // ex0: top-2 {1,3} holds 3 -> 1; ex1: top-1 {2} -> 1
  assert.deepEqual(dc.perExample, [1, 1]);
  assert.equal(dc.fraction, 0.75);
  assert.deepEqual(detectionCount(lime, [[0, 3], [2]], { k: 4 }).perExample, [2, 1]);
  await assert.rejects(() => limeFlipRate(model, x, delta, grid, lime, {} as never), /"k" is required/);
  await assert.rejects(() => limeFlipRate(model, x, delta, grid, [lime[0]], { k: 1 }), /length mismatch/);
  await assert.rejects(() => limeFlipRate(model, x, delta, grid, [[0.1, 0.2], [0.1, 0.2]], { k: 1 }), /4 segments but weights rows have 2/);
  assert.throws(() => topKOverlap(lime, [[1, 2, 3], [1, 2, 3]], { k: 1 }), /length mismatch in row 0/);
  assert.throws(() => detectionCount(lime, [[7], [0]]), /not a segment id/);
  assert.throws(() => topKOverlap(lime, [[1, 2, NaN, 0], [1, 2, 3, 4]], { k: 1 }), /NaN/);
  tf.dispose([x, delta]);
});

test('limeVeracityCurve: energy curve at or above LIME here; k = K keeps all of delta', async () => {
  const x = tf.zeros([2, 2, 4, 1]);
  const delta = tf.tensor3d(deltaRows).expandDims(-1);
  const r = await noLeak(() => limeVeracityCurve(model, x, delta, grid, lime));
  assert.deepEqual(r.ks, [1, 2, 3, 4]);
  // ex0 flips only with all 4 LIME segments (top-3 {1, 3, 2} sums to 0.4 < 1); ex1 flips from k = 1.
  assert.deepEqual(r.lime, [0.5, 0.5, 0.5, 1]);
  assert.deepEqual(r.energy, [0.5, 1, 1, 1]); // ex0 needs its two highest-energy segments {0, 3}
  assert.equal(r.overlap[3], 1);
  r.energy.forEach((e, i) => assert.ok(e >= r.lime[i]));
  tf.dispose([x, delta]);
});
