/**
 * Small CNN classifier: [conv3x3-relu-maxpool2] x 2, flatten, optional dense-relu, linear logits.
 * For MNIST / Fashion-MNIST scale images (P3, P4). Outputs logits (no softmax).
 *
 * @example
 *   const m = smallCnn({ inputShape: [28, 28, 1], classes: 10, width: 0.5, seed: 1 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { checkShape, kernelInit, scaled } from './init';
import { linear } from './blocks';

export interface SmallCnnOptions {
  inputShape?: number[];
  classes?: number;
  /** Channel multiplier on [16, 32] conv channels and the hidden dense size. Default 1. */
  width?: number;
  /** Hidden dense units before width scaling; 0 = none. Default 64. */
  hidden?: number;
  seed?: number;
  name?: string;
}

export function smallCnn(options: SmallCnnOptions = {}): tf.LayersModel {
  checkOptions('smallCnn', options, ['inputShape', 'classes', 'width', 'hidden', 'seed', 'name']);
  const { inputShape = [28, 28, 1], classes = 10, width = 1, hidden = 64, seed = 0, name = 'smallCnn' } = options;
  checkShape('smallCnn', inputShape, 3);
  type S = tf.SymbolicTensor;
  const input = tf.input({ shape: inputShape, name: 'input' });
  let h: S = input;
  [16, 32].forEach((c, i) => {
    const n = `conv${i + 1}`;
    h = tf.layers
      .conv2d({ filters: scaled(c, width), kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: kernelInit(seed, n), name: n })
      .apply(h) as S;
    h = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'valid', name: `pool${i + 1}` }).apply(h) as S;
  });
  h = tf.layers.flatten({ name: 'flatten' }).apply(h) as S;
  if (hidden > 0) {
    h = tf.layers
      .dense({ units: scaled(hidden, width), activation: 'relu', kernelInitializer: kernelInit(seed, 'dense1'), name: 'dense1' })
      .apply(h) as S;
  }
  return tf.model({ inputs: input, outputs: linear(h, classes, 'logits', seed), name });
}
