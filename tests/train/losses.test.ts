import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { mlp } from '../../src/lib/models';
import { softmaxCE, bce, bceLogits, mse, klDivergence, tradesLoss, tradesPerturb, activationSensitivityLoss, sensitivityEta } from '../../src/lib/train';

before(setup);

const near = (a: number, b: number, tol = 1e-5, msg = '') => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);
const val = (t: tf.Tensor) => t.dataSync()[0];

// Plain-JS reference helpers
const affine = (x: number[], W: number[][], b: number[]) => b.map((bj, j) => bj + x.reduce((s, xi, i) => s + xi * W[i][j], 0));
const logSoftmax = (z: number[]) => {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  return z.map((v) => v - lse);
};
const relu = (v: number[]) => v.map((a) => Math.max(0, a));
const l2 = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));

/** Linear 2 -> 2 classifier with fixed weights. */
function linearModel(W: number[][], b: number[]): tf.LayersModel {
  const m = mlp({ inputShape: [2], outputs: 2, hidden: [], seed: 0 });
  m.setWeights([tf.tensor2d(W), tf.tensor1d(b)]);
  return m;
}

test('softmaxCE, bce, bceLogits, mse equal their formulas (ids and one-hot labels alike)', () => {
  tf.tidy(() => {
    const z = [[2, -1], [0.5, 0.3]];
    const ref = -(logSoftmax(z[0])[0] + logSoftmax(z[1])[1]) / 2;
    near(val(softmaxCE(tf.tensor1d([0, 1], 'int32'), tf.tensor2d(z))), ref);
    near(val(softmaxCE(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d(z))), ref);
    const p = [0.9, 0.2], y = [1, 0];
    near(val(bce(tf.tensor1d(y), tf.tensor2d(p, [2, 1]))), -(Math.log(0.9) + Math.log(0.8)) / 2);
    const zl = [3, -0.5];
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    near(val(bceLogits(tf.tensor1d([1, 1]), tf.tensor2d(zl, [2, 1]))), -(Math.log(sig(3)) + Math.log(sig(-0.5))) / 2);
    near(val(bceLogits(tf.tensor1d([0]), tf.tensor2d([[80]]))), 80, 1e-5, 'stable for large logits');
    near(val(mse(tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 0]]))), 2.5);
  });
});

test('TRADES loss on a tiny linear model equals the hand-computed CE + beta * KL', () => {
  const W = [[1, -1], [2, 0.5]], b = [0.1, -0.2];
  const m = linearModel(W, b);
  const xs = [[1, 2], [-1, 0.5]];
  const xa = [[1.1, 1.9], [-0.95, 0.7]];
  const ys = [0, 1];
  const beta = 3;
  let ce = 0, kl = 0;
  xs.forEach((x, i) => {
    const lp = logSoftmax(affine(x, W, b));
    const lq = logSoftmax(affine(xa[i], W, b));
    ce += -lp[ys[i]] / 2;
    kl += lp.reduce((s, v, c) => s + Math.exp(v) * (v - lq[c]), 0) / 2;
  });
  tf.tidy(() => {
    const x = tf.tensor2d(xs), xAdv = tf.tensor2d(xa), y = tf.tensor1d(ys, 'int32');
    const r = tradesLoss(y, m.predict(x) as tf.Tensor, m.predict(xAdv) as tf.Tensor, beta);
    near(val(r.natural), ce, 1e-5, 'natural');
    near(val(r.robust), kl, 1e-4, 'robust');
    near(val(r.loss), ce + beta * kl, 1e-4, 'total');
    near(val(tf.mean(klDivergence(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 2]])))), 0, 1e-6, 'KL(p||p) = 0');
  });
  m.dispose();
});

test('tradesPerturb stays in the eps ball (and clip range), raises the KL, is seeded and leak-free', async () => {
  const m = linearModel([[1, -1], [2, 0.5]], [0.1, -0.2]);
  const x = tf.tensor2d([[0.2, 0.4], [0.9, 0.1], [0.5, 0.5]]);
  const eps = 0.1;
  await noLeak(() => tradesPerturb(m, x, { eps, stepSize: 0.03, steps: 8, seed: 1 }).dispose());
  const xAdv = tradesPerturb(m, x, { eps, stepSize: 0.03, steps: 8, seed: 1, clip: [0, 1] });
  tf.tidy(() => {
    assert.ok(val(tf.max(tf.abs(tf.sub(xAdv, x)))) <= eps + 1e-6);
    assert.ok(val(tf.min(xAdv)) >= 0 && val(tf.max(xAdv)) <= 1);
    const zx = m.predict(x) as tf.Tensor;
    const klAdv = val(tf.mean(klDivergence(zx, m.predict(xAdv) as tf.Tensor)));
    const klRand = val(tf.mean(klDivergence(zx, m.predict(tf.add(x, tf.randomUniform(x.shape, -eps, eps, 'float32', 2))) as tf.Tensor)));
    assert.ok(klAdv > 2 * klRand, `KL adversarial ${klAdv} vs random ${klRand}`);
    const again = tradesPerturb(m, x, { eps, stepSize: 0.03, steps: 8, seed: 1, clip: [0, 1] });
    assert.deepEqual(Array.from(again.dataSync()), Array.from(xAdv.dataSync()));
  });
  assert.throws(() => tradesPerturb(m, x, { eps, step: 1 } as never), /unknown option "step"/);
  tf.dispose([x, xAdv]);
  m.dispose();
});

