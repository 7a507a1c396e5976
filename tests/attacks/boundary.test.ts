import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { cwL2, boundarySearch, refineBoundary, BOUNDARY_EPSILONS } from '../../src/lib/attacks';
import { linear2, pointsAt, trainedClassifier, accuracy } from './fixtures';

before(setup);

const W = [0.8, -0.5, 0.3, -0.1];
const B = -0.4;

test('C&W-L2 finds a point just across the analytic boundary of a linear model', async () => {
  const m = linear2(W, B);
  const xs = pointsAt(W, B, [0.2, -0.3, 0.12], [0.5, 0.5, 0.5, 0.5]);
  const ys = m.margin(xs).map((v) => (v > 0 ? 1 : 0));
  const dist = m.dist(xs);
  const x = tf.tensor2d(xs);
  const r = await noLeak(async () => {
    const r = await cwL2(m.fn, x, ys, { steps: 100, binarySearchSteps: 6, lr: 0.05, initialConst: 1, range: null });
    const adv = r.xAdv.arraySync() as number[][];
    r.xAdv.dispose();
    return { ...r, adv };
  });
  assert.deepEqual(r.success, [true, true, true]);
  r.l2.forEach((v, i) => assert.ok(v >= dist[i] - 1e-4 && v <= dist[i] * 1.1, `example ${i}: C&W distance ${v}, analytic ${dist[i]}`));
  // the point is across: the margin changed sign
  m.margin(r.adv).forEach((v, i) => assert.ok(Math.sign(v) !== Math.sign(m.margin(xs)[i]) || v === 0));
  x.dispose();
});

test('C&W-L2 in the tanh box lowers accuracy, stays in [0, 1]; masks and a sigmoid detector work', async () => {
  const c = trainedClassifier();
  const x = tf.tensor2d(c.xs.slice(0, 9));
  const ys = c.ys.slice(0, 9);
  const r = await cwL2(c.fn, x, ys, { steps: 60, binarySearchSteps: 4, lr: 0.05, initialConst: 1 });
  assert.ok(accuracy(c.fn, r.xAdv, ys) < 0.5);
  const [mn, mx] = tf.tidy(() => [r.xAdv.min().dataSync()[0], r.xAdv.max().dataSync()[0]]);
  assert.ok(mn >= 0 && mx <= 1);
  const mask = tf.tensor2d([[1, 1, 0, 0]]);
  const rm = await cwL2(c.fn, x, ys, { steps: 30, binarySearchSteps: 2, lr: 0.05, initialConst: 1, mask });
  (tf.tidy(() => rm.xAdv.sub(x).arraySync()) as number[][]).forEach((row) => assert.deepEqual([row[2], row[3]], [0, 0]));
  // single-logit detector: sigmoid(w.x + b)
  const wv = tf.tensor2d([[2], [-1], [0], [0]]);
  const det = (z: tf.Tensor) => tf.tidy(() => z.matMul(wv).sub(0.5));
  const xd = tf.tensor2d([[0.5, 0.4, 0.5, 0.5], [0.1, 0.4, 0.5, 0.5]]);
  const rd = await cwL2(det, xd, [1, 0], { loss: 'bce', steps: 60, binarySearchSteps: 4, lr: 0.05, initialConst: 1, range: null });
  assert.deepEqual(rd.success, [true, true]);
  // distance to 2a - b - 0.5 = 0 is |margin| / sqrt(5)
  [0.1, 0.7].forEach((mg, i) => assert.ok(Math.abs(rd.l2[i] - mg / Math.sqrt(5)) < 0.1 * (mg / Math.sqrt(5)) + 1e-3, `${rd.l2[i]}`));
  tf.dispose([x, r.xAdv, rm.xAdv, mask, wv, xd, rd.xAdv]);
});

