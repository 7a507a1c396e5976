import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, assertClose } from '../helpers';
import { fgsm, pgd, sweep, snrEps, isAdversarial, l2 as l2Norm, linf as linfNorm } from '../../src/lib/attacks';
import { linear2, pointsAt, trainedClassifier, accuracy } from './fixtures';

before(setup);

const W = [0.8, -0.5, 0.3, -0.1];
const B = -0.4;

test('FGSM on f(x) = w.x + b moves x by eps * sign(w), away from the label', async () => {
  const m = linear2(W, B);
  const xs = pointsAt(W, B, [0.2, -0.3, 0.25], [0.5, 0.5, 0.5, 0.5]);
  const ys = m.margin(xs).map((v) => (v > 0 ? 1 : 0));
  const x = tf.tensor2d(xs);
  const eps = 0.05;
  const r = await noLeak(async () => {
    const r = await fgsm(m.fn, x, ys, { eps, range: null });
    const d = tf.tidy(() => r.xAdv.sub(x).arraySync()) as number[][];
    r.xAdv.dispose();
    return { ...r, d };
  });
  r.d.forEach((row, i) => {
    const s = ys[i] === 1 ? -1 : 1; // ascend the CE of y: lower the margin of class 1, raise it for class 0
    assertClose(row, W.map((w) => s * eps * Math.sign(w)), 1e-5, `example ${i}`);
  });
  r.linf.forEach((v) => assert.ok(Math.abs(v - eps) < 1e-6));
  x.dispose();
});

test('targeted FGSM moves towards the target; L2 FGM moves by eps * w / ||w||', async () => {
  const m = linear2(W, B);
  const x = tf.tensor2d(pointsAt(W, B, [-0.3], [0.5, 0.5, 0.5, 0.5]));
  const r = await fgsm(m.fn, x, [0], { eps: 0.05, target: [1], range: null });
  assertClose(tf.tidy(() => r.xAdv.sub(x).dataSync()), W.map((w) => 0.05 * Math.sign(w)), 1e-5);
  r.xAdv.dispose();
  const r2 = await fgsm(m.fn, x, [0], { eps: 0.05, norm: 'l2', range: null });
  assertClose(tf.tidy(() => r2.xAdv.sub(x).dataSync()), W.map((w) => (0.05 * w) / m.norm), 1e-4);
  r2.xAdv.dispose();
  x.dispose();
});

test('L2 PGD on a linear model succeeds exactly beyond the analytic distance |w.x+b| / ||w||', async () => {
  const m = linear2(W, B);
  const xs = pointsAt(W, B, [0.2, -0.3, 0.15, -0.25], [0.5, 0.5, 0.5, 0.5]);
  const ys = m.margin(xs).map((v) => (v > 0 ? 1 : 0));
  const dist = m.dist(xs);
  const x = tf.tensor2d(xs);
  const above = await pgd(m.fn, x, ys, { norm: 'l2', eps: dist.map((d) => d * 1.05), steps: 20, randomStart: false, range: null });
  assert.deepEqual(above.success, [true, true, true, true]);
  above.l2.forEach((v, i) => assert.ok(Math.abs(v - dist[i] * 1.05) < 1e-4, `uses the whole budget: ${v}`));
  const below = await pgd(m.fn, x, ys, { norm: 'l2', eps: dist.map((d) => d * 0.95), steps: 20, seed: 4, range: null });
  assert.deepEqual(below.success, [false, false, false, false]);
  below.l2.forEach((v, i) => assert.ok(v <= dist[i] * 0.95 + 1e-5));
  const rs = await pgd(m.fn, x, ys, { norm: 'l2', eps: dist.map((d) => d * 1.1), steps: 40, seed: 4, range: null });
  assert.deepEqual(rs.success, [true, true, true, true], 'with a random start too');
  tf.dispose([x, above.xAdv, below.xAdv, rs.xAdv]);
});

