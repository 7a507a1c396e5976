/** P3 regulariser variants (fitSensitivityRegularised): the penalties against hand-computed values and
 * their invariances, the lambda warm-up, eta inside the ball and the input range, and training that
 * lowers the adversarial activation sensitivity of the regularised layer on a toy problem. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { mlp, layerView } from '../../src/lib/models';
import { fit } from '../../src/lib/train';
import { batchSpread, sensitivityPenalty, warmLambda, regulariserEta, fitSensitivityRegularised, acts, chooseLambda } from '../../src/lib/papers/moshe2024';
import { robustVsBrittle } from '../train/toy';

before(setup);

const close = (a: number, b: number, tol = 1e-5, msg = '') => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);
/** A scalar tensor's value, disposing it. */
const val = (t: tf.Tensor) => { const v = t.dataSync()[0]; t.dispose(); return v; };

test('batchSpread and the three penalties (hand-computed); relative and excess do not change when a layer is scaled or shifted', async () => {
  await noLeak(() => {
    const a = tf.tensor2d([[0, 0], [2, 0]]); // mean (1, 0): spread sqrt((1 + 1) / 2) = 1
    const b = tf.tensor2d([[0, 3], [2, 4]]); // changes 3 and 4
    const r = tf.tensor2d([[0, 1], [2, 5]]); // random changes 1 and 5
    close(val(batchSpread(a)), 1);
    close(val(sensitivityPenalty([a], [b], null, 'absolute')), 3.5);
    close(val(sensitivityPenalty([a], [b], null, 'relative')), 3.5);
    close(val(sensitivityPenalty([a], [b], [r], 'excess')), (2 + 0) / 2); // relu(3 - 1), relu(4 - 5)
    const k = 3, c = 7;
    const [a2, b2, r2] = [a, b, r].map((t) => tf.tidy(() => tf.add(tf.mul(t, k), c)));
    close(val(sensitivityPenalty([a2], [b2], null, 'absolute')), 3.5 * k);
    close(val(sensitivityPenalty([a2], [b2], null, 'relative')), 3.5);
    close(val(sensitivityPenalty([a2], [b2], [r2], 'excess')), 1);
    // two layers add
    close(val(sensitivityPenalty([a, a2], [b, b2], null, 'relative')), 7);
    tf.dispose([a, b, r, a2, b2, r2]);
  });
  const z = tf.zeros([2, 2]);
  assert.throws(() => sensitivityPenalty([z], [z], null, 'excess'), /needs the activations on the random perturbation/);
  assert.throws(() => sensitivityPenalty([z], [z], null, 'rel' as never), /penalty must be one of absolute, relative, excess, logRatio/);
  z.dispose();
});

test('warmLambda grows linearly over the warm-up epochs, then stays at lambda', () => {
  assert.equal(warmLambda(0.5, 1, 3, 0, 10), 0.5);
  close(warmLambda(0.5, 1, 5, 1, 10), 0.25);
  close(warmLambda(0.5, 2, 5, 2, 10), 0.5 * 15 / 20);
  assert.equal(warmLambda(0.5, 3, 1, 2, 10), 0.5);
});

test('regulariserEta stays in the Linf ball and keeps x + eta in [0, 1]; the adversarial eta raises the loss more than the random one', async () => {
  const m = mlp({ inputShape: [8], outputs: 2, hidden: [6], seed: 1 });
  const view = layerView(m, ['dense1']);
  const x = tf.randomUniform([16, 8], 0, 1, 'float32', 2);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'int32'), 2);
  const lossFn = (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) as tf.Scalar;
  const ce = (z: tf.Tensor) => tf.tidy(() => lossFn(y, m.apply(z) as tf.Tensor).dataSync()[0]);
  await noLeak(() => {
    for (const eta of ['adversarial', 'layer', 'random'] as const) {
      const e = regulariserEta(m, view, x, y, { eps: 0.1, eta, seed: 3, clip: [0, 1], lossFn });
      const [linf, lo, hi] = tf.tidy(() => [tf.max(tf.abs(e)), tf.min(tf.add(x, e)), tf.max(tf.add(x, e))].map((t) => t.dataSync()[0]));
      assert.ok(linf <= 0.1 + 1e-6, `${eta}: linf ${linf}`);
      assert.ok(lo >= 0 && hi <= 1, `${eta}: range [${lo}, ${hi}]`);
      e.dispose();
    }
    const ea = regulariserEta(m, view, x, y, { eps: 0.1, eta: 'adversarial', seed: 3, clip: [0, 1], lossFn });
    const er = regulariserEta(m, view, x, y, { eps: 0.1, eta: 'random', seed: 3, clip: [0, 1], lossFn });
    const [xa, xr] = [tf.add(x, ea), tf.add(x, er)];
    assert.ok(ce(xa) > ce(xr), `adversarial ${ce(xa)} vs random ${ce(xr)}`);
    const [la, lr] = [xa, xr].map((z) => tf.tidy(() => tf.sum(tf.square(tf.sub(acts(view, z)[0], acts(view, x)[0]))).dataSync()[0]));
    assert.ok(la > 0 && lr > 0);
    tf.dispose([ea, er, xa, xr]);
  });
  tf.dispose([x, y]);
  m.dispose();
});

