import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { regressionAttack, regressionAttackSync, flipAttack, rowPearson, pgd } from '../../src/lib/attacks';
import { Rng } from '../../src/lib/engine';

before(setup);

/**
 * A tiny linear regressor with 8 outputs (P1's emotions) on 6 input features. Its labels are twice
 * its predictions plus noise: highly correlated, and the residual points against y, so ascending the
 * MSE drives the correlation negative (a linear model fitted to y would only amplify its noise).
 */
function regressor() {
  const rng = new Rng(11);
  const Wv = tf.tensor2d(rng.normals(6 * 8, 0, 0.5), [6, 8]);
  const fn = (x: tf.Tensor) => tf.tidy(() => x.reshape([x.shape[0], -1]).matMul(Wv));
  const x = tf.tensor2d(rng.normals(5 * 6), [5, 6]);
  const y = tf.tidy(() => fn(x).mul(2).add(tf.tensor2d(rng.normals(5 * 8, 0, 0.3), [5, 8])));
  return { fn, x, y, Wv };
}

test('P1 regression attack raises MAE and lowers the per-example correlation; code variant is unbounded', async () => {
  const m = regressor();
  const r = await noLeak(async () => {
    const r = await regressionAttack(m.fn, m.x, m.y, { steps: 150, lr: 0.02 });
    const corr = tf.tidy(() => Array.from(rowPearson(m.fn(r.xAdv), m.y).dataSync()));
    r.xAdv.dispose();
    return { ...r, corr };
  });
  r.corrClean.forEach((c) => assert.ok(c > 0.9, `clean correlation ${c}`));
  r.maeChange.forEach((d, i) => assert.ok(d > 0 && Math.abs(d - (r.maeAdv[i] - r.maeClean[i])) < 1e-9, `MAE change ${d}`));
  r.corrFinal.forEach((c, i) => {
    assert.ok(c < r.corrClean[i] - 0.5, `correlation ${r.corrClean[i]} -> ${c}`);
    assert.ok(Math.abs(c - r.corr[i]) < 1e-5, 'corrFinal is the correlation at xAdv');
    // the kept delta sits at a crossing: at or below a grid threshold under the start
    assert.ok(c <= Math.ceil(10 * r.corrClean[i]) / 10 - 0.1 + 1e-6);
  });
  assert.ok(r.success.every(Boolean));
  assert.ok(r.linf.some((v) => v > 0.001), `the 'code' variant exceeds the intended 0.001 clip: ${r.linf}`);
  r.snrDb.forEach((s, i) => assert.ok(Number.isFinite(s) && Math.abs(s - 20 * Math.log10(Math.hypot(...(m.x.arraySync() as number[][])[i]) / r.l2[i])) < 1e-3));
  tf.dispose([m.x, m.y, m.Wv]);
});

test('P1 threshold schedule: keeps delta at the last crossing, down to minThreshold', async () => {
  const m = regressor();
  const run = async (o: object) => {
    const r = await regressionAttack(m.fn, m.x, m.y, { lr: 0.02, ...o });
    r.xAdv.dispose();
    return r;
  };
  const a = await run({ steps: 200, minThreshold: -0.3 });
  a.corrFinal.forEach((c) => assert.ok(c <= -0.3 + 1e-6, `final correlation ${c} is past the -0.3 crossing`));
  // nothing after the lowest threshold is kept: more steps change nothing
  const b = await run({ steps: 400, minThreshold: -0.3 });
  assert.deepEqual(b.keptStep, a.keptStep);
  assert.deepEqual(b.corrFinal, a.corrFinal);
  // the default schedule goes on to -0.9
  const c = await run({ steps: 400 });
  c.corrFinal.forEach((v, i) => assert.ok(v <= a.corrFinal[i] + 1e-6));
  assert.ok(c.corrFinal.some((v, i) => v < a.corrFinal[i] - 0.1));
  // too few steps to cross anything: delta stays zero, not a success
  const r0 = await run({ steps: 1 });
  assert.deepEqual(r0.l2, [0, 0, 0, 0, 0]);
  assert.deepEqual(r0.success, [false, false, false, false, false]);
  tf.dispose([m.x, m.y, m.Wv]);
});