test('boundary search: the smallest grid budget at or above the analytic distance; misses flagged', async () => {
  const m = linear2(W, B);
  const dists = [0.13, -0.27, 0.44, -0.03, 5];
  const xs = pointsAt(W, B, dists, [0.5, 0.5, 0.5, 0.5]);
  const x = tf.tensor2d(xs);
  const grid = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];
  const r = await noLeak(async () => {
    const r = await boundarySearch(m.fn, x, null, { epsilons: grid, steps: 20, randomStart: false, range: null });
    r.xBoundary.dispose();
    return r;
  });
  const expected = dists.map((d) => grid.find((g) => g > Math.abs(d)) ?? NaN);
  assert.deepEqual(r.eps.slice(0, 4), expected.slice(0, 4));
  assert.deepEqual(r.found, [true, true, true, true, false]);
  assert.ok(Number.isNaN(r.eps[4]), 'no budget reaches a point 5 away: NaN, not hidden');
  assert.equal(r.method[4], 'none');
  r.l2.slice(0, 4).forEach((v, i) => assert.ok(v <= expected[i] + 1e-5));
  assert.ok(Math.abs(r.l2[4] - 0.5) < 1e-4, 'the miss keeps its largest attempt');
  assert.ok(Number.isNaN(r.l2Search[4]), 'a miss has no distance: NaN, never the largest budget');
  r.l2Search.slice(0, 4).forEach((v, i) => assert.equal(v, r.l2[i], 'unrefined: l2Search is the distance of xBoundary'));
  assert.deepEqual(r.t, [1, 1, 1, 1, 1]);
  // with random starts too, and the paper's default grid
  const rr = await boundarySearch(m.fn, x, null, { range: null, seed: 1 });
  rr.eps.slice(0, 4).forEach((e, i) => assert.ok(e >= Math.abs(dists[i]) - 1e-6 && e === BOUNDARY_EPSILONS.find((g) => g >= e)));
  rr.xBoundary.dispose();
  x.dispose();
});

test('boundary search with C&W keeps the closer point; already-misclassified points get eps 0', async () => {
  const m = linear2(W, B);
  const dists = [0.13, -0.27];
  const xs = pointsAt(W, B, dists, [0.5, 0.5, 0.5, 0.5]);
  const x = tf.tensor2d(xs);
  const ys = m.margin(xs).map((v) => (v > 0 ? 1 : 0));
  const r = await boundarySearch(m.fn, x, [ys[0], 1 - ys[1]], {
    epsilons: [0.3, 0.6],
    steps: 10,
    range: null,
    useCW: true,
    cwOptions: { steps: 100, binarySearchSteps: 6, lr: 0.05, initialConst: 1 },
  });
  assert.deepEqual(r.method, ['cw', 'clean']);
  assert.ok(r.eps[0] < 0.3 && r.eps[0] >= 0.13 - 1e-4 && r.eps[0] < 0.13 * 1.1, `${r.eps[0]}`);
  assert.equal(r.eps[1], 0);
  assert.equal(r.l2[1], 0);
  tf.dispose([x, r.xBoundary]);
});

test('boundary search with refine: the point lands on the analytic boundary (within 2^-k of the segment), across it; misses stay unrefined', async () => {
  const m = linear2(W, B);
  const dists = [0.13, -0.27, 0.44, 5];
  const xs = pointsAt(W, B, dists, [0.5, 0.5, 0.5, 0.5]);
  const x = tf.tensor2d(xs);
  const r = await noLeak(async () => {
    const r = await boundarySearch(m.fn, x, null, { epsilons: [0.2, 0.5], steps: 20, randomStart: false, range: null, refine: 14 });
    const adv = r.xBoundary.arraySync() as number[][];
    r.xBoundary.dispose();
    return { ...r, adv };
  });
  assert.deepEqual(r.found, [true, true, true, false]);
  const across = m.margin(r.adv);
  for (let i = 0; i < 3; i++) {
    // PGD along w lands on the ray through x, so the refined distance is the analytic one
    assert.ok(Math.sign(across[i]) !== Math.sign(dists[i]) || across[i] === 0, `example ${i} is across`);
    assert.ok(r.l2[i] >= Math.abs(dists[i]) - 1e-5 && r.l2[i] <= Math.abs(dists[i]) + r.l2Search[i] * 2 ** -14 + 1e-4, `refined ${r.l2[i]} vs analytic ${Math.abs(dists[i])}`);
    assert.ok(r.l2Search[i] > r.l2[i] + 0.01, 'the search overshoots; refinement moves back');
    assert.ok(r.t[i] < 1 && Math.abs(r.t[i] * r.l2Search[i] - r.l2[i]) < 1e-4);
  }
  assert.equal(r.t[3], 1);
  assert.ok(Number.isNaN(r.l2Search[3]) && Math.abs(r.l2[3] - 0.5) < 1e-4);
  x.dispose();
});

