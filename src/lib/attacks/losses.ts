/**
 * Per-example attack losses and the label checks that go with them.
 *
 *   ce : L = -log softmax(z)_y                       (classifier logits [N, C], y integer labels [N])
 *   bce: L = mean_t [max(z,0) - z y + log(1 + e^-|z|)] (sigmoid detector logits [N, ...], y in [0, 1])
 *   mse: L = mean_k (f(x)_k - y_k)^2                   (regressor outputs, y of the same shape)
 *   fn : (outputs, y) => [N]
 */
import * as tf from '@tensorflow/tfjs';
import type { LossSpec } from './types';

/** Per-example loss [N] (differentiable). */
export function perExampleLoss(loss: LossSpec, outputs: tf.Tensor, y: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const n = outputs.shape[0];
    if (typeof loss === 'function') {
      const l = loss(outputs, y);
      if (!(l instanceof tf.Tensor) || l.size !== n) throw new Error(`attack loss function must return one value per example ([${n}]), got ${l instanceof tf.Tensor ? `[${l.shape}]` : typeof l}.`);
      return l.reshape([n]);
    }
    if (loss === 'ce') {
      const c = outputs.shape[outputs.rank - 1];
      const z = outputs.reshape([n, c]);
      const onehot = tf.oneHot(y.reshape([n]).toInt(), c);
      return tf.logSoftmax(z).mul(onehot).sum(1).neg();
    }
    const z = outputs.reshape([n, -1]);
    const t = broadcastTargets(y, z);
    if (loss === 'bce') {
      return tf.relu(z).sub(z.mul(t)).add(tf.log1p(tf.exp(z.abs().neg()))).mean(1);
    }
    if (loss === 'mse') return z.sub(t).square().mean(1);
    throw new Error(`unknown loss ${JSON.stringify(loss)}; use 'ce', 'bce', 'mse' or a function.`);
  }) as tf.Tensor1D;
}

/** y as [N, T] matching z [N, T]; a per-example scalar label broadcasts over T. */
export function broadcastTargets(y: tf.Tensor, z: tf.Tensor): tf.Tensor {
  const n = z.shape[0];
  const yt = y.reshape([n, -1]);
  return yt.shape[1] === z.shape[1] ? yt : yt.tile([1, z.shape[1] as number]);
}

/**
 * Validate and normalise labels (or targets) for a loss; returns a new float tensor the caller
 * disposes. ce: integer labels [N] in [0, C) (one-hot / probability rows [N, C] are reduced by argmax);
 * bce: values in [0, 1], one per example or one per output; mse: as many values as outputs.
 */
export function prepareLabels(where: string, loss: LossSpec, y: tf.Tensor, outShape: number[], n: number, what = 'y'): tf.Tensor {
  if (typeof loss === 'function') {
    if (y.shape[0] !== n) {
      y.dispose();
      throw new Error(`${where}: ${what} has ${y.shape[0]} rows for ${n} examples.`);
    }
    return y;
  }
  const perOut = outShape.reduce((a, b) => a * b, 1);
  const fail = (msg: string): never => {
    y.dispose();
    throw new Error(`${where}: ${msg}`);
  };
  if (loss === 'ce') {
    const c = outShape[outShape.length - 1];
    if (outShape.length !== 1) fail(`loss 'ce' needs classifier logits [N, C]; the model returns [N, ${outShape}].`);
    let lab = y;
    if (y.rank === 2 && y.shape[0] === n && y.shape[1] === c && c > 1) {
      lab = tf.tidy(() => y.argMax(1).toFloat());
      y.dispose();
    }
    if (lab.size !== n) {
      lab.dispose();
      throw new Error(`${where}: ${what} has ${lab.size} labels for ${n} examples.`);
    }
    const v = lab.dataSync();
    for (let i = 0; i < v.length; i++) {
      if (!Number.isInteger(v[i]) || v[i] < 0 || v[i] >= c) {
        lab.dispose();
        throw new Error(`${where}: ${what}[${i}] = ${v[i]} is not a class index in [0, ${c - 1}] (the model has ${c} logits).`);
      }
    }
    const out = lab.reshape([n]);
    lab.dispose();
    return out;
  }
  if (loss === 'bce') {
    if (y.size !== n && y.size !== n * perOut) fail(`${what} has ${y.size} values; loss 'bce' needs one per example (${n}) or one per output (${n * perOut}).`);
    const ok = tf.tidy(() => tf.logicalAnd(y.greaterEqual(0), y.lessEqual(1)).all().dataSync()[0]);
    if (!ok) fail(`${what} must lie in [0, 1] for loss 'bce' (binary labels).`);
    const out = y.reshape([n, -1]);
    y.dispose();
    return out;
  }
  if (loss === 'mse') {
    if (y.size !== n * perOut) fail(`${what} has ${y.size} values; the model gives ${n} x ${perOut} outputs.`);
    const out = y.reshape([n, ...outShape]);
    y.dispose();
    return out;
  }
  return fail(`unknown loss ${JSON.stringify(loss)}; use 'ce', 'bce', 'mse' or a function.`);
}
