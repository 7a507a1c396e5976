/**
 * Model and input mistakes get the same clear error from every attribution method and every
 * model-taking metric as from the attacks (engine/validate.ts): a 2-output model, a model that
 * drops the batch dimension, an int input and an input of the wrong shape each name the method
 * and the fix, and leave no tensor behind.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup } from '../helpers';
import { linear } from './tinyModels';
import { agi, big, bsm, gradCam, gradientXInput, integratedGradients, kernelShap, lime, occlusion, saliency, smoothGrad } from '../../src/lib/explain';
import {
  accuracy,
  deletionCurve,
  energyFlipRate,
  insertionCurve,
  limeFlipRate,
  limeVeracityCurve,
  robustAccuracy,
  segmentFlipRate,
} from '../../src/lib/metrics';
import type { ModelFn } from '../../src/lib/engine';

before(setup);

const N = 4;
const D = 6;
const C = 3;

type Run = (model: ModelFn, x: tf.Tensor) => Promise<unknown>;

/** Each method called with inputs built from x's shape (so only the mistake under test is wrong). */
function segOf(x: tf.Tensor): number[] {
  return Array.from({ length: x.shape[1]! }, (_, i) => Math.floor(i / 2));
}
function segs(x: tf.Tensor): Int32Array {
  return Int32Array.from(segOf(x));
}
async function withZeros<R>(x: tf.Tensor, body: (z: tf.Tensor) => Promise<R>): Promise<R> {
  const z = tf.zeros(x.shape);
  try {
    return await body(z);
  } finally {
    z.dispose();
  }
}
const weights = (x: tf.Tensor) => Array.from({ length: x.shape[0] }, () => [0.3, 0.2, 0.1]);

const METHODS: [string, RegExp, Run][] = [
  ['saliency', /^saliency: /, (m, x) => saliency(m, x, { target: 0 })],
  ['gradientXInput', /^gradientXInput: /, (m, x) => gradientXInput(m, x, { target: 0 })],
  ['integratedGradients', /^integratedGradients: /, (m, x) => integratedGradients(m, x, { target: 0, steps: 4 })],
  ['smoothGrad(saliency)', /^smoothGrad: /, (m, x) => smoothGrad(saliency, { n: 2, sigma: 0.1, seed: 1 })(m, x, { target: 0 })],
  ['occlusion', /^occlusion: /, (m, x) => occlusion(m, x, { target: 0, patch: 2, stride: 2 })],
  ['lime', /^lime: /, (m, x) => lime(m, x, { target: 0, segments: segs(x), nSamples: 16, seed: 1 })],
  ['kernelShap', /^kernelShap: /, (m, x) => kernelShap(m, x, { target: 0, segments: segs(x), nSamples: 16, seed: 1 })],
  ['bsm', /^bsm: /, (m, x) => withZeros(x, (b) => bsm(m, x, { target: 0, boundary: b }))],
  ['big', /^big: /, (m, x) => withZeros(x, (b) => big(m, x, { target: 0, boundary: b, steps: 4 }))],
  ['agi', /^agi: /, (m, x) => agi(m, x, { target: 0, nClasses: 1, steps: 2, seed: 1 })],
  ['accuracy', /^accuracy: /, async (m, x) => accuracy(m, x, [0, 1, 2, 0].slice(0, x.shape[0]))],
  ['robustAccuracy', /^robustAccuracy: /, (m, x) => robustAccuracy(m, x, [0, 1, 2, 0].slice(0, x.shape[0]), { epsilons: [0.1], adversarial: [x] })],
  ['deletionCurve', /^deletionCurve: /, (m, x) => withZeros(x, async (a) => deletionCurve(m, x, a, { target: 0, steps: 2 }))],
  ['insertionCurve', /^insertionCurve: /, (m, x) => withZeros(x, async (a) => insertionCurve(m, x, a, { target: 0, steps: 2 }))],
  ['segmentFlipRate', /^segmentFlipRate: /, (m, x) => withZeros(x, (d) => segmentFlipRate(m, x, d, segOf(x), Array.from({ length: x.shape[0] }, () => [0])))],
  ['limeFlipRate', /^limeFlipRate: /, (m, x) => withZeros(x, (d) => limeFlipRate(m, x, d, segOf(x), weights(x), { k: 1 }))],
  ['energyFlipRate', /^energyFlipRate: /, (m, x) => withZeros(x, (d) => energyFlipRate(m, x, d, segOf(x), { k: 1 }))],
  ['limeVeracityCurve', /^limeVeracityCurve: /, (m, x) => withZeros(x, (d) => limeVeracityCurve(m, x, d, segOf(x), weights(x), { ks: [1] }))],
];

