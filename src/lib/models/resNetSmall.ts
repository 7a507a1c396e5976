/**
 * Small ResNet for CIFAR-10-sized images (He et al. 2016, arXiv 1512.03385, CIFAR variant):
 * stem conv3x3-BN-ReLU, then `stages` of `blocks` basic residual blocks (two conv3x3-BN, identity or
 * 1x1-stride-2 projection shortcut, add, ReLU), global average pool (a mean, no avgPool), linear logits.
 * Uses only conv2d, batchNorm, relu, add, global mean: layers whose tfjs gradients are sound.
 *
 * Formula (block): y = relu(BN(conv(relu(BN(conv(x))))) + shortcut(x)).
 *
 * @example
 *   const m = resNetSmall({ inputShape: [32, 32, 3], classes: 10, width: 0.5, blocks: 1, seed: 0 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { scaled } from './init';
import { ArchitectureOptions, convBnRelu, linear, modelInput } from './blocks';

export interface ResNetSmallOptions extends ArchitectureOptions {
  classes?: number;
  /** Multiplier on the stage channels [16, 32, 64]. Default 1. */
  width?: number;
  /** Residual blocks per stage (ResNet-20: 3). Default 1. */
  blocks?: number;
  /** Channels per stage before width scaling. Default [16, 32, 64]. */
  channels?: number[];
}

export function resNetSmall(options: ResNetSmallOptions = {}): tf.LayersModel {
  checkOptions('resNetSmall', options, ['inputShape', 'classes', 'width', 'blocks', 'channels', 'seed', 'name']);
  const { inputShape = [32, 32, 3], classes = 10, width = 1, blocks = 1, channels = [16, 32, 64], seed = 0, name = 'resNetSmall' } = options;
  type S = tf.SymbolicTensor;
  const input = modelInput('resNetSmall', inputShape, 3);
  let h: S = convBnRelu(input, scaled(channels[0], width), 3, 1, 'stem', seed);
  let cin = scaled(channels[0], width);
  channels.forEach((c0, s) => {
    const c = scaled(c0, width);
    for (let b = 0; b < blocks; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const n = `s${s + 1}b${b + 1}`;
      const r1 = convBnRelu(h, c, 3, stride, `${n}_conv1`, seed);
      const r2 = convBnRelu(r1, c, 3, 1, `${n}_conv2`, seed, false);
      const short = stride !== 1 || cin !== c ? convBnRelu(h, c, 1, stride, `${n}_proj`, seed, false) : h;
      const sum = tf.layers.add({ name: `${n}_add` }).apply([r2, short]) as S;
      h = tf.layers.reLU({ name: `${n}_relu` }).apply(sum) as S;
      cin = c;
    }
  });
  h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as S;
  return tf.model({ inputs: input, outputs: linear(h, classes, 'logits', seed), name });
}
