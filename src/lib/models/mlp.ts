/**
 * Multi-layer perceptron: dense-relu layers then a linear output (logits for classifiers).
 * The tiny workhorse for tests and toy problems; `hidden: []` gives a linear model f(x) = Wx + b.
 *
 * @example
 *   const m = mlp({ inputShape: [2], outputs: 2, hidden: [16], seed: 0 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { kernelInit, scaled } from './init';

export interface MlpOptions {
  inputShape: number[];
  /** Output units (classes for a classifier). */
  outputs: number;
  /** Hidden layer sizes before scaling by width. Default [64]. */
  hidden?: number[];
  width?: number;
  seed?: number;
  name?: string;
}

export function mlp(options: MlpOptions): tf.LayersModel {
  checkOptions('mlp', options, ['inputShape', 'outputs', 'hidden', 'width', 'seed', 'name']);
  const { inputShape, outputs, hidden = [64], width = 1, seed = 0, name = 'mlp' } = options;
  if (!Array.isArray(inputShape) || inputShape.length < 1) throw new Error('mlp: inputShape must be a non-empty array');
  if (!(Number.isInteger(outputs) && outputs > 0)) throw new Error(`mlp: outputs must be a positive integer, got ${outputs}`);
  const input = tf.input({ shape: inputShape, name: 'input' });
  let h: tf.SymbolicTensor = inputShape.length > 1 ? (tf.layers.flatten({ name: 'flatten' }).apply(input) as tf.SymbolicTensor) : input;
  hidden.forEach((units, i) => {
    const lname = `dense${i + 1}`;
    h = tf.layers
      .dense({ units: scaled(units, width), activation: 'relu', kernelInitializer: kernelInit(seed, lname), name: lname })
      .apply(h) as tf.SymbolicTensor;
  });
  const out = tf.layers
    .dense({ units: outputs, kernelInitializer: kernelInit(seed, 'logits', 'glorot'), name: 'logits' })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name });
}
