import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, assertClose } from '../helpers';
import { occlusion } from '../../src/lib/explain';
import { linear, tensorFrom } from './tinyModels';

before(setup);

/** Brute-force occlusion on f = w.x with baseline 0: each window's drop is sum_W w x; mean over covering windows. */
function expectedLinear(xv: Float32Array, w: number[], H: number, Wd: number, C: number, ph: number, pw: number, sh: number, sw: number, B: number): Float32Array {
  const D = H * Wd * C;
  const out = new Float32Array(B * D);
  const starts = (n: number, p: number, s: number) => {
    const r: number[] = [];
    for (let a = 0; a + p <= n; a += s) r.push(a);
    if (r[r.length - 1] + p < n) r.push(n - p);
    return r;
  };
  for (let i = 0; i < B; i++) {
    const sum = new Float32Array(D);
    const cnt = new Float32Array(D);
    for (const r0 of starts(H, ph, sh)) for (const c0 of starts(Wd, pw, sw)) {
      let drop = 0;
      const idx: number[] = [];
      for (let r = r0; r < r0 + ph; r++) for (let c = c0; c < c0 + pw; c++) for (let k = 0; k < C; k++) idx.push((r * Wd + c) * C + k);
      for (const e of idx) drop += w[e] * xv[i * D + e];
      for (const e of idx) {
        sum[e] += drop;
        cnt[e]++;
      }
    }
    for (let e = 0; e < D; e++) out[i * D + e] = sum[e] / cnt[e];
  }
  return out;
}

test('occlusion of f = w.x with baseline 0 gives each element sum_{patch} w x (non-overlapping patches)', async () => {
  const { f, w } = linear(24, 2);
  const x = tensorFrom(1, [2, 4, 6]);
  const xv = x.dataSync() as Float32Array;
  const r = await occlusion(f, x, { target: [1, 0], patch: [2, 3] });
  assert.equal(r.windows, 4);
  assert.deepEqual(r.map.shape, [2, 4, 6]);
  const m = r.map.dataSync();
  // element (0, 0) of example 0 lies in the top-left 2 x 3 patch
  let s = 0;
  for (const e of [0, 1, 2, 6, 7, 8]) s += w[1][e] * xv[e];
  assert.ok(Math.abs(m[0] - s) < 1e-4);
  assertClose(m, [...expectedLinear(xv, w[1], 4, 6, 1, 2, 3, 2, 3, 2).slice(0, 24), ...expectedLinear(xv, w[0], 4, 6, 1, 2, 3, 2, 3, 2).slice(24)], 1e-4);
  tf.dispose([x, r.map]);
});

test('occlusion with overlapping windows averages the drops; patches cover all channels; batching does not matter', async () => {
  const { f, w } = linear(4 * 5 * 2, 1, 3);
  const x = tensorFrom(2, [1, 4, 5, 2]);
  const xv = x.dataSync() as Float32Array;
  const a = await occlusion(f, x, { target: 0, patch: 2, stride: 1, batchSize: 3 });
  const b = await occlusion(f, x, { target: 0, patch: 2, stride: 1, batchSize: 1000 });
  assert.equal(a.windows, 3 * 4);
  assertClose(a.map.dataSync(), expectedLinear(xv, w[0], 4, 5, 2, 2, 2, 1, 1, 1), 1e-4);
  assertClose(a.map.dataSync(), b.map.dataSync(), 1e-6);
  // stride 2 on width 5: a last window flush with the edge covers column 4
  const c = await occlusion(f, x, { target: 0, patch: 2, stride: 2 });
  assertClose(c.map.dataSync(), expectedLinear(xv, w[0], 4, 5, 2, 2, 2, 2, 2, 1), 1e-4);
  tf.dispose([x, a.map, b.map, c.map]);
});

test('occlusion with a nonzero baseline value: the drop is sum_patch w (x - b)', async () => {
  const { f, w } = linear(6, 1, 4);
  const x = tensorFrom(3, [1, 6]);
  const xv = x.dataSync();
  const r = await occlusion(f, x, { target: 0, patch: [3], baseline: 0.5 });
  const m = r.map.dataSync();
  for (const [lo, hi] of [[0, 3], [3, 6]]) {
    let s = 0;
    for (let e = lo; e < hi; e++) s += w[0][e] * (xv[e] - 0.5);
    for (let e = lo; e < hi; e++) assert.ok(Math.abs(m[e] - s) < 1e-4);
  }
  tf.dispose([x, r.map]);
});

test('occlusion: no leaks, clear errors', async () => {
  const { f } = linear(24, 2);
  const x = tensorFrom(4, [2, 4, 6]);
  const nan = tf.fill([2, 4, 6], NaN);
  await noLeak(async () => {
    const r = await occlusion(f, x, { target: 1, patch: [2, 2], stride: 1, batchSize: 5 });
    r.map.dispose();
    await assert.rejects(occlusion(f, x, { target: 0, window: 2 } as never), /occlusion: unknown option "window"/);
    await assert.rejects(occlusion(f, x, { target: 0, patch: [5] }), /patch size 5 exceeds dimension 1/);
    await assert.rejects(occlusion(f, x, { target: 0, patch: [1, 1, 1] }), /at most 2 sizes/);
    await assert.rejects(occlusion(f, x, { target: 2 }), /target 2 is out of range/);
    await assert.rejects(occlusion(f, nan, { target: 0 }), /occlusion: x contains NaN/);
  });
  tf.dispose([x, nan]);
});
