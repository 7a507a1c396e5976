/**
 * Issue 21 item 7: tensors on error paths. A model that throws part-way (inside a gradient
 * computation), a label the loss cannot use, an int32 input: every family throws a clear error and
 * leaves tf.memory().numTensors as it found it (the abandoned gradient tape's saved tensors
 * included; engine/tape.ts).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup } from '../helpers';
import { pgd, fgsm, cwL2, boundarySearch } from '../../src/lib/attacks';
import { integratedGradients, saliency, smoothGrad, gradCam } from '../../src/lib/explain';
import { fit } from '../../src/lib/train';
import { mlp as mlpModel } from '../../src/lib/models';

before(setup);

const D = 6;
const C = 3;
let W: tf.Tensor2D;
let W1: tf.Tensor2D;

before(() => {
  W = tf.keep(tf.tensor2d(Array.from({ length: D * C }, (_, i) => Math.sin(i + 1)), [D, C]));
  W1 = tf.keep(tf.tensor2d(Array.from({ length: D }, (_, i) => Math.cos(i)), [D, 1]));
});

/** f(x) = tanh(x) W (float x; int32 x: x W), throwing from its `failAt`-th call on (0: never). */
function failing(failAt: number, w = W) {
  let calls = 0;
  return (x: tf.Tensor) => {
    calls++;
    if (failAt > 0 && calls >= failAt) throw new Error(`model failed on call ${calls}`);
    const flat = x.reshape([x.shape[0], D]);
    return tf.matMul(x.dtype === 'float32' ? tf.tanh(flat) : flat.toFloat(), w);
  };
}

/** Assert fn rejects matching re and leaves the tensor count unchanged. */
async function leakFree(what: string, fn: () => Promise<unknown>, re: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  await assert.rejects(fn(), re, what);
  assert.equal(tf.memory().numTensors, before, `${what}: ${tf.memory().numTensors - before} tensors left behind after the error`);
}

test('attacks: a model that throws mid-loop leaves no tensors (pgd, fgsm, cwL2, boundarySearch)', async () => {
  const x = tf.tensor2d(Array.from({ length: 4 * D }, (_, i) => 0.5 + 0.3 * Math.sin(i)), [4, D]);
  const y = [0, 1, 2, 0];
  try {
    await leakFree('pgd', () => pgd(failing(4), x, y, { eps: 0.1, steps: 10 }), /model failed on call 4/);
    await leakFree('fgsm', () => fgsm(failing(2), x, y, { eps: 0.1 }), /model failed on call 2/);
    await leakFree('cwL2', () => cwL2(failing(5), x, y, { steps: 10, binarySearchSteps: 2 }), /model failed on call 5/);
    await leakFree('boundarySearch', () => boundarySearch(failing(5), x, y, { steps: 10 }), /model failed on call 5/);
  } finally {
    x.dispose();
  }
});

test('attacks in chunks: a model that throws in a later chunk leaves no tensors from the earlier ones (pgd, fgsm, cwL2)', async () => {
  const x = tf.tensor2d(Array.from({ length: 4 * D }, (_, i) => 0.5 + 0.3 * Math.sin(i)), [4, D]);
  const y = [0, 1, 2, 0];
  const runs = [
    ['pgd', (f: (v: tf.Tensor) => tf.Tensor) => pgd(f, x, y, { eps: 0.1, steps: 3, batchSize: 2 })],
    ['fgsm', (f: (v: tf.Tensor) => tf.Tensor) => fgsm(f, x, y, { eps: 0.1, batchSize: 2 })],
    ['cwL2', (f: (v: tf.Tensor) => tf.Tensor) => cwL2(f, x, y, { steps: 3, binarySearchSteps: 1, batchSize: 2 })],
  ] as const;
  try {
    for (const [name, run] of runs) {
      let calls = 0; // how many model calls a successful run makes: fail on the last one (the second chunk)
      const counting = (v: tf.Tensor) => {
        calls++;
        return failing(0)(v);
      };
      const ok = await run(counting);
      ok.xAdv.dispose();
      await leakFree(`${name} (fails on call ${calls} of ${calls}, in the second chunk)`, () => run(failing(calls)), new RegExp(`model failed on call ${calls}`));
    }
  } finally {
    x.dispose();
  }
});

test('attacks: a 1-logit model given to boundarySearch and an int32 x are clear errors without leaks', async () => {
  const x = tf.tensor2d(Array.from({ length: 4 * D }, (_, i) => 0.5 + 0.3 * Math.sin(i)), [4, D]);
  const xi = tf.tensor2d(Array.from({ length: 4 * D }, (_, i) => i % 2), [4, D], 'int32');
  try {
    await leakFree('boundarySearch, 1 logit', () => boundarySearch(failing(0, W1), x, [0, 1, 1, 0], { steps: 5 }), /boundarySearch/);
    await leakFree('pgd, int32 x', () => pgd(failing(0), xi, [0, 1, 2, 0], { eps: 0.1, steps: 2, norm: 'l2' }), /pgd: x must be float32/);
    await leakFree('boundarySearch, int32 x', () => boundarySearch(failing(0), xi, [0, 1, 2, 0], { steps: 2 }), /boundarySearch: x must be float32/);
  } finally {
    tf.dispose([x, xi]);
  }
});

test('explainers: a model that throws inside the gradient leaves no tensors (integratedGradients, saliency, smoothGrad)', async () => {
  const x = tf.tensor2d(Array.from({ length: 2 * D }, (_, i) => Math.sin(i)), [2, D]);
  try {
    for (const at of [2, 3, 4]) {
      // call 1 checks the model, then the path chunks (batchSize 8: two chunks of 4 points), then f(x), f(x')
      await leakFree(`integratedGradients (model fails on call ${at})`, () => integratedGradients(failing(at), x, { target: [0, 1], steps: 8, batchSize: 8 }), new RegExp(`model failed on call ${at}`));
    }
    await leakFree('saliency', () => saliency(failing(1), x, { target: [0, 1] }), /model failed on call 1/);
    await leakFree('smoothGrad', () => smoothGrad(saliency, { n: 5, sigma: 0.1, batchSize: 4 })(failing(3), x, { target: [0, 1] }), /model failed on call 3/);
  } finally {
    x.dispose();
  }
});

test('training: a loss that throws inside optimizer.minimize leaves no tensors', async () => {
  const model = mlpModel({ inputShape: [D], hidden: [4], outputs: C, seed: 0 });
  const x = tf.tensor2d(Array.from({ length: 8 * D }, (_, i) => Math.sin(i)), [8, D]);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
  let calls = 0;
  const loss = (yt: tf.Tensor, yp: tf.Tensor): tf.Scalar => {
    if (++calls === 2) throw new Error('loss failed');
    return tf.losses.meanSquaredError(tf.oneHot(yt.toInt(), C), yp) as tf.Scalar;
  };
  try {
    await leakFree('fit', () => fit(model, { x, y }, { epochs: 1, batchSize: 4, loss }), /loss failed/);
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
});
