import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, assertClose } from '../helpers';
import { lime, kernelShap, imageGrid, audioTimeFreqGrid, superpixels } from '../../src/lib/explain';
import { limeKernel, weightedRidge } from '../../src/lib/explain/lime';
import { coalitionLimits, coalitionStats } from '../../src/lib/explain/coalitions';
import { Rng } from '../../src/lib/engine';
import { smallCnn } from '../../src/lib/models';
import { tensorFrom, maxAbsDiff } from './tinyModels';

before(setup);

// examples [6, 4, 2]: 6 x 4 pixels, 2 channels; a 3 x 2 grid = 6 segments shared by both channels
const H = 6;
const W = 4;
const CH = 2;
const seg = imageGrid(H, W, 3, 2);
const S = 6;

/** f(x)[0] = sum_s v_s * mean of segment s; f(x)[1] = sum of all elements (a second class). */
function segmentMeanModel(v: number[]): (x: tf.Tensor) => tf.Tensor {
  const counts = new Array<number>(S).fill(0);
  for (const l of seg) counts[l] += CH;
  const w = new Float32Array(H * W * CH);
  for (let p = 0; p < H * W; p++) for (let c = 0; c < CH; c++) w[p * CH + c] = v[seg[p]] / counts[seg[p]];
  const Wt = tf.keep(tf.stack([tf.tensor1d(w), tf.ones([H * W * CH])], 1));
  return (x) => tf.matMul(x.reshape([x.shape[0], -1]), Wt);
}

/** Segment means of one example (off = 0 baseline). */
function segMeans(x: Float32Array, i: number): number[] {
  const sum = new Array<number>(S).fill(0);
  const n = new Array<number>(S).fill(0);
  const D = H * W * CH;
  for (let p = 0; p < H * W; p++) for (let c = 0; c < CH; c++) {
    sum[seg[p]] += x[i * D + p * CH + c];
    n[seg[p]]++;
  }
  return sum.map((s, k) => s / n[k]);
}

const v = [1.5, -2, 0.5, 3, -1, 0.25];

test('imageGrid and audioTimeFreqGrid: equal cells, time-major labels (P2: 5 x 4 on 115 x 80)', () => {
  const g = imageGrid(6, 4, 3, 2);
  assert.deepEqual(Array.from(g.slice(0, 8)), [0, 0, 1, 1, 0, 0, 1, 1]);
  assert.equal(g[23], 5);
  const a = audioTimeFreqGrid(115, 80);
  const counts = new Array<number>(20).fill(0);
  for (const l of a) counts[l]++;
  assert.deepEqual(counts, new Array<number>(20).fill(23 * 20));
  assert.equal(a[0], 0);
  assert.equal(a[23 * 80], 4, 'second time segment starts at frame 23');
  assert.equal(a[20], 1, 'second band starts at bin 20');
  assert.equal(a[114 * 80 + 79], 19);
  assert.throws(() => imageGrid(4, 4, 5, 1), /does not fit/);
  assert.throws(() => audioTimeFreqGrid(10, 80, 0), /nTime must be a positive integer/);
});

test('superpixels separate two flat colour regions and are seeded', () => {
  const r = new Rng(5);
  const img = new Float32Array(10 * 12);
  for (let y = 0; y < 10; y++) for (let x = 0; x < 12; x++) img[y * 12 + x] = (x < 5 ? 0 : 1) + r.normal(0, 0.01);
  const t = tf.tensor(img, [10, 12]);
  const labels = superpixels(t, { nSegments: 2, compactness: 0.01, seed: 3 });
  for (let y = 0; y < 10; y++) for (let x = 0; x < 12; x++) {
    assert.equal(labels[y * 12 + x], labels[x < 5 ? 0 : 11], `pixel ${y},${x}`);
  }
  assert.notEqual(labels[0], labels[11]);
  const rgb = tensorFrom(6, [16, 16, 3]);
  const a = superpixels(rgb, { nSegments: 9, seed: 1 });
  const b = superpixels(rgb, { nSegments: 9, seed: 1 });
  assert.deepEqual(Array.from(a), Array.from(b));
  const K = Math.max(...a) + 1;
  assert.ok(K >= 2 && K <= 9, `K = ${K}`);
  assert.equal(new Set(a).size, K, 'labels are 0..K-1');
  assert.throws(() => superpixels(rgb, { n: 3 } as never), /unknown option "n"/);
  tf.dispose([t, rgb]);
});