test('activation-sensitivity loss on a tiny MLP equals the hand-computed task + lambda * sum_l mean ||a_l(x+eta) - a_l(x)||', async () => {
  const W1 = [[1, -1], [0.5, 2]], b1 = [0, -0.5];
  const W2 = [[1, 0.5], [-1, 1]], b2 = [0.2, 0];
  const m = mlp({ inputShape: [2], outputs: 2, hidden: [2], seed: 0 });
  m.setWeights([tf.tensor2d(W1), tf.tensor1d(b1), tf.tensor2d(W2), tf.tensor1d(b2)]);
  const xs = [[1, 0.5], [-0.5, 1]], es = [[0.1, -0.2], [0.3, 0.1]], ys = [1, 0];
  const lambda = 0.7;
  let task = 0, pen1 = 0, pen2 = 0;
  xs.forEach((x, i) => {
    const xp = x.map((v, k) => v + es[i][k]);
    const a = relu(affine(x, W1, b1)), ap = relu(affine(xp, W1, b1));
    const z = affine(a, W2, b2), zp = affine(ap, W2, b2);
    task += -logSoftmax(z)[ys[i]] / 2;
    pen1 += l2(ap, a) / 2;
    pen2 += l2(zp, z) / 2;
  });
  const x = tf.tensor2d(xs), eta = tf.tensor2d(es), y = tf.tensor1d(ys, 'int32');
  await noLeak(() => {
    tf.tidy(() => {
      const r = activationSensitivityLoss(m, x, y, { layers: ['dense1'], lambda, eta });
      near(val(r.task), task, 1e-5, 'task');
      near(val(r.penalty), pen1, 1e-5, 'penalty');
      near(val(r.loss), task + lambda * pen1, 1e-5, 'loss');
      const r2 = activationSensitivityLoss(m, x, y, { layers: ['dense1', 'logits'], lambda, eta });
      near(val(r2.penalty), pen1 + pen2, 1e-5, 'two layers');
    });
  });
  // adversarial eta for a linear softmax model: eps * sign(grad_x CE) = eps * sign((p - y) W^T)
  const lin = linearModel([[1, -1], [2, 0.5]], [0.1, -0.2]);
  tf.tidy(() => {
    const eps = 0.05;
    const e = sensitivityEta(lin, x, y, { layers: ['logits'], lambda: 1, eta: 'adversarial', eps });
    const Wl = [[1, -1], [2, 0.5]];
    const want = xs.flatMap((xi, i) => {
      const p = logSoftmax(affine(xi, Wl, [0.1, -0.2])).map(Math.exp);
      const d = p.map((v, c) => v - (c === ys[i] ? 1 : 0));
      return [0, 1].map((k) => eps * Math.sign(d[0] * Wl[k][0] + d[1] * Wl[k][1]));
    });
    assert.deepEqual(Array.from(e.dataSync()).map((v) => +v.toFixed(6)), want.map((v) => +v.toFixed(6)));
    const er = sensitivityEta(lin, x, y, { layers: ['logits'], lambda: 1, eta: 'random', eps, seed: 3 });
    assert.ok(val(tf.max(tf.abs(er))) <= eps);
  });
  assert.throws(() => activationSensitivityLoss(m, x, y, { layers: ['nope'], lambda, eta }), /has no layer "nope"/);
  assert.throws(() => activationSensitivityLoss(m, x, y, { layers: ['dense1'], lambda, eta: 'random' }), /eps must be > 0/);
  assert.throws(() => activationSensitivityLoss(m, x, y, { layers: ['dense1'], lambda, eta, gamma: 1 } as never), /unknown option "gamma"/);
  tf.dispose([x, eta, y]);
  m.dispose();
  lin.dispose();
});
