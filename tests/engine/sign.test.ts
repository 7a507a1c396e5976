// Sign and Log1p on wasm without tfjs-backend-wasm 4.22's dead zone near 0 (issue 14), against
// analytic values and the cpu backend; the FGSM reproduction end to end.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, onBackend, noLeak } from '../helpers';
import { Rng } from '../../src/lib/engine';
import { fgsm, pgd } from '../../src/lib/attacks';
import { mlp, saveModel, isCached, TRAINING_GRADIENTS } from '../../src/lib/models';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

before(setup);

const onWasm = () => tf.getBackend() === 'wasm';
const DENORMAL = 1e-40; // below float32's smallest normal (1.18e-38)
const SPECIAL = [0, -0, 1e-8, -1e-8, 1e-30, -1e-30, DENORMAL, -DENORMAL, 1.4e-45, -1.4e-45, 1.1e-7, -1.1e-7, 1.2e-7, 1e-7, NaN, Infinity, -Infinity, 1, -1, 0.5, -3];
/** PyTorch 1.13 torch.sign and tfjs cpu (both checked): +-1 for nonzero, +0 for +-0 and NaN. */
const signOf = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);

const sameBits = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

test('sign: +-1 for any nonzero float32 (tiny, denormal, infinite), +0 for +-0 and NaN', () => {
  const got = noLeakSync(() => tf.tidy(() => Array.from(tf.sign(tf.tensor1d(SPECIAL)).dataSync())));
  SPECIAL.forEach((v, i) => assert.ok(sameBits(got[i], signOf(Math.fround(v))), `sign(${v}) = ${got[i]}, want ${signOf(v)}`));
  // the float32 values really are nonzero (the dead zone was the wasm kernel, not the storage)
  assert.ok(Math.fround(1.4e-45) > 0 && Math.fround(DENORMAL) > 0);
});

test('sign on wasm equals cpu bit for bit, on special values and a large tensor with tiny entries', async (t) => {
  if (!onWasm()) return t.skip('wasm only');
  const rng = new Rng(3);
  const big = rng.normals(10_007);
  // scale a third of the entries into the old dead zone and below
  for (let i = 0; i < big.length; i += 3) big[i] *= 10 ** -(4 + (i % 40));
  for (const values of [Float32Array.from(SPECIAL), big]) {
    const run = () => tf.tidy(() => Array.from(tf.sign(tf.tensor(values, [values.length])).dataSync()));
    const w = run();
    const c = await onBackend('cpu', run);
    assert.equal(w.length, c.length);
    let diff = 0;
    for (let i = 0; i < w.length; i++) if (!sameBits(w[i], c[i])) diff++;
    assert.equal(diff, 0, `${diff} of ${w.length} signs differ from cpu`);
  }
  // tfjs-wasm's dead zone would have zeroed ~1/3 of these: the test would fail without the kernel
  const nz = tf.tidy(() => tf.sign(tf.tensor(big, [big.length])).abs().sum().dataSync()[0]);
  assert.equal(nz, big.filter((v) => v !== 0).length);
});

test('sign keeps shape and int32 dtype; empty tensors; the gradient of sign is 0', () => {
  noLeakSync(() => tf.tidy(() => {
    const i = tf.sign(tf.tensor1d([-3, 0, 5], 'int32'));
    assert.equal(i.dtype, 'int32');
    assert.deepEqual(Array.from(i.dataSync()), [-1, 0, 1]);
    const m = tf.sign(tf.tensor2d([[1e-20, -2e-20], [0, 4]]));
    assert.deepEqual(m.shape, [2, 2]);
    assert.deepEqual(m.arraySync(), [[1, -1], [0, 1]]);
    assert.deepEqual(tf.sign(tf.zeros([0, 3])).shape, [0, 3]);
    const g = tf.grad((x: tf.Tensor) => tf.sign(x).sum())(tf.tensor1d([1e-9, -2]));
    assert.deepEqual(Array.from(g.dataSync()), [0, 0]);
  }));
});

test("issue 14's reproduction: FGSM with a 1e-8 gradient moves x by eps (x -> [0.4, 0.4])", async () => {
  const x = tf.tensor2d([[0.5, 0.5]]);
  await noLeak(async () => {
    const r = await fgsm((v: tf.Tensor) => v.mul(1e-8).sum(1, true), x, [[1]], { eps: 0.1, loss: 'mse' });
    const got = Array.from(r.xAdv.dataSync());
    r.xAdv.dispose();
    // d/dx (1e-8 (x1 + x2) - 1)^2 = 2e-8 (1e-8 (x1 + x2) - 1) < 0: one step of -0.1 per coordinate
    got.forEach((v) => assert.ok(Math.abs(v - 0.4) < 1e-7, `x moved to ${got}, want [0.4, 0.4]`));
  });
  x.dispose();
});

