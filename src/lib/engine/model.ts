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