test('LIME kernel and ridge match their formulas (sklearn Ridge alpha = 1 with intercept)', () => {
  const Z = Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const w = limeKernel(Z, 3, 4, 0.25);
  assert.ok(Math.abs(w[0] - 1) < 1e-12);
  const d = 1 - Math.sqrt(0.5);
  assert.ok(Math.abs(w[1] - Math.sqrt(Math.exp(-(d * d) / 0.0625))) < 1e-12);
  assert.ok(Math.abs(w[2] - Math.sqrt(Math.exp(-1 / 0.0625))) < 1e-12, 'all-off sample has distance 1');
  // Ridge(alpha=1).fit([[1],[0],[1],[0]], [2,0,2,0]) -> coef 1, intercept 0.5, R^2 0.75
  const fit = weightedRidge('t', Uint8Array.from([1, 0, 1, 0]), Float64Array.from([2, 0, 2, 0]), new Float64Array(4).fill(1), 4, 1, 1);
  assert.ok(Math.abs(fit.coef[0] - 1) < 1e-12 && Math.abs(fit.intercept - 0.5) < 1e-12 && Math.abs(fit.r2 - 0.75) < 1e-12);
});

test('LIME recovers v_s * mean_s of a model linear in segment means (off = 0), fidelity ~1', async () => {
  const f = segmentMeanModel(v);
  const x = tensorFrom(7, [2, H, W, CH]);
  const xv = x.dataSync() as Float32Array;
  const exact = await lime(f, x, { target: 0, segments: seg, off: 0, nSamples: 400, alpha: 0, seed: 1 });
  const ridge = await lime(f, x, { target: 0, segments: seg, off: 0, nSamples: 2000, seed: 1 });
  for (let i = 0; i < 2; i++) {
    const m = segMeans(xv, i);
    const truth = v.map((vs, s) => vs * m[s]);
    assertClose(exact.weights[i], truth, 1e-4, 'alpha 0');
    assertClose(ridge.weights[i], truth, 0.02, 'alpha 1 (slight shrinkage)');
    assert.ok(Math.abs(exact.intercept[i]) < 1e-4);
    assert.ok(exact.fidelity[i] > 0.99999 && ridge.fidelity[i] > 0.999, `fidelity ${exact.fidelity[i]} ${ridge.fidelity[i]}`);
  }
  // the map paints each segment's weight over its pixels and channels
  const map = exact.map.dataSync();
  assert.deepEqual(exact.map.shape, [2, H, W, CH]);
  const D = H * W * CH;
  for (let p = 0; p < H * W; p++) for (let c = 0; c < CH; c++) assert.equal(map[D + p * CH + c], Math.fround(exact.weights[1][seg[p]]));
  // the first sample is x itself
  const fx = (f(x) as tf.Tensor).arraySync() as number[][];
  assert.ok(Math.abs(exact.prediction[1] - fx[1][0]) < 1e-4);
  tf.dispose([x, exact.map, ridge.map]);
});