/** Assert that run rejects with a message starting with the method's name and matching `what`, and leaks nothing. */
async function rejectsClearly(name: string, where: RegExp, what: RegExp, run: () => Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  let err: Error | null = null;
  try {
    await run();
  } catch (e) {
    err = e as Error;
  }
  assert.ok(err, `${name}: expected an error`);
  assert.match(err.message, where, `${name}: the error should name the method: ${err.message}`);
  assert.match(err.message, what, `${name}: ${err.message}`);
  assert.equal(tf.memory().numTensors, before, `${name}: tensors left behind on the error path`);
}

const good = linear(D, C, 7);
const x = tf.tidy(() => tf.randomUniform([N, D], 0, 1, 'float32', 3));

for (const [name, where, run] of METHODS) {
  test(`${name}: a 2-output model is a clear error`, async () => {
    const twoOut = ((v: tf.Tensor) => [good.f(v), good.f(v)]) as unknown as ModelFn;
    await rejectsClearly(name, where, /the model returned 2 outputs \(a multi-output model\)/, () => run(twoOut, x));
  });

  test(`${name}: a model that drops the batch dimension is a clear error`, async () => {
    const dropped: ModelFn = (v) => good.f(v).sum(0);
    await rejectsClearly(name, where, /the model returned shape \[3\] for a batch of \d+; it must keep the batch dimension first/, () => run(dropped, x));
  });

  test(`${name}: an int input is a clear error`, async () => {
    const xi = x.toInt();
    try {
      await rejectsClearly(name, where, /x must be float32, got int32/, () => run(good.f, xi));
    } finally {
      xi.dispose();
    }
  });

  test(`${name}: an input the model cannot take is a clear error`, async () => {
    const x5 = tf.zeros([N, D - 1]);
    try {
      await rejectsClearly(name, where, /the model could not be applied to x of shape \[4,5\].*Check the input shape/, () => run(good.f, x5));
    } finally {
      x5.dispose();
    }
  });
}

test('gradCam: a 2-output model, an int input and a wrong input shape are clear errors', async () => {
  const inp = tf.input({ shape: [4, 4, 1] });
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'conv' }).apply(inp) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(conv) as tf.SymbolicTensor;
  const out1 = tf.layers.dense({ units: 3 }).apply(flat) as tf.SymbolicTensor;
  const out2 = tf.layers.dense({ units: 2 }).apply(flat) as tf.SymbolicTensor;
  const one = tf.model({ inputs: inp, outputs: out1 });
  const two = tf.model({ inputs: inp, outputs: [out1, out2] });
  const xi = tf.ones([2, 4, 4, 1]);
  const xInt = xi.toInt();
  const x5 = tf.ones([2, 5, 5, 1]);
  try {
    await rejectsClearly('gradCam', /^gradCam: /, /one output/, () => gradCam(two, xi, { target: 0, layer: 'conv' }));
    await rejectsClearly('gradCam', /^gradCam: /, /x must be float32, got int32/, () => gradCam(one, xInt, { target: 0, layer: 'conv' }));
    await rejectsClearly('gradCam', /^gradCam: /, /the model could not be applied to x of shape \[2,5,5,1\]/, () => gradCam(one, x5, { target: 0, layer: 'conv' }));
  } finally {
    tf.dispose([xi, xInt, x5]);
    one.dispose();
  }
});
