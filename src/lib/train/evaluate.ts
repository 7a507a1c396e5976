/**
 * Evaluate a model on a dataset in inference mode, in batches: the loss, accuracy (for the
 * classification losses) and any custom metrics (yTrue, yPred) => number on the whole set.
 *
 * Accuracy: softmaxCE -> argmax match; bce -> (p > 0.5) == (y > 0.5); bceLogits -> (z > 0) == (y > 0.5).
 *
 * @example
 *   const m = evaluate(model, test, { loss: 'softmaxCE' });   // { loss: 0.31, accuracy: 0.9 }
 */
import * as tf from '@tensorflow/tfjs';
import { checkInputShape, checkOptions, rowsPerPass } from '../engine';
import { LossFn, LossName, resolveLoss } from './losses';
import { checkValues } from './checkData';

export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => number;
export interface Dataset {
  x: tf.Tensor;
  y: tf.Tensor;
}

export interface EvaluateOptions {
  loss?: LossName | LossFn;
  metrics?: Record<string, MetricFn>;
  batchSize?: number;
}

/** A dataset {x, y}: x a float32 batch, y with as many rows (values: checkValues in checkData.ts). */
export function checkData(where: string, d: Dataset | undefined, what: string): void {
  if (!d || !(d.x instanceof tf.Tensor) || !(d.y instanceof tf.Tensor)) throw new Error(`${where}: ${what} must be { x: tf.Tensor, y: tf.Tensor }`);
  if (d.x.shape[0] !== d.y.shape[0]) throw new Error(`${where}: ${what}.x has ${d.x.shape[0]} examples but ${what}.y has ${d.y.shape[0]}`);
  if (d.x.shape[0] === 0) throw new Error(`${where}: ${what} is empty`);
  checkInputShape(where, d.x, `${what}.x`);
}

/**
 * Predictions of a LayersModel in inference mode, batched (batchSize rows, lowered under the memory
 * budget, engine/memory.ts; `where` names the caller in a refusal); the caller disposes the result.
 */
export function predictBatched(model: tf.LayersModel, x: tf.Tensor, batchSize = 256, where = 'predictBatched'): tf.Tensor {
  const n = x.shape[0];
  const rows = rowsPerPass(where, model, x, batchSize, 'forward');
  const parts: tf.Tensor[] = [];
  try {
    for (let i = 0; i < n; i += rows) {
      parts.push(tf.tidy(() => model.apply(tf.slice(x, i, Math.min(rows, n - i)), { training: false }) as tf.Tensor));
    }
  } catch (e) {
    tf.dispose(parts); // the model threw in a later chunk
    throw e;
  }
  if (parts.length === 1) return parts[0];
  const out = tf.concat(parts, 0);
  parts.forEach((p) => p.dispose());
  return out;
}

/** True for the named classification losses (softmaxCE, bce, bceLogits). */
export function isClassification(loss: LossName | LossFn | undefined): boolean {
  return loss === 'softmaxCE' || loss === 'bce' || loss === 'bceLogits';
}

/** Accuracy for a named classification loss, or null for regression / custom losses. */
export function accuracyFor(loss: LossName | LossFn | undefined, yTrue: tf.Tensor, yPred: tf.Tensor): number | null {
  if (!isClassification(loss)) return null;
  return tf.tidy(() => {
    let hit: tf.Tensor;
    if (loss === 'softmaxCE') {
      const t = yTrue.rank === 1 ? tf.cast(yTrue, 'int32') : tf.argMax(yTrue, -1);
      hit = tf.equal(tf.argMax(yPred, -1), t);
    } else {
      const p = loss === 'bce' ? tf.greater(yPred, 0.5) : tf.greater(yPred, 0);
      hit = tf.equal(p, tf.greater(tf.reshape(yTrue, yPred.shape), 0.5));
    }
    return tf.mean(tf.cast(hit, 'float32')).dataSync()[0];
  });
}

export function evaluate(model: tf.LayersModel, data: Dataset, options: EvaluateOptions = {}): Record<string, number> {
  checkOptions('evaluate', options, ['loss', 'metrics', 'batchSize']);
  const lossFn = resolveLoss(options.loss ?? 'softmaxCE', 'evaluate');
  if (!(model instanceof tf.LayersModel)) throw new Error('evaluate: model must be a tf.LayersModel');
  checkData('evaluate', data, 'data');
  checkValues('evaluate', model, data, 'data', options.loss ?? 'softmaxCE');
  const pred = predictBatched(model, data.x, options.batchSize ?? 256, 'evaluate');
  try {
    const out: Record<string, number> = { loss: tf.tidy(() => lossFn(data.y, pred).dataSync()[0]) };
    const acc = accuracyFor(options.loss ?? 'softmaxCE', data.y, pred);
    if (acc !== null) out.accuracy = acc;
    for (const [name, fn] of Object.entries(options.metrics ?? {})) out[name] = tf.tidy(() => fn(data.y, pred));
    return out;
  } finally {
    pred.dispose();
  }
}
