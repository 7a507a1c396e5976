import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, assertClose } from '../helpers';
import { gradCam } from '../../src/lib/explain';

before(setup);

// conv 'feat': 3x3, stride 2, 'same', relu, 2 filters (all +1 / all -1) -> [4, 4, 2]; GAP; dense
const kernel = tf.keep(tf.concat([tf.ones([3, 3, 1, 1]), tf.ones([3, 3, 1, 1]).neg()], 3));
const dense = [[1, -1], [0.5, 1]]; // dense[k][class]

function seqModel(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'feat' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 2, name: 'out' }),
    ],
  });
  m.getLayer('feat').setWeights([kernel, tf.zeros([2])]);
  m.getLayer('out').setWeights([tf.tensor2d(dense), tf.zeros([2])]);
  return m;
}

function functionalModel(): tf.LayersModel {
  const inp = tf.input({ shape: [8, 8, 1] });
  const feat = tf.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'feat' });
  const a = feat.apply(inp) as tf.SymbolicTensor;
  const d = tf.layers.dropout({ rate: 0.5 }).apply(a) as tf.SymbolicTensor;
  const g = tf.layers.globalAveragePooling2d({}).apply(d) as tf.SymbolicTensor;
  const outL = tf.layers.dense({ units: 2, name: 'out' });
  const m = tf.model({ inputs: inp, outputs: outL.apply(g) as tf.SymbolicTensor });
  feat.setWeights([kernel, tf.zeros([2])]);
  outL.setWeights([tf.tensor2d(dense), tf.zeros([2])]);
  return m;
}

/** Images with a bright 2 x 2 square planted at (r, c). */
function planted(spots: [number, number][]): tf.Tensor4D {
  const v = new Float32Array(spots.length * 64);
  spots.forEach(([r, c], i) => {
    for (const [dr, dc] of [[0, 0], [0, 1], [1, 0], [1, 1]]) v[i * 64 + (r + dr) * 8 + c + dc] = 1;
  });
  return tf.tensor4d(v, [spots.length, 8, 8, 1]);
}

/** Analytic Grad-CAM for this model: alpha_k = dense[k][t] / 16, L = relu(sum_k alpha_k A_k). */
function analyticCam(x: tf.Tensor4D, t: number, relu = true): number[][][] {
  return tf.tidy(() => {
    const A = tf.relu(tf.conv2d(x, kernel as tf.Tensor4D, 2, 'same'));
    const alpha = tf.tensor1d([dense[0][t] / 16, dense[1][t] / 16]);
    const L = A.mul(alpha).sum(3);
    return (relu ? tf.relu(L) : L).arraySync() as number[][][];
  });
}

test('Grad-CAM on a tiny conv model: analytic low-res map, map shaped like x, high where the feature is planted', async () => {
  for (const make of [seqModel, functionalModel]) {
    const m = make();
    const x = planted([[1, 1], [5, 4]]);
    const r = await gradCam(m, x, { target: 0, layer: 'feat' });
    assert.deepEqual(r.map.shape, [2, 8, 8, 1]);
    assertClose(r.cam.flat(2), analyticCam(x, 0).flat(2), 1e-5, make.name);
    const map = r.map.arraySync() as number[][][][];
    for (const [i, [pr, pc]] of [[1, 1], [5, 4]].entries()) {
      let inside = 0;
      let outside = 0;
      for (let rr = 0; rr < 8; rr++) for (let cc = 0; cc < 8; cc++) {
        const near = Math.abs(rr - pr - 0.5) <= 1.5 && Math.abs(cc - pc - 0.5) <= 1.5;
        if (near) inside += map[i][rr][cc][0] / 16;
        else outside += map[i][rr][cc][0] / 48;
      }
      assert.ok(inside > 3 * outside, `${make.name} example ${i}: inside ${inside} vs outside ${outside}`);
      let best = -1;
      let at = [0, 0];
      for (let rr = 0; rr < 8; rr++) for (let cc = 0; cc < 8; cc++) if (map[i][rr][cc][0] > best) [best, at] = [map[i][rr][cc][0], [rr, cc]];
      assert.ok(Math.abs(at[0] - pr) <= 2 && Math.abs(at[1] - pc) <= 2, `peak at ${at} for a square at ${[pr, pc]}`);
    }
    tf.dispose([x, r.map]);
    m.dispose();
  }
});

test("Grad-CAM 'nearest' repeats each cell; class 1 (negative weight on the detector) gets a different map", async () => {
  const m = seqModel();
  const x = planted([[2, 5]]);
  const r = await gradCam(m, x, { target: 1, layer: 'feat', resize: 'nearest', relu: false });
  const cam = analyticCam(x, 1, false);
  const map = r.map.arraySync() as number[][][][];
  for (let rr = 0; rr < 8; rr++) for (let cc = 0; cc < 8; cc++) assert.ok(Math.abs(map[0][rr][cc][0] - r.cam[0][rr >> 1][cc >> 1]) < 1e-6);
  assert.ok(r.cam[0].flat().some((v) => v < 0), 'relu: false keeps negative evidence');
  assertClose(r.cam.flat(2), cam.flat(2), 1e-5);
  tf.dispose([x, r.map]);
  m.dispose();
});

test('Grad-CAM: no leaks (first call builds and caches the split), clear errors', async () => {
  const m = seqModel();
  const x = planted([[0, 0], [4, 4]]);
  const nan = tf.fill([1, 8, 8, 1], NaN);
  await noLeak(async () => {
    for (let k = 0; k < 2; k++) {
      const r = await gradCam(m, x, { target: [0, 1], layer: 'feat', batchSize: 1 });
      r.map.dispose();
    }
    await assert.rejects(gradCam(m, x, { target: 0, layer: 'nope' }), /no layer "nope" in the model. Layers: feat/);
    await assert.rejects(gradCam(m, x, { target: 0, layer: 'out' }), /outputs rank 2; need \[B, h, w, K\]/);
    await assert.rejects(gradCam(m, x, { target: 2, layer: 'feat' }), /target 2 is out of range: the model has 2 outputs/);
    await assert.rejects(gradCam(m, x, { target: 0, layer: 'feat', upsample: 'x' } as never), /gradCam: unknown option "upsample"/);
    await assert.rejects(gradCam(m, x, { target: 0, layer: 'feat', resize: 'cubic' as never }), /unknown resize "cubic"/);
    await assert.rejects(gradCam(m, nan, { target: 0, layer: 'feat' }), /gradCam: x contains NaN/);
    await assert.rejects(gradCam((t: tf.Tensor) => t, x, { target: 0, layer: 'feat' }), /needs a tf.LayersModel/);
  });
  // a layer bypassed by a skip connection does not cut the graph
  const inp = tf.input({ shape: [8, 8, 1] });
  const a = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', name: 'c1' }).apply(inp) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', name: 'c2' }).apply(a) as tf.SymbolicTensor;
  const s = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
  const o = tf.layers.dense({ units: 2 }).apply(tf.layers.globalAveragePooling2d({}).apply(s) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const skip = tf.model({ inputs: inp, outputs: o });
  await assert.rejects(gradCam(skip, x, { target: 0, layer: 'c2' }), /does not cut the model's graph/);
  const ok = await gradCam(skip, x, { target: 0, layer: 'c1' });
  assert.deepEqual(ok.map.shape, [2, 8, 8, 1]);
  tf.dispose([x, nan, ok.map]);
  m.dispose();
  skip.dispose();
});