test('every attack lowers accuracy of a trained classifier and stays inside its budget', async () => {
  const c = trainedClassifier();
  const x = tf.tensor2d(c.xs);
  const clean = accuracy(c.fn, x, c.ys);
  assert.ok(clean >= 0.9, `trained classifier accuracy ${clean}`);
  const runs = [
    ['fgsm linf', await fgsm(c.fn, x, c.ys, { eps: 0.15 }), 'linf', 0.15],
    ['pgd linf', await pgd(c.fn, x, c.ys, { eps: 0.15, steps: 10, seed: 1 }), 'linf', 0.15],
    ['pgd l2', await pgd(c.fn, x, c.ys, { eps: 0.25, norm: 'l2', steps: 10, restarts: 2, seed: 1 }), 'l2', 0.25],
  ] as const;
  for (const [name, r, norm, eps] of runs) {
    const acc = accuracy(c.fn, r.xAdv, c.ys);
    assert.ok(acc < clean - 0.2, `${name}: accuracy ${clean} -> ${acc}`);
    (norm === 'linf' ? r.linf : r.l2).forEach((v) => assert.ok(v <= eps + 1e-6, `${name} size ${v} > ${eps}`));
    const [mn, mx] = tf.tidy(() => [r.xAdv.min().dataSync()[0], r.xAdv.max().dataSync()[0]]);
    assert.ok(mn >= 0 && mx <= 1, `${name} stays in [0, 1]`);
    // success is exactly misclassification
    const wrong = await isAdversarial(c.fn, r.xAdv, c.ys);
    assert.deepEqual(r.success, wrong, name);
    r.xAdv.dispose();
  }
  x.dispose();
});

test('targeted PGD hits the target class', async () => {
  const c = trainedClassifier();
  const x = tf.tensor2d(c.xs.slice(0, 9));
  const target = c.ys.slice(0, 9).map((y) => (y + 1) % 3);
  const r = await pgd(c.fn, x, c.ys.slice(0, 9), { eps: 0.5, steps: 20, target, seed: 2 });
  const p = tf.tidy(() => c.fn(r.xAdv).argMax(1).dataSync());
  r.success.forEach((s, i) => assert.equal(s, p[i] === target[i]));
  assert.ok(r.success.filter(Boolean).length >= 7, `target hit ${r.success.filter(Boolean).length}/9`);
  tf.dispose([x, r.xAdv]);
});

test('SNR budget: eps_i = ||x_i|| 10^(-snr/20) and the result keeps SNR >= budget', async () => {
  const c = trainedClassifier();
  const x = tf.tensor2d(c.xs.slice(0, 6));
  const eps = snrEps(x, 20);
  c.xs.slice(0, 6).forEach((row, i) => assertClose([eps[i]], [Math.hypot(...row) / 10], 1e-5));
  const r = await pgd(c.fn, x, c.ys.slice(0, 6), { snrDb: 20, norm: 'l2', steps: 10, seed: 0 });
  r.snrDb.forEach((s) => assert.ok(s >= 20 - 1e-3, `SNR ${s} dB`));
  assert.deepEqual(r.eps, eps);
  await assert.rejects(pgd(c.fn, x, c.ys.slice(0, 6), { snrDb: 20 }), /SNR budget is an L2 budget/);
  tf.dispose([x, r.xAdv]);
});

test('mask: delta is exactly zero outside the mask', async () => {
  const c = trainedClassifier();
  const x = tf.tensor2d(c.xs.slice(0, 6));
  const mask = tf.tensor2d([[1, 0, 1, 0]]);
  for (const r of [
    await pgd(c.fn, x, c.ys.slice(0, 6), { eps: 0.3, steps: 5, mask, seed: 3 }),
    await pgd(c.fn, x, c.ys.slice(0, 6), { eps: 0.3, norm: 'l2', steps: 5, mask, seed: 3 }),
    await fgsm(c.fn, x, c.ys.slice(0, 6), { eps: 0.3, mask }),
  ]) {
    const d = tf.tidy(() => r.xAdv.sub(x).arraySync()) as number[][];
    d.forEach((row) => {
      assert.equal(row[1], 0);
      assert.equal(row[3], 0);
    });
    assert.ok(d.some((row) => row[0] !== 0), 'moves inside the mask');
    r.xAdv.dispose();
  }
  tf.dispose([x, mask]);
});

