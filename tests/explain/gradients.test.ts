import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, assertClose } from '../helpers';
import { saliency, gradientXInput, integratedGradients, smoothGrad, bsm, big } from '../../src/lib/explain';
import { linear, mlp, tensorFrom, maxAbsDiff } from './tinyModels';

before(setup);

const B = 2;
const shape = [B, 3, 2]; // D = 6
const D = 6;
const C = 3;

/** Expected per-example rows: value(example i, element d). */
function expected(fn: (i: number, d: number) => number): Float32Array {
  const out = new Float32Array(B * D);
  for (let i = 0; i < B; i++) for (let d = 0; d < D; d++) out[i * D + d] = fn(i, d);
  return out;
}

test('saliency of f(x) = w.x is w (per-example targets), abs gives |w|', async () => {
  const { f, w } = linear(D, C);
  const x = tensorFrom(3, shape);
  const { map } = await saliency(f, x, { target: [0, 2] });
  assert.deepEqual(map.shape, shape);
  assertClose(map.dataSync(), expected((i, d) => w[[0, 2][i]][d]), 1e-5);
  const a = await saliency(f, x, { target: 1, abs: true });
  assertClose(a.map.dataSync(), expected((_, d) => Math.abs(w[1][d])), 1e-5);
  tf.dispose([map, a.map, x]);
});

test('saliency of a single-output model sum(x^2) is 2x (target 0); chunked batches agree', async () => {
  const f = (x: tf.Tensor) => x.square().reshape([x.shape[0], -1]).sum(1);
  const x = tensorFrom(4, [5, 4]);
  const { map } = await saliency(f, x, { target: 0, batchSize: 2 });
  assertClose(map.dataSync(), x.mul(2).dataSync(), 1e-6);
  tf.dispose([map, x]);
});

test('saliency works on a tf.LayersModel: the gradient of a dense layer is its kernel column', async () => {
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, kernelInitializer: 'glorotNormal' })] });
  const x = tensorFrom(5, [3, 4]);
  const { map } = await saliency(m, x, { target: 1 });
  const k = (m.layers[0].getWeights()[0].arraySync() as number[][]).map((r) => r[1]);
  assertClose(map.dataSync(), [...k, ...k, ...k], 1e-5);
  tf.dispose([map, x]);
  m.dispose();
});

test('gradientXInput of f(x) = w.x is w * x', async () => {
  const { f, w } = linear(D, C);
  const x = tensorFrom(6, shape);
  const xv = x.dataSync();
  const { map } = await gradientXInput(f, x, { target: [1, 0] });
  assertClose(map.dataSync(), expected((i, d) => w[[1, 0][i]][d] * xv[i * D + d]), 1e-5);
  tf.dispose([map, x]);
});

test('IG of f(x) = w.x from a baseline b is exactly (x - b) * w with gap ~0 (both rules, any steps)', async () => {
  const { f, w } = linear(D, C);
  const x = tensorFrom(7, shape);
  const b = tensorFrom(8, shape, 0.5);
  const xv = x.dataSync();
  const bv = b.dataSync();
  for (const rule of ['riemann', 'trapezoid'] as const) {
    for (const steps of [1, 3, 10]) {
      const { map, gap } = await integratedGradients(f, x, { target: 2, baseline: b, steps, rule, batchSize: 4 });
      assertClose(map.dataSync(), expected((i, d) => (xv[i * D + d] - bv[i * D + d]) * w[2][d]), 1e-5, `${rule} ${steps}`);
      for (const g of gap) assert.ok(Math.abs(g) < 1e-4, `gap ${g}`);
      map.dispose();
    }
  }
  // default baseline zeros; a number and a one-example baseline broadcast
  const z = await integratedGradients(f, x, { target: 0, steps: 2 });
  assertClose(z.map.dataSync(), expected((i, d) => xv[i * D + d] * w[0][d]), 1e-5);
  const c = await integratedGradients(f, x, { target: 0, steps: 2, baseline: 0.5 });
  assertClose(c.map.dataSync(), expected((i, d) => (xv[i * D + d] - 0.5) * w[0][d]), 1e-5);
  const one = b.slice(0, 1).reshape([3, 2]);
  const o = await integratedGradients(f, x, { target: 0, steps: 2, baseline: one });
  assertClose(o.map.dataSync(), expected((i, d) => (xv[i * D + d] - bv[d]) * w[0][d]), 1e-5);
  tf.dispose([x, b, z.map, c.map, one, o.map]);
});