test('P1 bounded variant respects the Linf bound; mask confines delta; errors are clear', async () => {
  const m = regressor();
  const b = await regressionAttack(m.fn, m.x, m.y, { steps: 100, lr: 0.02, clip: 'bounded', eps: 0.05 });
  b.linf.forEach((v) => assert.ok(v <= 0.05 + 1e-6, `bounded Linf ${v}`));
  b.maeChange.forEach((d) => assert.ok(d >= 0));
  const mask = tf.tensor2d([[1, 1, 1, 0, 0, 0]]);
  const mk = await regressionAttack(m.fn, m.x, m.y, { steps: 50, lr: 0.02, mask });
  (tf.tidy(() => mk.xAdv.sub(m.x).arraySync()) as number[][]).forEach((row) => assert.deepEqual(row.slice(3), [0, 0, 0]));
  await assert.rejects(regressionAttack(m.fn, m.x, m.y, { eps: 0.1 }), /eps only applies with clip: 'bounded'/);
  await assert.rejects(regressionAttack(m.fn, m.x, m.y, { clip: 0.001 as unknown as 'code' }), /clip must be 'code'/);
  await assert.rejects(regressionAttack(m.fn, m.x, tf.zeros([5, 7]), {}), /the model gives 5 x 8 outputs/);
  await assert.rejects(regressionAttack(m.fn, m.x, m.y, { iterations: 3 } as object), /unknown option "iterations"/);
  tf.dispose([m.x, m.y, m.Wv, b.xAdv, mask, mk.xAdv]);
});

test('P1 predLast is the prediction at the last iterate (the authors\' new-pred): f(x) after 1 step, f(x + lr sign(grad)) after 2; chunking does not change it', async () => {
  const m = regressor();
  const lr = 0.02;
  const [f0, f1] = tf.tidy(() => {
    const p0 = m.fn(m.x);
    // d MSE / d delta at delta = 0 for f(x) = x W: proportional to (f(x) - y) W^T; Adam's first step on its sign moves lr * sign
    const x1 = m.x.add(p0.sub(m.y).matMul(m.Wv.transpose()).sign().mul(lr));
    return [p0.arraySync() as number[][], m.fn(x1).arraySync() as number[][]];
  });
  const one = await noLeak(async () => {
    const r = await regressionAttack(m.fn, m.x, m.y, { steps: 1, lr });
    r.xAdv.dispose();
    return r;
  });
  assert.equal(one.predLast.length, 5);
  one.predLast.forEach((row, i) => { assert.equal(row.length, 8); row.forEach((v, k) => assert.ok(Math.abs(v - f0[i][k]) < 1e-5)); });
  const two = await regressionAttack(m.fn, m.x, m.y, { steps: 2, lr });
  two.predLast.forEach((row, i) => row.forEach((v, k) => assert.ok(Math.abs(v - f1[i][k]) < 1e-4, `example ${i} output ${k}: ${v} vs ${f1[i][k]}`)));
  // after many steps the last iterate has gone past the kept delta: its MAE is at least the kept one's on average
  const many = await regressionAttack(m.fn, m.x, m.y, { steps: 120, lr });
  const chunked = await regressionAttack(m.fn, m.x, m.y, { steps: 120, lr, batchSize: 2 });
  assert.deepEqual(chunked.predLast, many.predLast);
  const kept = tf.tidy(() => m.fn(many.xAdv).arraySync() as number[][]);
  assert.ok(many.predLast.some((row, i) => row.some((v, k) => Math.abs(v - kept[i][k]) > 1e-3)), 'the last iterate is not the kept adversarial example');
  tf.dispose([m.x, m.y, m.Wv, two.xAdv, many.xAdv, chunked.xAdv]);
});

test('P1 regressionAttackSync returns the same result as regressionAttack, synchronously (for training callbacks)', async () => {
  const m = regressor();
  const a = await regressionAttack(m.fn, m.x, m.y, { steps: 30, lr: 0.02 });
  const s = regressionAttackSync(m.fn, m.x, m.y, { steps: 30, lr: 0.02 });
  assert.ok(!(s instanceof Promise));
  assert.deepEqual(s.keptStep, a.keptStep);
  assert.deepEqual(Array.from(s.xAdv.dataSync()), Array.from(a.xAdv.dataSync()));
  assert.throws(() => regressionAttackSync(m.fn, m.x, m.y, { iterations: 3 } as object), /unknown option "iterations"/);
  tf.dispose([m.x, m.y, m.Wv, a.xAdv, s.xAdv]);
});

/** A frame-wise sigmoid detector: logits z[n, t] = sum_f x[n, t, f] w_f + b. */
function detector() {
  const w = tf.tensor1d([1.5, -1, 0.5, 2]);
  const fn = (x: tf.Tensor) => tf.tidy(() => x.mul(w).sum(-1).sub(0.3));
  return { fn, w };
}