test("LIME with off = 'mean' (P2) and with a baseline tensor", async () => {
  const f = segmentMeanModel(v);
  const x = tensorFrom(8, [1, H, W, CH]);
  const xv = x.dataSync() as Float32Array;
  const mean = xv.reduce((a, b) => a + b, 0) / xv.length;
  const r = await lime(f, x, { target: 0, segments: seg, off: 'mean', nSamples: 300, alpha: 0 });
  const m = segMeans(xv, 0);
  assertClose(r.weights[0], v.map((vs, s) => vs * (m[s] - mean)), 1e-4);
  const base = tf.fill([H, W, CH], 0.5);
  const rb = await lime(f, x, { target: 0, segments: seg, off: base, nSamples: 300, alpha: 0 });
  assertClose(rb.weights[0], v.map((vs, s) => vs * (m[s] - 0.5)), 1e-4);
  tf.dispose([x, r.map, rb.map, base]);
});

test('LIME is seeded: same seed same weights, another seed other weights (nonlinear model)', async () => {
  const f = (x: tf.Tensor) => tf.tanh(x.reshape([x.shape[0], -1]).sum(1, true)).mul(x.reshape([x.shape[0], -1]).slice([0, 0], [-1, 7]).sum(1, true).square());
  const x = tensorFrom(9, [1, H, W, CH]);
  const a = await lime(f, x, { target: 0, segments: seg, nSamples: 64, seed: 4, batchSize: 10 });
  const b = await lime(f, x, { target: 0, segments: seg, nSamples: 64, seed: 4, batchSize: 64 });
  const c = await lime(f, x, { target: 0, segments: seg, nSamples: 64, seed: 5 });
  assertClose(a.weights[0], b.weights[0], 1e-5, 'batching does not change the samples');
  assert.ok(maxAbsDiff(a.weights[0], c.weights[0]) > 1e-4);
  assert.ok(a.fidelity[0] < 0.999, 'a nonlinear model is not fitted perfectly');
  tf.dispose([x, a.map, b.map, c.map]);
});

test('LIME with 8192 samples on one 115 x 80 excerpt stays far below 2 GB (chunked)', async () => {
  const w = tf.keep(tensorFrom(10, [115 * 80, 1], 0.01));
  let peak = 0;
  const f = (x: tf.Tensor) => {
    peak = Math.max(peak, tf.memory().numBytes);
    return tf.sigmoid(tf.matMul(x.reshape([x.shape[0], -1]), w));
  };
  const x = tensorFrom(11, [1, 115, 80, 1]);
  const base = tf.memory().numBytes;
  const r = await lime(f, x, { target: 0, segments: audioTimeFreqGrid(115, 80), nSamples: 8192, seed: 0 });
  assert.equal(r.weights[0].length, 20);
  const extraMB = (peak - base) / 2 ** 20;
  assert.ok(extraMB < 64, `peak extra tensor memory ${extraMB.toFixed(1)} MB`);
  tf.dispose([x, r.map, w]);
});

/** Exact Shapley values by enumeration, for a value function on coalitions (bitmask). */
function shapley(M: number, value: (mask: number) => number): number[] {
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const phi = new Array<number>(M).fill(0);
  for (let i = 0; i < M; i++) {
    for (let s = 0; s < 1 << M; s++) {
      if (s & (1 << i)) continue;
      let k = 0;
      for (let j = 0; j < M; j++) if (s & (1 << j)) k++;
      phi[i] += ((fact(k) * fact(M - k - 1)) / fact(M)) * (value(s | (1 << i)) - value(s));
    }
  }
  return phi;
}