test('IG on a tanh MLP: the completeness gap shrinks as steps grow, trapezoid beats riemann', async () => {
  const f = mlp(D, 8, C);
  const x = tensorFrom(9, shape, 1.5);
  const gaps: Record<string, number[]> = { riemann: [], trapezoid: [] };
  for (const rule of ['riemann', 'trapezoid'] as const) {
    for (const steps of [4, 16, 64]) {
      const { map, gap } = await integratedGradients(f, x, { target: 1, steps, rule, batchSize: 32 });
      map.dispose();
      gaps[rule].push(Math.max(...gap.map(Math.abs)));
    }
  }
  for (const rule of ['riemann', 'trapezoid']) {
    const g = gaps[rule];
    assert.ok(g[0] > g[1] && g[1] > g[2], `${rule} gaps should shrink: ${g}`);
  }
  for (let s = 0; s < 3; s++) assert.ok(gaps.trapezoid[s] < gaps.riemann[s], `trapezoid ${gaps.trapezoid} vs riemann ${gaps.riemann}`);
  assert.ok(gaps.trapezoid[2] < 1e-3, `trapezoid gap at 64 steps ${gaps.trapezoid[2]}`);
  x.dispose();
});

test('IG is the same whatever the chunking of steps', async () => {
  const f = mlp(D, 8, C);
  const x = tensorFrom(10, shape);
  const a = await integratedGradients(f, x, { target: 0, steps: 7, batchSize: 2 });
  const b = await integratedGradients(f, x, { target: 0, steps: 7, batchSize: 100 });
  assert.ok(maxAbsDiff(a.map.dataSync(), b.map.dataSync()) < 1e-5);
  tf.dispose([x, a.map, b.map]);
});

test('smoothGrad with sigma = 0 equals saliency; on a linear model it is w for any sigma', async () => {
  const f = mlp(D, 8, C);
  const x = tensorFrom(11, shape);
  const s = await saliency(f, x, { target: 2 });
  const sg = await smoothGrad(saliency, { n: 3, sigma: 0 })(f, x, { target: 2 });
  assertClose(sg.map.dataSync(), s.map.dataSync(), 1e-5);
  const lin = linear(D, C);
  const sl = await smoothGrad(saliency, { n: 5, sigma: 1, seed: 3, batchSize: 4 })(lin.f, x, { target: [0, 1] });
  assertClose(sl.map.dataSync(), expected((i, d) => lin.w[i][d]), 1e-5);
  const sq = await smoothGrad(saliency, { n: 5, noiseLevel: 0.2, squared: true })(lin.f, x, { target: 0 });
  assertClose(sq.map.dataSync(), expected((_, d) => lin.w[0][d] ** 2), 1e-5);
  tf.dispose([x, s.map, sg.map, sl.map, sq.map]);
});

test('smoothGrad: same seed same map, another seed another map; noise really changes a nonlinear map', async () => {
  const f = mlp(D, 8, C);
  const x = tensorFrom(12, shape);
  const sg = (seed: number) => smoothGrad(saliency, { n: 8, noiseLevel: 0.3, seed, batchSize: 6 })(f, x, { target: 1 });
  const a = await sg(1);
  const b = await sg(1);
  const c = await sg(2);
  const s = await saliency(f, x, { target: 1 });
  assert.deepEqual(Array.from(a.map.dataSync()), Array.from(b.map.dataSync()));
  assert.ok(maxAbsDiff(a.map.dataSync(), c.map.dataSync()) > 1e-4);
  assert.ok(maxAbsDiff(a.map.dataSync(), s.map.dataSync()) > 1e-4);
  assert.equal(a.sigma.length, B);
  tf.dispose([x, a.map, b.map, c.map, s.map]);
});