test('P2 flip attack flips every frame of a tiny sigmoid detector inside the clip, then stops', async () => {
  const d = detector();
  const rng = new Rng(5);
  const x = tf.tensor3d(rng.uniforms(3 * 5 * 4, 0, 0.2), [3, 5, 4]);
  const r = await noLeak(async () => {
    const r = await flipAttack(d.fn, x, null, { clip: 0.3, lr: 0.01, steps: 500 });
    const flippedNow = tf.tidy(() => {
      const before = d.fn(x).greater(0);
      return (before.notEqual(d.fn(r.xAdv).greater(0)).all(1).arraySync() as number[]).map(Boolean);
    });
    r.xAdv.dispose();
    return { ...r, flippedNow };
  });
  assert.deepEqual(r.success, [true, true, true]);
  assert.deepEqual(r.flippedNow, [true, true, true]);
  assert.deepEqual(r.flippedFraction, [1, 1, 1]);
  r.linf.forEach((v) => assert.ok(v <= 0.3 + 1e-6));
  r.iterations.forEach((it) => assert.ok(it > 0 && it < 500, `stopped at ${it}`));
  r.snrDb.forEach((s) => assert.ok(Number.isFinite(s)));
  // P2's defaults (c = 2, lr 3e-4, clip 0.01) do not move this detector far: the clip holds
  const p = await flipAttack(d.fn, x, null, { steps: 20 });
  p.linf.forEach((v) => assert.ok(v <= 0.01 + 1e-7));
  tf.dispose([x, p.xAdv]);
});

test('P2 through a differentiable front-end: delta and SNR live in the wave domain; flipped examples freeze', async () => {
  const d = detector();
  const rng = new Rng(6);
  const wave = tf.tensor2d(rng.uniforms(2 * 20, -0.3, 0.3), [2, 20]);
  const frontEnd = (w: tf.Tensor) => tf.tidy(() => tf.tanh(w.mul(2)).reshape([w.shape[0], 5, 4]));
  const labels = tf.tidy(() => d.fn(frontEnd(wave)).greater(0).toFloat());
  const y = tf.tidy(() => tf.concat([labels.slice(0, 1), tf.sub(1, labels.slice(1, 1))], 0)); // second already "flipped"
  const r = await flipAttack(d.fn, wave, y, { frontEnd, clip: 0.5, lr: 0.01, steps: 400, range: [-1, 1] });
  assert.deepEqual(r.success, [true, true]);
  assert.equal(r.iterations[1], 0);
  assert.equal(r.l2[1], 0, 'an example flipped from the start is not perturbed');
  assert.ok(r.l2[0] > 0);
  const wn = Math.hypot(...(wave.arraySync() as number[][])[0]);
  assert.ok(Math.abs(r.snrDb[0] - 20 * Math.log10(wn / r.l2[0])) < 1e-3);
  const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
  const rm = await flipAttack(d.fn, wave, null, { frontEnd, clip: 0.5, lr: 0.01, steps: 50, mask });
  (tf.tidy(() => rm.xAdv.sub(wave).arraySync()) as number[][]).forEach((row) => assert.ok(row.slice(10).every((v) => v === 0)));
  await assert.rejects(flipAttack(d.fn, wave, y, { frontEnd: 3 as unknown as undefined }), /frontEnd must be a function/);
  await assert.rejects(flipAttack(d.fn, wave, [0, 2], { frontEnd }), /must lie in \[0, 1\]/);
  await assert.rejects(flipAttack(d.fn, wave, y), /model could not be applied/);
  tf.dispose([wave, labels, y, r.xAdv, mask, rm.xAdv]);
});

test('PGD with loss bce and mse serves detectors and regressors', async () => {
  const d = detector();
  const rng = new Rng(8);
  const x = tf.tensor3d(rng.uniforms(4 * 5 * 4, 0, 0.2), [4, 5, 4]);
  const lab = tf.tidy(() => d.fn(x).greater(0).toFloat());
  const r = await pgd(d.fn, x, lab, { loss: 'bce', eps: 0.3, steps: 20, range: null, seed: 1 });
  assert.ok(r.success.every(Boolean), 'every frame flipped within Linf 0.3');
  const m = regressor();
  const rr = await pgd(m.fn, m.x, m.y, { loss: 'mse', eps: 0.2, steps: 10, range: null, seed: 1 });
  assert.ok(rr.success.every(Boolean), 'success for regressors = the loss rose');
  tf.dispose([x, lab, r.xAdv, m.x, m.y, m.Wv, rr.xAdv]);
});
