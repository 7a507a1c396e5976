/** accuracy, robustAccuracy, binaryDetection on tiny cases with known answers. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { accuracy, robustAccuracy, binaryDetection } from '../../src/lib/metrics';

before(setup);

// Two-class linear model: logits [x.w, -x.w], w = [1, -2] (||w||_1 = 3): class 0 iff x.w > 0.
const w = [1, -2];
const linear2 = (x: tf.Tensor) => tf.tidy(() => {
  const m = tf.matMul(x as tf.Tensor2D, tf.tensor2d(w, [2, 1]));
  return tf.concat([m, m.neg()], 1);
});

test('accuracy from logits and from a model; metadata', async () => {
  await noLeak(() => {
    const logits = tf.tensor2d([[2, 1], [0, 3], [1, 0]]);
    const r = accuracy(logits, [0, 1, 1]);
    assert.deepEqual(r.perExample, [1, 1, 0]);
    assert.ok(Math.abs(r.value - 2 / 3) < 1e-12);
    assert.equal(r.meta.higherIsBetter, true);
    assert.deepEqual(accuracy.meta.range, [0, 1]);
    // One-hot labels give the same.
    assert.equal(accuracy(logits, [[1, 0], [0, 1], [0, 1]]).value, r.value);
    // Single column: sigmoid(logit) >= threshold.
    const single = tf.tensor2d([[-1], [2], [0.1]]);
    assert.deepEqual(accuracy(single, [0, 1, 1]).perExample, [1, 1, 1]);
    assert.deepEqual(accuracy(single, [0, 1, 1], { threshold: 0.6 }).perExample, [1, 1, 0]);
    tf.dispose([logits, single]);
    const x = tf.tensor2d([[1, 0], [0, -1], [0, 1], [3, 0]]);
    const m = accuracy(linear2, x, [0, 0, 1, 1], { batchSize: 3 });
    assert.deepEqual(m.perExample, [1, 1, 1, 0]);
    x.dispose();
  });
});

test('accuracy: clear errors', () => {
  const logits = tf.tensor2d([[2, 1], [0, 3]]);
  assert.throws(() => accuracy(logits, [0]), /length mismatch/);
  assert.throws(() => accuracy(logits, [0, 1], { treshold: 0.5 } as never), /unknown option "treshold"/);
  assert.throws(() => accuracy(logits, [0, 1.5]), /not a non-negative integer/);
  const bad = tf.tensor2d([[NaN, 1], [0, 3]]);
  assert.throws(() => accuracy(bad, [0, 1]), /NaN or Infinity/);
  assert.throws(() => accuracy(tf.tensor2d([[1], [2]]), [0, 1], { output: 'probs' as never }), /unknown output/);
  tf.dispose([logits, bad]);
});

test('robustAccuracy: optimal Linf attack on a linear model, robust iff clean-correct and margin > eps ||w||_1', async () => {
  const x = tf.tensor2d([[1, 0], [0, -1], [0, 1], [3, 0]]); // margins x.w: 1, 2, -2, 3
  const y = [0, 0, 1, 1]; // last one is misclassified on clean data
  let calls = 0;
  // FGSM on a linear model (exact worst case): move against the true class by eps * sign(w).
  const attack = async (xb: tf.Tensor, yb: unknown, eps: number) => {
    calls++;
    return tf.tidy(() => {
      const s = tf.tensor2d((yb as number[]).map((l) => [l === 0 ? -1 : 1]));
      return { xAdv: tf.add(xb, tf.mul(s, tf.tensor1d(w.map(Math.sign)).mul(eps))) };
    });
  };
  const r = await noLeak(() => robustAccuracy(linear2, x, y, { epsilons: [0, 0.5, 1], attack }));
  assert.equal(calls, 3);
  assert.deepEqual(r.values, [0.75, 0.5, 0]);
  assert.deepEqual(r.perBudget[1].perExample, [0, 1, 1, 0]);
  assert.equal(r.clean.value, 0.75);
  assert.match(r.perBudget[1].meta.name, /eps=0.5/);
  // Precomputed adversarial inputs are not disposed.
  const adv = [x.clone(), tf.tensor2d([[0, 0], [0, 0], [0, 0], [0, 0]])];
  const r2 = await robustAccuracy(linear2, x, y, { epsilons: [0, 9], adversarial: adv });
  assert.deepEqual(r2.values, [0.75, 0.5]); // at x = 0 the logits tie and argmax picks class 0: examples 0 and 1 stay correct
  assert.ok(!adv[0].isDisposed);
  tf.dispose(adv);
  await assert.rejects(() => robustAccuracy(linear2, x, y, { epsilons: [] } as never), /"epsilons"/);
  await assert.rejects(() => robustAccuracy(linear2, x, y, { epsilons: [1] }), /exactly one of "attack"/);
  await assert.rejects(() => robustAccuracy(linear2, x, y, { epsilons: [1, 2], adversarial: [x] }), /length mismatch/);
  await assert.rejects(() => robustAccuracy(linear2, x, y, { epsilons: [1], attack, steps: 3 } as never), /unknown option "steps"/);
  x.dispose();
});

test('binaryDetection at threshold 0.51: error, recall, specificity, precision', async () => {
  await noLeak(() => {
    const scores = [0.9, 0.52, 0.505, 0.2, 0.6, 0.1, 0.3];
    const labels = [1, 1, 1, 0, 0, 0, 0];
    const r = binaryDetection(scores, labels);
    assert.deepEqual(r.counts, { tp: 2, fp: 1, tn: 3, fn: 1 });
    assert.deepEqual(r.predicted, [1, 1, 0, 0, 1, 0, 0]);
    assert.ok(Math.abs(r.error.value - 2 / 7) < 1e-12);
    assert.ok(Math.abs(r.recall.value - 2 / 3) < 1e-12);
    assert.ok(Math.abs(r.specificity.value - 3 / 4) < 1e-12);
    assert.ok(Math.abs(r.precision.value - 2 / 3) < 1e-12);
    assert.equal(r.error.meta.higherIsBetter, false);
    assert.equal(r.recall.meta.higherIsBetter, true);
    // At 0.5 the 0.505 score becomes a detection; logits are read through the sigmoid.
    assert.equal(binaryDetection(scores, labels, { threshold: 0.5 }).counts.tp, 3);
    const logits = tf.tensor1d([2, -2]);
    assert.deepEqual(binaryDetection(logits, [1, 0], { output: 'logits' }).counts, { tp: 1, fp: 0, tn: 1, fn: 0 });
    logits.dispose();
    assert.ok(Number.isNaN(binaryDetection([0.9], [0]).recall.value), 'no positives: recall undefined');
  });
  assert.throws(() => binaryDetection([0.1, 0.2], [0]), /length mismatch/);
  assert.throws(() => binaryDetection([0.1, NaN], [0, 1]), /NaN/);
  assert.throws(() => binaryDetection([0.1], [2]), /labels must be 0 or 1/);
  assert.throws(() => binaryDetection([], []), /empty/);
});