test('KernelSHAP equals exact Shapley values: additive model (enumerated and sampled) and an interaction model', async () => {
  // additive over elements: f(x) = sum_e u_e x_e^2, off = 0 => phi_s = sum_{e in s} u_e x_e^2
  const D = H * W * CH;
  const u = tensorFrom(12, [D]);
  const uv = u.dataSync();
  const f = (x: tf.Tensor) => x.reshape([x.shape[0], -1]).square().mul(u).sum(1);
  const x = tensorFrom(13, [2, H, W, CH]);
  const xv = x.dataSync();
  const truth = (i: number, labels: Int32Array, M: number) => {
    const p = new Array<number>(M).fill(0);
    for (let e = 0; e < D; e++) p[labels[Math.floor(e / CH)]] += uv[e] * xv[i * D + e] ** 2;
    return p;
  };
  const ex = await kernelShap(f, x, { target: 0, segments: seg, off: 0 });
  assert.deepEqual(ex.exact, [true, true]);
  for (let i = 0; i < 2; i++) assertClose(ex.values[i], truth(i, seg, S), 1e-4, 'enumerated');
  const fine = imageGrid(H, W, 6, 2); // 12 segments: 4094 coalitions > budget -> sampled
  const sm = await kernelShap(f, x, { target: 0, segments: fine, off: 0, nSamples: 300, seed: 2 });
  assert.deepEqual(sm.exact, [false, false]);
  for (let i = 0; i < 2; i++) assertClose(sm.values[i], truth(i, fine, 12), 1e-3, 'sampled');

  // interaction: f = m0 * m1 + m2^2 - m3 over 4 segments (segment means), off = 0
  const seg4 = imageGrid(H, W, 2, 2);
  const g = (x: tf.Tensor) => {
    const r = x.reshape([x.shape[0], H, W, CH]);
    const m = [0, 1, 2, 3].map((s) => r.slice([0, (s >> 1) * 3, (s & 1) * 2, 0], [-1, 3, 2, CH]).mean([1, 2, 3]));
    return m[0].mul(m[1]).add(m[2].square()).sub(m[3]);
  };
  const r = await kernelShap(g, x, { target: 0, segments: seg4, off: 0 });
  for (let i = 0; i < 2; i++) {
    const means = [0, 1, 2, 3].map((s) => {
      let acc = 0;
      for (let p = 0; p < H * W; p++) if (seg4[p] === s) for (let c = 0; c < CH; c++) acc += xv[i * D + p * CH + c];
      return acc / (6 * CH);
    });
    const val = (mask: number) => {
      const m = means.map((mm, s) => ((mask >> s) & 1 ? mm : 0));
      return m[0] * m[1] + m[2] ** 2 - m[3];
    };
    const phi = shapley(4, val);
    assertClose(r.values[i], phi, 1e-4, 'interaction');
    const sum = r.values[i].reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - (r.prediction[i] - r.base[i])) < 1e-4, 'efficiency');
  }
  tf.dispose([u, x, ex.map, sm.map, r.map]);
});

test('no tensor leaks: lime and kernelShap', async () => {
  const f = segmentMeanModel(v);
  const x = tensorFrom(14, [2, H, W, CH]);
  await noLeak(async () => {
    const a = await lime(f, x, { target: 1, segments: [seg, imageGrid(H, W, 2, 2)], nSamples: 50, batchSize: 16 });
    a.map.dispose();
    const b = await kernelShap(f, x, { target: 0, segments: seg, nSamples: 20, batchSize: 16 });
    b.map.dispose();
  });
  tf.dispose([x]);
});

test('lime / kernelShap errors: segments, off, NaN, options, target range', async () => {
  const f = segmentMeanModel(v);
  const x = tensorFrom(15, [1, H, W, CH]);
  const nan = tf.fill([1, H, W, CH], NaN);
  const badOff = tf.zeros([3, 3]);
  await noLeak(async () => {
    await assert.rejects(lime(f, x, { target: 0 } as never), /lime: option "segments" is required/);
    await assert.rejects(lime(f, x, { target: 0, segments: new Int32Array(5) }), /segments has 5 labels/);
    await assert.rejects(lime(f, x, { target: 0, segments: [seg, seg] }), /one Int32Array per example \(1\)/);
    await assert.rejects(lime(f, x, { target: 0, segments: seg, off: badOff }), /off shape \[3,3\] does not match/);
    await assert.rejects(lime(f, x, { target: 0, segments: seg, off: 'median' as never }), /off must be a number, 'mean'/);
    await assert.rejects(lime(f, nan, { target: 0, segments: seg }), /lime: x contains NaN/);
    await assert.rejects(lime(f, x, { target: 2, segments: seg }), /target 2 is out of range: the model has 2 outputs/);
    await assert.rejects(lime(f, x, { target: 0, segments: seg, samples: 3 } as never), /lime: unknown option "samples"/);
    await assert.rejects(lime(f, x, { target: 0, segments: seg, nSamples: 0 }), /nSamples must be a positive integer/);
    await assert.rejects(kernelShap(f, x, { target: 0, segments: seg, kernelWidth: 1 } as never), /kernelShap: unknown option "kernelWidth"/);
    await assert.rejects(kernelShap(f, x, { target: -1, segments: seg }), /target -1 is out of range/);
  });
  tf.dispose([x, nan, badOff]);
});

