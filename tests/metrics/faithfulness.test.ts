/** maxSensitivity and deletion/insertion curves on linear models with analytic answers. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { maxSensitivity, deletionCurve, insertionCurve } from '../../src/lib/metrics';

before(setup);
const close = (a: number, b: number, tol = 1e-5, msg = '') => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

// f(x) = w.x on flattened inputs (one output).
const w = [1, 2, 3, 4];
const linear = (x: tf.Tensor) => tf.tidy(() => tf.matMul(x.reshape([x.shape[0], -1]), tf.tensor2d(w, [4, 1])));
// Saliency of the linear model, via autodiff (= w everywhere).
const saliencyFn = (x: tf.Tensor) => tf.tidy(() => tf.grad((z: tf.Tensor) => linear(z).sum())(x));

test('maxSensitivity of a linear model saliency is 0', async () => {
  const x = tf.tensor2d([[1, 0, 2, 1], [0.5, 0.5, 0.5, 0.5]]);
  const r = await noLeak(() => maxSensitivity(saliencyFn, x, { radius: 0.1, n: 5, seed: 3 }));
  r.perExample!.forEach((v) => close(v, 0, 1e-6));
  assert.equal(maxSensitivity.meta.higherIsBetter, false);
  x.dispose();
});

test('maxSensitivity of e(x) = x: 0 < value <= r sqrt(d) / ||x||, seeded, async {map} callbacks, clipping', async () => {
  const x = tf.tensor2d([[1, 0, 2, 1], [3, 3, 3, 3]]);
  const explain = async (z: tf.Tensor) => ({ map: z.clone() });
  const r = await noLeak(() => maxSensitivity(explain, x, { radius: 0.1, n: 8, seed: 1 }));
  const norms = [Math.sqrt(6), 6];
  r.perExample!.forEach((v, i) => assert.ok(v > 0 && v <= (0.1 * 2) / norms[i] + 1e-7, `${v}`));
  const again = await maxSensitivity(explain, x, { radius: 0.1, n: 8, seed: 1 });
  assert.deepEqual(again.perExample, r.perExample);
  const other = await maxSensitivity(explain, x, { radius: 0.1, n: 8, seed: 2 });
  assert.notDeepEqual(other.perExample, r.perExample);
  // Unnormalised (Yeh's original): max ||u||_2 <= r sqrt(d); the max over more samples can only grow.
  const un = await maxSensitivity(explain, x, { radius: 0.1, n: 8, seed: 1, normalise: false });
  un.perExample!.forEach((v, i) => close(v, r.perExample![i] * norms[i], 1e-5));
  // clip keeps perturbed inputs in range.
  let lo = Infinity;
  let hi = -Infinity;
  const spy = (z: tf.Tensor) => {
    lo = Math.min(lo, z.min().dataSync()[0]);
    hi = Math.max(hi, z.max().dataSync()[0]);
    return z.clone();
  };
  await maxSensitivity((z) => tf.tidy(() => spy(z)), x, { radius: 0.5, n: 3, clip: [0, 3] });
  assert.ok(lo >= 0 && hi <= 3, `[${lo}, ${hi}]`);
  x.dispose();
});

test('maxSensitivity: clear errors', async () => {
  const x = tf.tensor2d([[1, 2]]);
  await assert.rejects(() => maxSensitivity(saliencyFn, x, {} as never), /"radius" must be/);
  await assert.rejects(() => maxSensitivity(saliencyFn, x, { radius: 0.1, samples: 3 } as never), /unknown option "samples"/);
  await assert.rejects(() => maxSensitivity(() => tf.ones([1, 3]), x, { radius: 0.1 }), /shape mismatch/);
  await assert.rejects(() => maxSensitivity((() => 3) as never, x, { radius: 0.1 }), /must return a tf.Tensor/);
  x.dispose();
});

test('deletion and insertion of a linear model with attribution w*x follow the analytic curve', async () => {
  // x = 1: contributions w_i x_i = [1, 2, 3, 4]; removal order 4, 3, 2, 1.
  const x = tf.ones([3, 4]);
  const attribution = tf.tidy(() => tf.mul(x, tf.tensor1d(w)));
  const opts = { steps: 4, output: 'identity' as const, target: 0, batchSize: 4 }; // batchSize 4 < 3 x 5 rows: chunked
  const del = await noLeak(() => deletionCurve(linear, x, attribution, opts));
  assert.deepEqual(del.fractions, [0, 0.25, 0.5, 0.75, 1]);
  del.curves.forEach((c) => c.forEach((v, k) => close(v, [10, 6, 3, 1, 0][k])));
  close(del.value, 0.25 * (8 + 4.5 + 2 + 0.5)); // 3.75, trapezoid
  const ins = await noLeak(() => insertionCurve(linear, x, attribution, opts));
  ins.meanCurve.forEach((v, k) => close(v, [0, 4, 7, 9, 10][k]));
  close(ins.value, 0.25 * (2 + 5.5 + 8 + 9.5)); // 6.25
  assert.equal(deletionCurve.meta.higherIsBetter, false);
  assert.equal(insertionCurve.meta.higherIsBetter, true);
  // steps = 2: n_k = [0, 2, 4] -> [10, 3, 0], AUC 0.5 * (6.5 + 1.5) = 4.
  const two = deletionCurve(linear, x, attribution, { ...opts, steps: 2 });
  close(two.value, 4);
  // Baseline 1 (here equal to x): nothing changes.
  deletionCurve(linear, x, attribution, { ...opts, baseline: 1 }).curves[0].forEach((v) => close(v, 10));
  // |attribution| order: with a negated attribution the signed order reverses (1, 2, 3, 4 first).
  const neg = tf.neg(attribution);
  deletionCurve(linear, x, neg, opts).curves[0].forEach((v, k) => close(v, [10, 9, 7, 4, 0][k]));
  deletionCurve(linear, x, neg, { ...opts, absolute: true }).curves[0].forEach((v, k) => close(v, [10, 6, 3, 1, 0][k]));
  tf.dispose([x, attribution, neg]);
});

test('deletion with one-channel attribution over 2 channels, softmax target, default target = predicted class', async () => {
  // x [1, 2, 1, 2]: two pixels, two channels; logits = [sum(channel 0), sum(channel 1)].
  const model = (z: tf.Tensor) => tf.tidy(() => tf.sum(z, [1, 2]) as tf.Tensor2D);
  const x = tf.tensor4d([3, 0, 1, 2], [1, 2, 1, 2]); // logits [4, 2] -> predicted class 0
  const a = tf.tensor4d([1, 5], [1, 2, 1, 1]); // pixel 1 first
  const r = await noLeak(() => deletionCurve(model, x, a, { steps: 2 }));
  assert.deepEqual(r.targets, [0]);
  const sm = (l0: number, l1: number) => Math.exp(l0) / (Math.exp(l0) + Math.exp(l1));
  [sm(4, 2), sm(3, 0), sm(0, 0)].forEach((v, k) => close(r.curves[0][k], v));
  tf.dispose([x, a]);
});

test('deletion/insertion: clear errors', () => {
  const x = tf.ones([2, 4]);
  const a = tf.ones([2, 4]);
  assert.throws(() => deletionCurve(linear, x, tf.ones([2, 3]), {}), /attribution shape/);
  assert.throws(() => deletionCurve(linear, x, a, { chunks: 3 } as never), /unknown option "chunks"/);
  assert.throws(() => deletionCurve(linear, x, a, { target: [0] }), /length mismatch/);
  assert.throws(() => deletionCurve(linear, x, a, { target: 2 }), /out of range/);
  assert.throws(() => insertionCurve(linear, x, a, { output: 'probs' as never }), /unknown output/);
  assert.throws(() => insertionCurve(linear, x, a, { baseline: tf.ones([3]) }), /baseline shape/);
  assert.throws(() => deletionCurve(linear, x, [[1, NaN, 1, 1], [1, 1, 1, 1]]), /NaN/);
  tf.dispose([x, a]);
});

test('deletion/insertion: no leak when an argument error is thrown mid-way', async () => {
  const x = tf.ones([2, 4]);
  const a = tf.ones([2, 4]);
  await noLeak(() => {
    assert.throws(() => deletionCurve(linear, x, a, { target: 2, baseline: 0.5 }), /out of range/);
    assert.throws(() => deletionCurve(linear, x, a, { target: [0] }), /length mismatch/);
  });
  tf.dispose([x, a]);
});
