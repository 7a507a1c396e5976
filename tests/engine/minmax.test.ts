// robustlens' float32 Minimum/Maximum on wasm (fast broadcasting) against the cpu backend.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, onBackend, noLeak } from '../helpers';
import { collapseBroadcast } from '../../src/lib/engine/kernels/minMaxBroadcast';
import { Rng } from '../../src/lib/engine';

before(setup);

const CASES: [number[], number[]][] = [
  [[4, 5, 6, 3], [4, 5, 6, 3]],
  [[4, 5, 6, 3], [4, 1, 1, 1]],
  [[4, 1, 1, 1], [4, 5, 6, 3]],
  [[4, 5, 6, 3], []],
  [[4, 5, 6, 3], [3]],
  [[1, 5, 1, 3], [4, 1, 6, 1]],
  [[7], [2, 7]],
  [[2, 1, 3], [1, 4, 1]],
];

function values(shape: number[], rng: Rng): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = rng.normals(n);
  if (n > 3) {
    v[1] = NaN;
    v[2] = v[0]; // ties
  }
  return v;
}

for (const op of ['minimum', 'maximum'] as const) {
  test(`${op} on wasm equals cpu for broadcast shapes (NaN propagates)`, async (t) => {
    if (tf.getBackend() !== 'wasm') return t.skip('wasm only');
    const rng = new Rng(7);
    for (const [sa, sb] of CASES) {
      const a = values(sa, rng);
      const b = values(sb, rng);
      const got = await noLeak(() => tf.tidy(() => tf[op](tf.tensor(a, sa), tf.tensor(b, sb)).arraySync()));
      const want = await onBackend('cpu', () => tf.tidy(() => tf[op](tf.tensor(a, sa), tf.tensor(b, sb)).arraySync()));
      assert.deepEqual(got, want, `${op} ${JSON.stringify(sa)} vs ${JSON.stringify(sb)}`);
    }
  });
}

test('int32 minimum still goes through tfjs\' own kernel', () => {
  const r = tf.tidy(() => tf.minimum(tf.tensor1d([1, 5, -3], 'int32'), tf.scalar(2, 'int32')));
  assert.equal(r.dtype, 'int32');
  assert.deepEqual(Array.from(r.dataSync()), [1, 2, -3]);
  r.dispose();
});

test('gradients of clipping through minimum/maximum are unchanged', () => {
  const x = tf.tensor1d([-2, -0.5, 0.5, 2]);
  const g = tf.grad((v: tf.Tensor) => tf.minimum(tf.maximum(v, -1), 1).sum())(x);
  assert.deepEqual(Array.from(g.dataSync()), [0, 1, 1, 0]);
  tf.dispose([x, g]);
});

test('collapseBroadcast merges dimensions with the same broadcast pattern', () => {
  assert.deepEqual(collapseBroadcast([64, 28, 28, 16], [64, 28, 28, 16], [64, 1, 1, 1]), { dims: [64, 12544], sa: [12544, 1], sb: [1, 0] });
  assert.deepEqual(collapseBroadcast([2, 3], [2, 3], []), { dims: [6], sa: [1], sb: [0] });
  assert.deepEqual(collapseBroadcast([4, 5, 6, 3], [1, 5, 1, 3], [4, 1, 6, 1]), { dims: [4, 5, 6, 3], sa: [0, 3, 0, 1], sb: [6, 0, 1, 0] });
});
