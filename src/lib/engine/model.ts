/**
 * The one model shape the attack, explanation and metric code accepts: a differentiable function
 * from an input batch to outputs (logits for classifiers, values for regressors), or a
 * tf.LayersModel (called in inference mode).
 */
import * as tf from '@tensorflow/tfjs';

export type ModelFn = (x: tf.Tensor) => tf.Tensor;
export type Model = ModelFn | tf.LayersModel;

/** A plain function for any Model; LayersModels are applied with training=false. */
export function asFn(model: Model): ModelFn {
  if (typeof model === 'function') return model;
  if (model && typeof (model as tf.LayersModel).apply === 'function') {
    const m = model as tf.LayersModel;
    return (x: tf.Tensor) => m.apply(x, { training: false }) as tf.Tensor;
  }
  throw new Error('Model must be a function (x) => tf.Tensor or a tf.LayersModel.');
}

/** Throw a clear error naming the option if `options` holds a key not in `known`. */
export function checkOptions(where: string, options: object | undefined, known: readonly string[]): void {
  if (!options) return;
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) {
      throw new Error(`${where}: unknown option "${k}". Known options: ${known.join(', ')}.`);
    }
  }
}

/** Throw if a tensor holds NaN or Infinity (reads it back: use outside inner loops). */
export function assertFinite(where: string, t: tf.Tensor, what = 'input'): void {
  const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(t)).any().dataSync()[0]);
  if (bad) throw new Error(`${where}: ${what} contains NaN or Infinity; clean the data (or lower the step size) and retry.`);
}
