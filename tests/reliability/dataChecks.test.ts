/**
 * Issue 21 item 2: training, evaluation and accuracy refuse NaN / Infinity inputs and labels the
 * model cannot have, naming the function and the first bad example, and leave no tensors behind.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { fit, evaluate, fitTrades } from '../../src/lib/train';
import { accuracy } from '../../src/lib/metrics';
import { mlp, smallCnn } from '../../src/lib/models';

before(setup);

const data = (n: number, nanAt = -1) => {
  const v = Array.from({ length: n * 4 }, (_, i) => Math.sin(i));
  if (nanAt >= 0) v[nanAt * 4 + 2] = NaN;
  return tf.tensor2d(v, [n, 4]);
};

test('fit / fitTrades: NaN or Infinity in x or y, labels out of range or not integers, bad binary targets -> error naming the example', async () => {
  const model = mlp({ inputShape: [4], hidden: [5], outputs: 3, seed: 0 });
  const x = data(6, 3);
  const xOk = data(6);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
  const y5 = tf.tensor1d([0, 1, 2, 0, 5, 2], 'int32');
  const yHalf = tf.tensor1d([0, 1, 0.5, 0, 1, 2]);
  const xInf = xOk.mul(tf.tensor2d([1, 1, 1, 1, 1, Infinity, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [6, 4]));
  const w0 = model.getWeights().map((w) => w.dataSync().slice());
  try {
    await noLeak(async () => {
      await assert.rejects(fit(model, { x, y }, { epochs: 1 }), /^Error: fit: train\.x has NaN or Infinity in example 3 /);
      await assert.rejects(fit(model, { x: xInf, y }, { epochs: 1 }), /fit: train\.x has NaN or Infinity in example 1 /);
      await assert.rejects(fit(model, { x: xOk, y: y5 }, { epochs: 1 }), /fit: train\.y\[4\] = 5 is not a class index of the model \(integers 0\.\.2\)/);
      await assert.rejects(fit(model, { x: xOk, y: yHalf }, { epochs: 1 }), /fit: train\.y\[2\] = 0\.5 is not a class index/);
      await assert.rejects(fit(model, { x: xOk, y }, { epochs: 1, valid: { x, y } }), /fit: valid\.x has NaN or Infinity in example 3/);
      await assert.rejects(fitTrades(model, { x: xOk, y: y5 }, { epochs: 1, eps: 0.1 }), /fitTrades: train\.y\[4\] = 5/);
    });
    const bin = mlp({ inputShape: [4], hidden: [5], outputs: 1, seed: 0 });
    const [y2, yNaN] = [tf.tensor1d([0, 1, 1, 0, 2, 0]), tf.tensor1d([0, 1, NaN, 0, 1, 0])];
    await assert.rejects(fit(bin, { x: xOk, y: y2 }, { epochs: 1, loss: 'bceLogits' }), /fit: train\.y has 2 at example 4; bceLogits needs targets in \[0, 1\]/);
    await assert.rejects(fit(bin, { x: xOk, y: yNaN }, { epochs: 1, loss: 'mse' }), /fit: train\.y has NaN or Infinity at example 2/);
    tf.dispose([y2, yNaN]);
    bin.dispose();
    // nothing was trained by the refused calls
    model.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), w0[i]));
  } finally {
    tf.dispose([x, xOk, y, y5, yHalf, xInf]);
    model.dispose();
  }
});

test('evaluate: NaN input, label 5 on a 3-class model and label 0.5 are rejected, naming the example', async () => {
  const model = mlp({ inputShape: [4], hidden: [5], outputs: 3, seed: 1 });
  const x = data(4, 1);
  const xOk = data(4);
  const y = tf.tensor1d([0, 1, 2, 0], 'int32');
  const [y5, yHalf, y3] = [tf.tensor1d([0, 1, 5, 0]), tf.tensor1d([0, 0.5, 1, 0]), tf.tensor1d([0, 1, 1])];
  try {
    await noLeak(() => {
      assert.throws(() => evaluate(model, { x, y }), /^Error: evaluate: data\.x has NaN or Infinity in example 1 /);
      assert.throws(() => evaluate(model, { x: xOk, y: y5 }), /evaluate: data\.y\[2\] = 5 is not a class index of the model \(integers 0\.\.2\)/);
      assert.throws(() => evaluate(model, { x: xOk, y: yHalf }), /evaluate: data\.y\[1\] = 0\.5 is not a class index/);
      assert.throws(() => evaluate(model, { x: xOk, y: y3 }), /evaluate: data\.x has 4 examples but data\.y has 3/);
      const ok = evaluate(model, { x: xOk, y });
      assert.ok(Number.isFinite(ok.loss) && ok.accuracy >= 0 && ok.accuracy <= 1);
    });
  } finally {
    tf.dispose([x, xOk, y, y5, yHalf, y3]);
    model.dispose();
  }
});

test('metrics.accuracy: a NaN example is not scored (was counted correct through max pooling), labels must exist in the model', async () => {
  const cnn = smallCnn({ inputShape: [6, 6, 1], classes: 3, width: 0.25, hidden: 0, seed: 2 });
  const v = Array.from({ length: 3 * 36 }, (_, i) => Math.cos(i));
  v[36 + 7] = NaN;
  const x = tf.tensor4d(v, [3, 6, 6, 1]);
  const xOk = tf.tensor4d(v.map((a) => (Number.isNaN(a) ? 0 : a)), [3, 6, 6, 1]);
  const [bin, three] = [tf.tensor2d([[1], [-1]]), tf.tensor2d([[0, 2, 1], [3, 0, 1]])];
  try {
    await noLeak(() => {
      assert.throws(() => accuracy(cnn, x, [0, 1, 2]), /^Error: accuracy: x has NaN or Infinity in example 1 /);
      assert.throws(() => accuracy(cnn, xOk, [0, 5, 2]), /accuracy: label y\[1\] = 5 is out of range for a model with 3 classes \(0\.\.2\)/);
      assert.throws(() => accuracy(cnn, xOk, [0, 1, 0.5]), /accuracy: label y\[2\] = 0\.5 is not a non-negative integer/);
      assert.throws(() => accuracy(bin, [1, 2]), /accuracy: label y\[1\] = 2 is out of range for a model with 2 classes/);
      assert.equal(accuracy(three, [1, 0]).value, 1);
      const r = accuracy(cnn, xOk, [0, 1, 2]);
      assert.ok(r.value >= 0 && r.value <= 1);
    });
  } finally {
    tf.dispose([x, xOk, bin, three]);
    cnn.dispose();
  }
});