test('regulariserEta with k > 1 steps is PGD: on a linear loss it reaches the corner eps sign(w) of the ball; one step keeps the FGSM formula; bad steps throw', async () => {
  // f(x) = x W with W = [w, -w]: grad_x CE(f(x), y=0) = -(1 - p0) (w - (-w)) has the sign of -w everywhere
  const w = [0.5, -1, 2, -0.25];
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, useBias: false, name: 'dense1', weights: [tf.tensor2d(w.map((v) => [v, -v]))] })] });
  const view = layerView(m, ['dense1']);
  const x = tf.fill([3, 4], 0.5);
  const y = tf.oneHot(tf.tensor1d([0, 0, 0], 'int32'), 2);
  const lossFn = (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) as tf.Scalar;
  await noLeak(() => {
    const e5 = regulariserEta(m, view, x, y, { eps: 0.1, eta: 'adversarial', seed: 4, clip: [0, 1], lossFn, steps: 5 });
    const v = e5.arraySync() as number[][];
    for (const row of v) row.forEach((e, k) => close(e, -0.1 * Math.sign(w[k]), 1e-6, `k=${k}`));
    e5.dispose();
    // one step: clip(u + 1.25 eps sign(g), -eps, eps) with the same u as the default
    const e1 = regulariserEta(m, view, x, y, { eps: 0.1, eta: 'adversarial', seed: 4, clip: [0, 1], lossFn, steps: 1 });
    const e0 = regulariserEta(m, view, x, y, { eps: 0.1, eta: 'adversarial', seed: 4, clip: [0, 1], lossFn });
    const u = tf.randomUniform(x.shape, -0.1, 0.1, 'float32', 4);
    const want = tf.tidy(() => tf.clipByValue(tf.add(u, tf.mul(0.125, tf.tensor1d(w.map((q) => -Math.sign(q))))), -0.1, 0.1));
    close(val(tf.tidy(() => tf.max(tf.abs(tf.sub(e1, want))))), 0, 1e-6, 'one step = FGSM with random start');
    close(val(tf.tidy(() => tf.max(tf.abs(tf.sub(e1, e0))))), 0, 0, 'steps defaults to 1');
    tf.dispose([e1, e0, u, want]);
  });
  assert.throws(() => regulariserEta(m, view, x, y, { eps: 0.1, eta: 'adversarial', seed: 4, clip: [0, 1], lossFn, steps: 0 }), /steps must be an integer >= 1/);
  tf.dispose([x, y]);
  m.dispose();
});

test('fitSensitivityRegularised (relative, adversarial eta, warm-up) lowers the adversarial sensitivity of dense1 vs standard training on a toy problem', async () => {
  const d = robustVsBrittle(256, 1, 20);
  const x = tf.tidy(() => tf.clipByValue(tf.add(tf.mul(d.x, 0.25), 0.5), 0, 1)); // into [0, 1]
  const data = { x, y: d.y };
  const budget = { epochs: 15, batchSize: 32, lr: 1e-2, seed: 0 };
  const std = mlp({ inputShape: [21], outputs: 2, hidden: [16], seed: 0 });
  const reg = mlp({ inputShape: [21], outputs: 2, hidden: [16], seed: 0 });
  await fit(std, data, budget);
  const r = await fitSensitivityRegularised(reg, data, { ...budget, layers: ['dense1'], lambda: 1, eps: 0.05, penalty: 'relative', eta: 'adversarial', warmupEpochs: 2 });
  assert.ok(r.history[0].metrics.lambda < 1 && Math.abs(r.history[14].metrics.lambda - 1) < 1e-9, 'warm-up recorded in the history');
  // relative dense1 change under the FGSM step of each model, at eps 0.05
  const rel = (m: tf.LayersModel) => tf.tidy(() => {
    const v = layerView(m, ['dense1']);
    const g = tf.grad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(d.y, 2), m.apply(z) as tf.Tensor) as tf.Scalar)(x);
    const a = acts(v, x)[0];
    const b = acts(v, tf.clipByValue(tf.add(x, tf.mul(0.05, tf.sign(g))), 0, 1))[0];
    return tf.div(tf.mean(tf.norm(tf.sub(b, a), 'euclidean', 1)), batchSpread(a)).dataSync()[0];
  });
  const [sStd, sReg] = [rel(std), rel(reg)];
  console.log(`dense1 adversarial change / spread: standard ${sStd.toFixed(3)}, regularised ${sReg.toFixed(3)}`);
  assert.ok(sReg < 0.7 * sStd, `regularised ${sReg} vs standard ${sStd}`);
  await assert.rejects(fitSensitivityRegularised(reg, data, { layers: ['dense1'], lambda: 1, eps: 0.05, penalty: 'rel' } as never), /penalty must be one of/);
  await assert.rejects(fitSensitivityRegularised(reg, data, { layers: ['dense1'], lambda: 1, eps: 0.05, warmup: 1 } as never), /unknown option "warmup"/);
  await assert.rejects(fitSensitivityRegularised(reg, data, { layers: ['dense1'], lambda: 1, eps: 0.05, etaSteps: 1.5 }), /etaSteps must be an integer >= 1/);
  tf.dispose([x, d.x, d.y]);
  std.dispose();
  reg.dispose();
});

test('chooseLambda: the largest lambda within the accuracy drop of standard training; none when every lambda costs more', () => {
  const rows = [
    { lambda: 0, accuracy: 0.95, ratio: 6 },
    { lambda: 0.1, accuracy: 0.95, ratio: 5 },
    { lambda: 0.3, accuracy: 0.93, ratio: 4 },
    { lambda: 1, accuracy: 0.9, ratio: 3 },
  ];
  assert.equal(chooseLambda(rows, { standardAccuracy: 0.95, maxDrop: 0.03 }).lambda, 0.3);
  assert.equal(chooseLambda(rows, { standardAccuracy: 0.95, maxDrop: 0.05 }).lambda, 1);
  assert.equal(chooseLambda(rows.slice(3), { standardAccuracy: 0.99, maxDrop: 0.03 }).lambda, null);
  assert.match(chooseLambda(rows.slice(3), { standardAccuracy: 0.99, maxDrop: 0.03 }).rule, /no λ/);
});
