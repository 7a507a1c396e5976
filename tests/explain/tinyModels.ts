/** Tiny models with known answers for the explain tests. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/lib/engine';

/** f(x) = flatten(x) W, W [D, C] (values from a seeded Rng); returns the function and W as rows. */
export function linear(D: number, C: number, seed = 1): { f: (x: tf.Tensor) => tf.Tensor; W: tf.Tensor2D; w: number[][] } {
  const r = new Rng(seed);
  const vals = Array.from(r.normals(D * C));
  const W = tf.keep(tf.tensor2d(vals, [D, C]));
  const w = Array.from({ length: C }, (_, c) => Array.from({ length: D }, (_, d) => vals[d * C + c]));
  return { f: (x) => tf.matMul(x.reshape([x.shape[0], D]), W), W, w };
}

/** A 2-layer tanh MLP D -> H -> C with seeded weights. */
export function mlp(D: number, H: number, C: number, seed = 2): (x: tf.Tensor) => tf.Tensor {
  const r = new Rng(seed);
  const W1 = tf.keep(tf.tensor2d(r.normals(D * H, 0, 1 / Math.sqrt(D)), [D, H]));
  const b1 = tf.keep(tf.tensor1d(r.normals(H, 0, 0.1)));
  const W2 = tf.keep(tf.tensor2d(r.normals(H * C, 0, 1 / Math.sqrt(H)), [H, C]));
  return (x) => tf.tidy(() => tf.tanh(x.reshape([x.shape[0], D]).matMul(W1).add(b1)).matMul(W2));
}

export function tensorFrom(seed: number, shape: number[], sd = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(new Rng(seed).normals(n, 0, sd), shape);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