test('the gather fallback for huge segmentations gives the same samples as the matmul path', async () => {
  const f = segmentMeanModel(v);
  const x = tensorFrom(16, [1, H, W, CH]);
  const a = await lime(f, x, { target: 0, segments: seg, nSamples: 40, seed: 3 });
  const saved = coalitionLimits.basisElements;
  coalitionLimits.basisElements = 0;
  try {
    await noLeak(async () => {
      const b = await lime(f, x, { target: 0, segments: seg, nSamples: 40, seed: 3 });
      assertClose(b.weights[0], a.weights[0], 1e-5);
      b.map.dispose();
    });
  } finally {
    coalitionLimits.basisElements = saved;
  }
  tf.dispose([x, a.map]);
});

/** Run fn with worker threads started however little work is left, and env ROBUSTLENS_WORKERS set. */
async function withWorkers<T>(env: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = { min: coalitionLimits.parallelMinMs, wait: coalitionLimits.awaitWorkers, env: process.env.ROBUSTLENS_WORKERS };
  coalitionLimits.parallelMinMs = 0;
  coalitionLimits.awaitWorkers = true;
  if (env === undefined) delete process.env.ROBUSTLENS_WORKERS;
  else process.env.ROBUSTLENS_WORKERS = env;
  try {
    return await fn();
  } finally {
    coalitionLimits.parallelMinMs = saved.min;
    coalitionLimits.awaitWorkers = saved.wait;
    if (saved.env === undefined) delete process.env.ROBUSTLENS_WORKERS;
    else process.env.ROBUSTLENS_WORKERS = saved.env;
  }
}

