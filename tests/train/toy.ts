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
 * One robust and many brittle features (Tsipras et al. 2019 style): x0 = s + N(0, 0.5) (margin 1,
 * survives an Linf attack of eps = 0.25), x1..xd = 0.1 s + N(0, 0.1) (jointly very predictive, but
 * each is flipped by eps = 0.25); s = +-1, label (s + 1) / 2. Input shape [1 + d].
 */
export function robustVsBrittle(n: number, seed: number, d = 20): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const r = new Rng(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = i % 2 ? 1 : -1;
    xs.push(s + r.normal(0, 0.5));
    for (let k = 0; k < d; k++) xs.push(0.1 * s + r.normal(0, 0.1));
    ys.push(i % 2);
  }
  return { x: tf.tensor2d(xs, [n, 1 + d]), y: tf.tensor1d(ys, 'int32') };
}