test('smoothGrad wraps IG: per-example baselines are repeated with the copies and gaps averaged', async () => {
  const { f, w } = linear(D, C);
  const x = tensorFrom(13, shape);
  const b = tensorFrom(14, shape);
  const r = await smoothGrad(integratedGradients, { n: 4, sigma: 0 })(f, x, { target: 1, baseline: b, steps: 2 });
  const xv = x.dataSync();
  const bv = b.dataSync();
  assertClose(r.map.dataSync(), expected((i, d) => (xv[i * D + d] - bv[i * D + d]) * w[1][d]), 1e-5);
  assert.equal(r.gap!.length, B);
  for (const g of r.gap!) assert.ok(Math.abs(g) < 1e-4);
  tf.dispose([x, b, r.map]);
});

test('BSM is the gradient at the boundary point; on f(x) = w.x it is w', async () => {
  const lin = linear(D, C);
  const x = tensorFrom(15, shape);
  const xb = tensorFrom(16, shape);
  const r = await bsm(lin.f, x, { target: 0, boundary: xb });
  assertClose(r.map.dataSync(), expected((_, d) => lin.w[0][d]), 1e-5);
  const f = mlp(D, 8, C);
  const m = await bsm(f, x, { target: 2, boundary: xb });
  const s = await saliency(f, xb, { target: 2 });
  assertClose(m.map.dataSync(), s.map.dataSync(), 1e-6);
  const sx = await saliency(f, x, { target: 2 });
  assert.ok(maxAbsDiff(m.map.dataSync(), sx.map.dataSync()) > 1e-3, 'BSM differs from the gradient at x');
  tf.dispose([x, xb, r.map, m.map, s.map, sx.map]);
});

test("BIG on f(x) = w.x is (x - x') * w with completeness; on an MLP its gap closes with steps", async () => {
  const lin = linear(D, C);
  const x = tensorFrom(17, shape);
  const xb = tensorFrom(18, shape);
  const xv = x.dataSync();
  const bv = xb.dataSync();
  const r = await big(lin.f, x, { target: 1, boundary: xb, steps: 5 });
  assertClose(r.map.dataSync(), expected((i, d) => (xv[i * D + d] - bv[i * D + d]) * lin.w[1][d]), 1e-5);
  for (const g of r.gap) assert.ok(Math.abs(g) < 1e-4);
  const f = mlp(D, 8, C);
  const g4 = await big(f, x, { target: 1, boundary: xb, steps: 4 });
  const g64 = await big(f, x, { target: 1, boundary: xb, steps: 64 });
  assert.ok(Math.max(...g64.gap.map(Math.abs)) < Math.max(...g4.gap.map(Math.abs)));
  // BIG = IG with the boundary as baseline (trapezoid)
  const ig = await integratedGradients(f, x, { target: 1, baseline: xb, steps: 64, rule: 'trapezoid' });
  assertClose(g64.map.dataSync(), ig.map.dataSync(), 1e-5);
  tf.dispose([x, xb, r.map, g4.map, g64.map, ig.map]);
});

