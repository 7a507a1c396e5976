/**
 * Value checks at the boundary of training and evaluation: NaN / Infinity in inputs or targets, and
 * class labels that the loss cannot use (out of range, not integers, outside [0, 1] for binary
 * losses). Each error names the function and the first bad example. Shape checks stay in the loop.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossFn, LossName } from './losses';

/** Index (along the first axis) of the first example holding NaN or +-Infinity, or -1. */
export function firstNonFinite(t: tf.Tensor): number {
  if (t.dtype !== 'float32' || t.size === 0) return -1;
  const n = t.shape[0] ?? 1;
  const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(t.reshape([n, -1]))), 1).dataSync());
  return bad.findIndex((b) => b !== 0);
}

/**
 * Throw unless x and y hold finite values and y holds labels the loss accepts for `model`:
 * softmaxCE with label ids [N]: integers in [0, classes); bce / bceLogits: values in [0, 1].
 */
export function checkValues(where: string, model: tf.LayersModel, d: { x: tf.Tensor; y: tf.Tensor }, what: string, loss: LossName | LossFn | undefined): void {
  const ix = firstNonFinite(d.x);
  if (ix >= 0) throw new Error(`${where}: ${what}.x has NaN or Infinity in example ${ix} (the first bad one); clean the data before training or evaluating.`);
  const iy = firstNonFinite(d.y);
  if (iy >= 0) throw new Error(`${where}: ${what}.y has NaN or Infinity at example ${iy} (the first bad one).`);
  if (loss === 'softmaxCE' && d.y.rank === 1) {
    const shape = model.outputs[0]?.shape ?? [];
    const classes = shape[shape.length - 1];
    const ys = d.y.dataSync();
    for (let i = 0; i < ys.length; i++) {
      const v = ys[i];
      if (!Number.isInteger(v) || v < 0 || (typeof classes === 'number' && v >= classes)) {
        throw new Error(
          `${where}: ${what}.y[${i}] = ${v} is not a class index of the model (integers 0..${typeof classes === 'number' ? classes - 1 : '?'}); the first bad label.`,
        );
      }
    }
  } else if (loss === 'bce' || loss === 'bceLogits') {
    const ys = d.y.dataSync();
    for (let i = 0; i < ys.length; i++) {
      if (!(ys[i] >= 0 && ys[i] <= 1)) {
        const row = Math.floor(i / Math.max(1, ys.length / d.y.shape[0]));
        throw new Error(`${where}: ${what}.y has ${ys[i]} at example ${row}; ${loss} needs targets in [0, 1] (the first bad label).`);
      }
    }
  }
}
