/**
 * Small CNN classifier: [conv3x3-relu-maxpool2] x 2, flatten, optional dense-relu, linear logits.
 * For MNIST / Fashion-MNIST scale images (P3, P4). Outputs logits (no softmax).
 *
 * @example
 *   const m = smallCnn({ inputShape: [28, 28, 1], classes: 10, width: 0.5, seed: 1 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { kernelInit, scaled } from './init';
import { ArchitectureOptions, conv, flatten, linear, maxPool, modelInput } from './blocks';

export interface SmallCnnOptions extends ArchitectureOptions {
  classes?: number;
  /** Channel multiplier on [16, 32] conv channels and the hidden dense size. Default 1. */
  width?: number;
  /** Hidden dense units before width scaling; 0 = none. Default 64. */
  hidden?: number;
}

export function smallCnn(options: SmallCnnOptions = {}): tf.LayersModel {
  checkOptions('smallCnn', options, ['inputShape', 'classes', 'width', 'hidden', 'seed', 'name']);
  const { inputShape = [28, 28, 1], classes = 10, width = 1, hidden = 64, seed = 0, name = 'smallCnn' } = options;
  type S = tf.SymbolicTensor;
  const input = modelInput('smallCnn', inputShape, 3);
  let h: S = input;
  [16, 32].forEach((c, i) => {
    h = conv(h, scaled(c, width), `conv${i + 1}`, seed, { padding: 'same', activation: 'relu' });
    h = maxPool(h, 2, `pool${i + 1}`);
  });
  h = flatten(h);
  if (hidden > 0) {
    h = tf.layers
      .dense({ units: scaled(hidden, width), activation: 'relu', kernelInitializer: kernelInit(seed, 'dense1'), name: 'dense1' })
      .apply(h) as S;
  }
  return tf.model({ inputs: input, outputs: linear(h, classes, 'logits', seed), name });
}