test('no tensor leaks: saliency, gradientXInput, IG, smoothGrad, BSM, BIG', async () => {
  const f = mlp(D, 8, C);
  const x = tensorFrom(19, shape);
  const xb = tensorFrom(20, shape);
  await saliency(f, x, { target: 0 }); // warm-up (kernel caches)
  const calls: (() => Promise<{ map: tf.Tensor }>)[] = [
    () => saliency(f, x, { target: 0, abs: true, batchSize: 1 }),
    () => gradientXInput(f, x, { target: 1, batchSize: 1 }),
    () => integratedGradients(f, x, { target: 2, steps: 5, baseline: xb, batchSize: 3 }),
    () => smoothGrad(saliency, { n: 3, seed: 1, batchSize: 2 })(f, x, { target: 0 }),
    () => smoothGrad(integratedGradients, { n: 2 })(f, x, { target: 0, baseline: xb, steps: 2 }),
    () => bsm(f, x, { target: 1, boundary: xb, batchSize: 1 }),
    () => big(f, x, { target: 1, boundary: xb, steps: 4 }),
  ];
  for (const call of calls) {
    await noLeak(async () => {
      const r = await call();
      r.map.dispose();
    });
  }
  tf.dispose([x, xb]);
});

test('clear errors: unknown option, target out of range, NaN input, shape mismatches, bad values', async () => {
  const f = mlp(D, 8, C);
  const single = (x: tf.Tensor) => x.reshape([x.shape[0], -1]).sum(1);
  const x = tensorFrom(21, shape);
  const nan = tf.tensor(new Float32Array(B * D).fill(NaN), shape);
  const wrong = tf.zeros([B, 6]);
  const flat = tf.zeros([4]);
  await noLeak(async () => {
    await assert.rejects(saliency(f, x, { target: 0, abss: true } as never), /saliency: unknown option "abss"/);
    await assert.rejects(saliency(f, x, { target: 3 }), /target 3 is out of range: the model has 3 outputs/);
    await assert.rejects(saliency(single, x, { target: 1 }), /target 1 is out of range: the model has 1 output \(valid 0..0\)/);
    await assert.rejects(saliency(f, x, { target: [0, 1, 2] }), /target has 3 entries but x has 2 examples/);
    await assert.rejects(saliency(f, x, { target: 0.5 }), /integer class indices/);
    await assert.rejects(saliency(f, x, {} as never), /option "target" is required/);
    await assert.rejects(saliency(f, nan, { target: 0 }), /saliency: x contains NaN/);
    await assert.rejects(gradientXInput(f, nan, { target: 0 }), /gradientXInput: x contains NaN/);
    await assert.rejects(integratedGradients(f, x, { target: 0, baseline: wrong }), /baseline shape \[2,6\] does not match x \[2,3,2\]/);
    await assert.rejects(integratedGradients(f, x, { target: 0, baseline: nan }), /baseline contains NaN/);
    await assert.rejects(integratedGradients(f, x, { target: 0, rule: 'simpson' as never }), /unknown rule "simpson"/);
    await assert.rejects(integratedGradients(f, x, { target: 0, steps: 0 }), /steps must be a positive integer/);
    await assert.rejects(integratedGradients(f, x, { target: 0, step: 4 } as never), /unknown option "step"/);
    await assert.rejects(bsm(f, x, { target: 0, boundary: wrong }), /bsm: boundary shape \[2,6\] does not match x \[2,3,2\]/);
    await assert.rejects(big(f, x, { target: 0, boundary: wrong }), /big: boundary shape/);
    await assert.rejects(big(f, x, { target: 0 } as never), /big: option "boundary"/);
    await assert.rejects(big(f, x, { target: 0, boundary: nan }), /boundary contains NaN/);
    await assert.rejects(big(f, x, { target: 9, boundary: x }), /target 9 is out of range/);
    assert.throws(() => smoothGrad(saliency, { m: 3 } as never), /smoothGrad: unknown option "m"/);
    assert.throws(() => smoothGrad(saliency, { sigma: -1 }), /sigma must be >= 0/);
    await assert.rejects(smoothGrad(saliency, { n: 2 })(f, nan, { target: 0 }), /smoothGrad: x contains NaN/);
    await assert.rejects(smoothGrad(saliency, { n: 2 })(f, x, { target: 7 }), /target 7 is out of range/);
    await assert.rejects(saliency(f, flat, { target: 0 }), /rank >= 2/);
  });
  tf.dispose([x, nan, wrong, flat]);
});