test('refineBoundary: bisection onto a linear boundary for ce and bce; non-adversarial rows untouched; errors', async () => {
  const m = linear2(W, B);
  const xs = pointsAt(W, B, [0.2, -0.1], [0.5, 0.5, 0.5, 0.5]);
  const far = pointsAt(W, B, [-0.3, 0.4], [0.5, 0.5, 0.5, 0.5]); // across for both
  const x = tf.tensor2d(xs);
  const xa = tf.tensor2d(far);
  const ys = m.margin(xs).map((v) => (v > 0 ? 1 : 0));
  const r = await noLeak(() => {
    const r = refineBoundary(m.fn, x, xa, ys, { steps: 16, batchSize: 1 });
    const v = r.xBoundary.arraySync() as number[][];
    r.xBoundary.dispose();
    return { t: r.t, v };
  });
  // the segment crosses the boundary at t = |d0| / (|d0| + |d1|) along w
  [[0.2, 0.3], [0.1, 0.4]].forEach(([a, b], i) => assert.ok(Math.abs(r.t[i] - a / (a + b)) <= 2 ** -16 + 1e-6 && r.t[i] >= a / (a + b) - 1e-7, `t ${r.t[i]}`));
  m.margin(r.v).forEach((v, i) => assert.ok(Math.sign(v) !== Math.sign(m.margin(xs)[i]) && Math.abs(v) < 1e-3));
  // a row that is not adversarial keeps its point with t = 1
  const same = refineBoundary(m.fn, x, x, ys, { steps: 4 });
  assert.deepEqual(same.t, [1, 1]);
  same.xBoundary.dispose();
  // sigmoid detector: one logit w.x + b, decision logit > 0
  const det = (z: tf.Tensor) => tf.tidy(() => m.fn(z).slice([0, 1], [-1, 1]));
  const rb = refineBoundary(det, x, xa, ys, { loss: 'bce', steps: 16 });
  assert.ok(Math.abs(rb.t[0] - 0.4) < 1e-4 && Math.abs(rb.t[1] - 0.2) < 1e-4, `${rb.t}`);
  rb.xBoundary.dispose();
  assert.throws(() => refineBoundary(m.fn, x, xa.slice(0, 1), ys), /refineBoundary: xAdv must be a tensor shaped like x/);
  assert.throws(() => refineBoundary(m.fn, x, xa, ys, { steps: 0 }), /refineBoundary: steps must be a positive integer/);
  assert.throws(() => refineBoundary(m.fn, x, xa, ys, { step: 3 } as never), /unknown option "step"/);
  tf.dispose([x, xa]);
});

test('C&W and boundary search: clear errors', async () => {
  const m = linear2(W, B);
  const x = tf.tensor2d([[0.5, 0.5, 0.5, 0.5]]);
  await assert.rejects(cwL2(m.fn, x, [0], { kappa: 1 } as object), /unknown option "kappa"/);
  await assert.rejects(cwL2(m.fn, x, [3]), /not a class index/);
  await assert.rejects(boundarySearch(m.fn, x, [0], { epsilons: [0.1, -1] }), /positive finite/);
  await assert.rejects(boundarySearch(m.fn, x, [0], { useCw: true } as object), /unknown option "useCw"/);
  await assert.rejects(boundarySearch(m.fn, x, [0], { threshold: 1.5 }), /boundarySearch: threshold must lie in \(0, 1\), got 1.5/);
  await assert.rejects(boundarySearch(m.fn, x, [0], { loss: 'mse' } as object), /boundarySearch: loss must be 'ce' or 'bce'/);
  await assert.rejects(boundarySearch(m.fn, x, [0], { refine: 1.5 }), /boundarySearch: refine must be an integer >= 0/);
  x.dispose();
});