test('sweep: one call over budgets, robust accuracy non-increasing, eps 0 equals clean accuracy', async () => {
  const c = trainedClassifier();
  const x = tf.tensor2d(c.xs);
  const s = await noLeak(() => sweep(pgd, c.fn, x, c.ys, { epsilons: [0.2, 0, 0.05, 0.1, 0.3], steps: 5, seed: 0 }));
  assert.deepEqual(s.epsilons, [0, 0.05, 0.1, 0.2, 0.3]);
  assert.equal(s.robustAccuracy[0], s.cleanAccuracy);
  assert.equal(s.cleanAccuracy, accuracy(c.fn, x, c.ys));
  for (let k = 1; k < s.epsilons.length; k++) assert.ok(s.robustAccuracy[k] <= s.robustAccuracy[k - 1]);
  assert.ok(s.robustAccuracy[4] < s.robustAccuracy[0] - 0.3, `${s.robustAccuracy}`);
  s.linf.forEach((row, k) => row.forEach((v) => assert.ok(v <= s.epsilons[k] + 1e-6)));
  assert.equal(s.l2[2].length, c.xs.length);
  await assert.rejects(sweep(pgd, c.fn, x, c.ys, { epsilons: [] }), /non-empty/);
  x.dispose();
});

test('same seed same result, independent of chunking; another seed differs; no leaks', async () => {
  const c = trainedClassifier();
  const x = tf.tensor2d(c.xs.slice(0, 7));
  const y = c.ys.slice(0, 7);
  const run = (o: object) =>
    noLeak(async () => {
      const r = await pgd(c.fn, x, y, { eps: 0.2, norm: 'l2', steps: 3, restarts: 2, ...o });
      const v = Array.from(r.xAdv.dataSync());
      r.xAdv.dispose();
      return v;
    });
  const a = await run({ seed: 5 });
  assert.deepEqual(await run({ seed: 5 }), a);
  assertClose(await run({ seed: 5, batchSize: 3 }), a, 1e-6, 'chunked');
  assert.notDeepEqual(await run({ seed: 6 }), a);
  x.dispose();
});

test('norm strategies: projection and random start stay inside the ball', () => {
  const eps = tf.tensor([0.5, 0.1]).reshape([2, 1]);
  const d = tf.tensor2d([[3, 4], [0.01, 0.02]]);
  assertClose(l2Norm.project(d, eps).dataSync(), [0.3, 0.4, 0.01, 0.02], 1e-5);
  assertClose(linfNorm.project(d, eps).dataSync(), [0.5, 0.5, 0.01, 0.02], 1e-6);
  const s = l2Norm.randomStart([2, 50], eps, [0, 1], 0, 0);
  const n = l2Norm.size(s).dataSync();
  assert.ok(n[0] <= 0.5 + 1e-6 && n[1] <= 0.1 + 1e-6 && n[0] > 0.4);
  const u = linfNorm.randomStart([2, 50], eps, [0, 1], 0, 0);
  const m = linfNorm.size(u).dataSync();
  assert.ok(m[0] <= 0.5 && m[1] <= 0.1);
  tf.dispose([eps, d, s, u]);
});