test('a PGD step equals x + a * sign(grad) then projection and clipping, coordinate for coordinate, with gradients ~1e-9', async () => {
  // f(x) = sum_j w_j x_j with |w_j| from 1e-3 down to 1e-12: MSE to target 10 ascends along sign(w)
  const d = 40;
  const w = Array.from({ length: d }, (_, j) => (j % 2 ? -1 : 1) * 10 ** -(3 + (j % 10)));
  const xs = Array.from({ length: 3 }, (_, i) => Array.from({ length: d }, (_, j) => ((i * d + j) % 17) / 16));
  const wT = tf.tensor2d(w, [d, 1]);
  const x = tf.tensor2d(xs);
  const eps = 0.03;
  const stepSize = 0.01;
  const steps = 2;
  const r = await pgd((v: tf.Tensor) => v.matMul(wT), x, xs.map(() => [10]), { eps, stepSize, steps, randomStart: false, loss: 'mse' });
  const got = r.xAdv.arraySync() as number[][];
  r.xAdv.dispose();
  // the loss (f - 10)^2 has gradient 2 (f - 10) w, f << 10: direction -sign(w), every step
  xs.forEach((row, i) =>
    row.forEach((x0, j) => {
      let xa = x0;
      for (let s = 0; s < steps; s++) {
        xa = Math.fround(xa - Math.sign(w[j]) * stepSize);
        xa = Math.min(Math.max(xa, x0 - eps), x0 + eps);
        xa = Math.min(Math.max(xa, 0), 1);
      }
      assert.ok(Math.abs(got[i][j] - xa) < 1e-6, `x[${i}][${j}] = ${got[i][j]}, want ${xa} (|w| = ${Math.abs(w[j])})`);
    }),
  );
  tf.dispose([wT, x]);
});

test('log1p: accurate near 0 (wasm gave 0 below 6e-8) and equal to cpu', async (t) => {
  const xs = [0, -0, 1e-8, -1e-8, 1e-30, DENORMAL, 1.1e-7, 1e-4, -0.5, 3, 1e6, -1, -2, NaN, Infinity];
  const run = () => tf.tidy(() => Array.from(tf.log1p(tf.tensor1d(xs)).dataSync()));
  const got = noLeakSync(run);
  xs.forEach((v, i) => {
    const want = Math.fround(Math.log1p(Math.fround(v)));
    assert.ok(sameBits(got[i], want) || Math.abs(got[i] - want) <= 1e-7 * Math.abs(want), `log1p(${v}) = ${got[i]}, want ${want}`);
  });
  if (!onWasm()) return t.skip('cpu comparison on wasm only');
  const c = await onBackend('cpu', run);
  got.forEach((v, i) => assert.ok(sameBits(v, c[i]), `log1p(${xs[i]}): wasm ${v}, cpu ${c[i]}`));
  // the logistic loss term log1p(exp(-|z|)) is exp(-|z|) for large |z|, not 0
  const tail = tf.tidy(() => tf.log1p(tf.exp(tf.scalar(-20))).dataSync()[0]);
  assert.ok(Math.abs(tail / Math.exp(-20) - 1) < 1e-6, `log1p(exp(-20)) = ${tail}`);
});

test('models trained before the Sign fix (trainingGradients 2) are not reused from the cache', async () => {
  assert.ok(TRAINING_GRADIENTS >= 3, 'the Sign fix bumps the training-engine version');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-sign-'));
  try {
    const m = mlp({ inputShape: [2], outputs: 2, seed: 1 });
    await saveModel(m, 'old', { dir, config: { seed: 1, trainingGradients: 2 } });
    m.dispose();
    assert.equal(isCached('old', { seed: 1 }, { dir }), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function noLeakSync<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  assert.equal(tf.memory().numTensors, before, 'tensor leak');
  return out;
}

test('clipByValue keeps NaN (wasm clamped it to the lower bound) and equals cpu', async (t) => {
  const xs = [NaN, -2, -1e-30, 0, 0.5, 1, 1 + 1e-7, 3, Infinity, -Infinity];
  const run = () => tf.tidy(() => Array.from(tf.clipByValue(tf.tensor1d(xs), 0, 1).dataSync()));
  const got = noLeakSync(run);
  const want = xs.map((v) => (Number.isNaN(v) ? NaN : Math.fround(Math.min(1, Math.max(0, v)))));
  got.forEach((v, i) => assert.ok(sameBits(v, want[i]), `clip(${xs[i]}) = ${v}, want ${want[i]}`));
  const i32 = tf.tidy(() => Array.from(tf.clipByValue(tf.tensor1d([-5, 2, 9], 'int32'), 0, 4).dataSync()));
  assert.deepEqual(i32, [0, 2, 4]);
  if (!onWasm()) return t.skip('cpu comparison on wasm only');
  const c = await onBackend('cpu', run);
  got.forEach((v, i) => assert.ok(sameBits(v, c[i]), `clip(${xs[i]}): wasm ${v}, cpu ${c[i]}`));
});
