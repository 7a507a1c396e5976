/** Tiny datasets for the training tests (seeded). */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/lib/engine';

/** Two Gaussian blobs in 2-D, labels as ids 0/1; centres at -+[1.5, 1.5], sd 0.5. */
export function blobs(n: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const r = new Rng(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const m = c ? 1.5 : -1.5;
    xs.push(r.normal(m, 0.5), r.normal(m, 0.5));
    ys.push(c);
  }
  return { x: tf.tensor2d(xs, [n, 2]), y: tf.tensor1d(ys, 'int32') };
}

/**
 * A robust and a non-robust feature: x1 = s * 1 + N(0, 0.3) (wide margin), x2 = s * 0.2 + N(0, 0.02)
 * (nearly perfectly separable but within eps = 0.25 of the other class); s = +-1, label (s+1)/2.
 */
export function robustVsBrittle(n: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const r = new Rng(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = i % 2 ? 1 : -1;
    xs.push(s + r.normal(0, 0.3), 0.2 * s + r.normal(0, 0.02));
    ys.push(i % 2);
  }
  return { x: tf.tensor2d(xs, [n, 2]), y: tf.tensor1d(ys, 'int32') };
}