test('clear errors: unknown option, model/x shape mismatch, y out of range, NaN input, bad mask, x outside range', async () => {
  const m = linear2(W, B);
  const x = tf.tensor2d([[0.5, 0.5, 0.5, 0.5], [0.2, 0.4, 0.6, 0.8]]);
  await assert.rejects(pgd(m.fn, x, [0, 1], { eps: 0.1, epsilon: 0.1 } as object), /unknown option "epsilon"/);
  await assert.rejects(fgsm(m.fn, x, [0, 1], { eps: 0.1, steps: 3 } as object), /unknown option "steps"/);
  const x5 = tf.ones([2, 5]).mul(0.5);
  await assert.rejects(pgd(m.fn, x5, [0, 1], { eps: 0.1 }), /model could not be applied to x of shape \[2,5\]/);
  await assert.rejects(pgd(m.fn, x, [0, 2], { eps: 0.1 }), /y\[1\] = 2 is not a class index in \[0, 1\]/);
  await assert.rejects(pgd(m.fn, x, [0, 1, 1], { eps: 0.1 }), /3 labels for 2 examples/);
  const xn = tf.tensor2d([[NaN, 0, 0, 0], [0, 0, 0, 0]]);
  await assert.rejects(pgd(m.fn, xn, [0, 1], { eps: 0.1 }), /NaN or Infinity/);
  const badMask = tf.ones([3]);
  await assert.rejects(pgd(m.fn, x, [0, 1], { eps: 0.1, mask: badMask }), /does not broadcast/);
  const x2 = tf.tensor2d([[2, 0, 0, 0], [0, 0, 0, 0]]);
  await assert.rejects(pgd(m.fn, x2, [0, 1], { eps: 0.1 }), /outside range \[0, 1\]/);
  await assert.rejects(pgd(m.fn, x, [0, 1], {}), /eps \(or snrDb\) is required/);
  await assert.rejects(pgd(m.fn, x, [0, 1], { eps: 0.1, norm: 'l1' as 'l2' }), /unknown norm/);
  tf.dispose([x, x5, xn, badMask, x2]);
});

test('PGD takes a tf.LayersModel (conv net) and raises its loss inside the budget', async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  const x = tf.tidy(() => tf.randomUniform([4, 6, 6, 1], 0, 1, 'float32', 7));
  const y = [0, 1, 2, 0];
  const clean = tf.tidy(() => Array.from(tf.logSoftmax(model.predict(x) as tf.Tensor).mul(tf.oneHot(tf.tensor1d(y, 'int32'), 3)).sum(1).neg().dataSync()));
  const r = await noLeak(async () => {
    const r = await pgd(model, x, y, { eps: 0.1, steps: 5, seed: 0 });
    r.xAdv.dispose();
    return r;
  });
  r.loss.forEach((l, i) => assert.ok(l > clean[i], `loss ${clean[i]} -> ${l}`));
  r.linf.forEach((v) => assert.ok(v <= 0.1 + 1e-6));
  model.dispose();
  x.dispose();
});

test('custom loss and success functions', async () => {
  const m = linear2(W, B);
  const xs = pointsAt(W, B, [0.1, 0.2], [0.5, 0.5, 0.5, 0.5]);
  const x = tf.tensor2d(xs);
  // lower the class-1 logit (a margin loss) and call it a success once it is below -0.05
  const loss = (out: tf.Tensor) => out.slice([0, 1], [-1, 1]).reshape([-1]).neg();
  const success = (out: tf.Tensor) => out.slice([0, 1], [-1, 1]).reshape([-1]).less(-0.05);
  const r = await pgd(m.fn, x, [1, 1], { eps: 0.2, norm: 'l2', steps: 10, randomStart: false, loss, success, range: null });
  const z = m.margin(r.xAdv.arraySync() as number[][]);
  r.success.forEach((s, i) => assert.equal(s, z[i] < -0.05));
  assert.deepEqual(r.success, [true, false], 'an L2 step of 0.2 lowers the margin by 0.2 ||w||: only the point at distance 0.1 gets below -0.05');
  r.loss.forEach((l, i) => assert.ok(Math.abs(l + z[i]) < 1e-5, 'loss reported is the custom loss'));
  await assert.rejects(pgd(m.fn, x, [1, 1], { eps: 0.1, loss: () => tf.scalar(1) }), /one value per example/);
  tf.dispose([x, r.xAdv]);
});