test('lime and kernelShap with worker threads give the numbers of the main thread alone (LayersModel)', async () => {
  const model = smallCnn({ inputShape: [H, W, CH], classes: 3, width: 0.5, hidden: 8, seed: 2 });
  const x = tensorFrom(17, [2, H, W, CH]);
  await withWorkers(undefined, async () => {
    const o = { target: [1, 2], segments: seg, nSamples: 300, seed: 5, batchSize: 32 };
    const one = await lime(model, x, { ...o, workers: 0 });
    const before = { ...coalitionStats };
    const par = await noLeak(async () => {
      const r = await lime(model, x, { ...o, workers: 1 });
      r.map.dispose();
      return r;
    });
    assert.ok(coalitionStats.workerRows > before.workerRows, 'a worker evaluated samples');
    assert.equal(coalitionStats.pools, before.pools + 1, 'one pool for both examples');
    for (let i = 0; i < 2; i++) {
      assert.ok(maxAbsDiff(par.weights[i], one.weights[i]) <= 1e-6, `weights ${par.weights[i]} vs ${one.weights[i]}`);
      assert.ok(Math.abs(par.intercept[i] - one.intercept[i]) <= 1e-6 && Math.abs(par.fidelity[i] - one.fidelity[i]) <= 1e-6);
    }
    const fine = imageGrid(H, W, 6, 2);
    const s0 = await kernelShap(model, x, { target: 0, segments: fine, nSamples: 200, seed: 3, workers: 0 });
    const s1 = await kernelShap(model, x, { target: 0, segments: fine, nSamples: 200, seed: 3, workers: 2, batchSize: 30 });
    for (let i = 0; i < 2; i++) assert.ok(maxAbsDiff(s1.values[i], s0.values[i]) <= 1e-6, `phi ${s1.values[i]} vs ${s0.values[i]}`);
    tf.dispose([one.map, s0.map, s1.map]);
  });
  // 'auto' with ROBUSTLENS_WORKERS=2 (one worker) equals ROBUSTLENS_WORKERS=1 (none)
  const auto = await withWorkers('2', async () => {
    const before = coalitionStats.workerRows;
    const r = await lime(model, x, { target: 0, segments: seg, nSamples: 200, seed: 6 });
    assert.ok(coalitionStats.workerRows > before, 'ROBUSTLENS_WORKERS=2 starts a worker');
    return r;
  });
  const single = await withWorkers('1', async () => {
    const before = coalitionStats.workerRows;
    const r = await lime(model, x, { target: 0, segments: seg, nSamples: 200, seed: 6 });
    assert.equal(coalitionStats.workerRows, before, 'ROBUSTLENS_WORKERS=1 runs on the main thread only');
    return r;
  });
  for (let i = 0; i < 2; i++) assert.ok(maxAbsDiff(auto.weights[i], single.weights[i]) <= 1e-6);
  tf.dispose([x, auto.map, single.map]);
  model.dispose();
});

test('worker threads: plain functions stay on the main thread, bad workers / ROBUSTLENS_WORKERS throw, a failing pool falls back', async () => {
  const f = segmentMeanModel(v);
  const x = tensorFrom(18, [1, H, W, CH]);
  await withWorkers(undefined, async () => {
    const before = coalitionStats.workerRows;
    const r = await lime(f, x, { target: 0, segments: seg, nSamples: 100, workers: 1 });
    assert.equal(coalitionStats.workerRows, before, 'a function cannot be shipped to a worker');
    r.map.dispose();
    await assert.rejects(lime(f, x, { target: 0, segments: seg, workers: -1 }), /lime: workers must be an integer >= 0 or 'auto'; got -1/);
    await assert.rejects(kernelShap(f, x, { target: 0, segments: seg, workers: 'many' as never }), /kernelShap: workers must be/);
  });
  await withWorkers('abc', async () => {
    await assert.rejects(lime(f, x, { target: 0, segments: seg }), /lime: ROBUSTLENS_WORKERS="abc" is not a number of threads/);
    await assert.rejects(kernelShap(f, x, { target: 0, segments: seg }), /kernelShap: ROBUSTLENS_WORKERS="abc"/);
  });

  // a custom layer registered only on the main thread: the worker cannot load the model, lime warns
  // once and evaluates everything on the main thread, with the same numbers
  class Doubling extends tf.layers.Layer {
    static className = 'TestOnlyDoubling';
    call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2);
    }
  }
  const input = tf.input({ shape: [H, W, CH] });
  const h = new Doubling({}).apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, kernelInitializer: 'ones' }).apply(h) as tf.SymbolicTensor });
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => warnings.push(m);
  try {
    const [a, b] = await withWorkers(undefined, async () => [
      await lime(model, x, { target: 0, segments: seg, nSamples: 100, seed: 1, workers: 0 }),
      await lime(model, x, { target: 0, segments: seg, nSamples: 100, seed: 1, workers: 1 }),
    ]);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /lime: worker threads failed \(modelPool: worker 0 could not load the model: Unknown layer: TestOnlyDoubling[^]*a worker knows robustlens' own layers only\)\); going on with the main thread only/);
    assert.deepEqual(b.weights, a.weights);
    tf.dispose([a.map, b.map]);
  } finally {
    console.warn = warn;
  }
  tf.dispose([x]);
  model.dispose();
});
