/** Tiny models with analytic answers for the attack tests. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/lib/engine';

/** 2-class logits [0, w.x + b]: the decision boundary is w.x + b = 0, distance |w.x+b| / ||w||. */
export function linear2(w: number[], b: number) {
  const W = tf.keep(tf.tensor2d(w, [w.length, 1]));
  const fn = (x: tf.Tensor) =>
    tf.tidy(() => {
      const s = x.reshape([x.shape[0], -1]).matMul(W).add(b);
      return tf.concat([tf.zerosLike(s), s], 1);
    });
  const margin = (x: number[][]) => x.map((r) => r.reduce((a, v, i) => a + v * w[i], b));
  const norm = Math.sqrt(w.reduce((a, v) => a + v * v, 0));
  return { fn, W, margin, dist: (x: number[][]) => margin(x).map((m) => Math.abs(m) / norm), norm };
}

/** Points at chosen signed distances from the boundary of linear2(w, b), along w (plus seeded orthogonal jitter). */
export function pointsAt(w: number[], b: number, dists: number[], centre: number[], seed = 1): number[][] {
  const norm = Math.sqrt(w.reduce((a, v) => a + v * v, 0));
  const u = w.map((v) => v / norm);
  const m0 = centre.reduce((a, v, i) => a + v * w[i], b) / norm; // signed distance of centre
  const rng = new Rng(seed);
  return dists.map((d) => {
    const j = centre.map(() => rng.range(-0.05, 0.05));
    const ju = j.reduce((a, v, i) => a + v * u[i], 0);
    const jo = j.map((v, i) => v - ju * u[i]); // orthogonal jitter keeps the distance exact
    return centre.map((c, i) => c + (d - m0) * u[i] + jo[i]);
  });
}

/** A 3-class linear softmax classifier trained by plain gradient descent on seeded Gaussian blobs in [0, 1]^4. */
export function trainedClassifier(seed = 3) {
  const rng = new Rng(seed);
  const centres = [
    [0.3, 0.3, 0.5, 0.5],
    [0.7, 0.3, 0.5, 0.5],
    [0.5, 0.7, 0.5, 0.5],
  ];
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < 30; i++) {
    const c = i % 3;
    xs.push(centres[c].map((v) => Math.min(1, Math.max(0, v + rng.normal(0, 0.07)))));
    ys.push(c);
  }
  const W = tf.variable(tf.zeros([4, 3]));
  const b = tf.variable(tf.zeros([3]));
  const x = tf.tensor2d(xs);
  const y = tf.oneHot(tf.tensor1d(ys, 'int32'), 3);
  const opt = tf.train.sgd(2);
  for (let i = 0; i < 300; i++) opt.minimize(() => tf.losses.softmaxCrossEntropy(y, x.matMul(W).add(b)) as tf.Scalar);
  opt.dispose();
  tf.dispose([x, y]);
  const fn = (z: tf.Tensor) => tf.tidy(() => z.matMul(W).add(b));
  return { fn, xs, ys };
}

export function accuracy(fn: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, ys: number[]): number {
  const p = tf.tidy(() => fn(x).argMax(1).dataSync());
  return ys.filter((y, i) => p[i] === y).length / ys.length;
}
