/**
 * P2's singing voice detector: the zero-mean-convolution CNN of Schlueter & Lehner (2018; used by
 * Praher et al. 2021, arXiv 2107.09045), on 115 frames x 80 log-mel bands.
 *   zero-mean conv3x3 (64), conv3x3 (32), maxpool3, conv3x3 (128), conv3x3 (64), maxpool3,
 *   dropout 0.5, dense 256, dropout 0.5, dense 64, dropout 0.5, dense 1 'logit', sigmoid 'prob'.
 * Convs are 'valid', activations leaky ReLU (slope 0.01), as in Schlueter's ISMIR 2015 network.
 * batchNorm: batch normalisation before each leaky ReLU of the convs and hidden dense layers, as the
 * model P2's authors trained (CPJKU/veracity model_log_0mean: arch.batch_norm = 1). Default off.
 * The first layer's filters are zero-mean (ZeroMeanConv2D), so adding a constant to the log-mel
 * input (a gain change) does not change the output.
 *
 * Output: P(singing) in [0, 1] (threshold 0.51 in P2). For logits, use layerView(model, 'logit').
 *
 * @example
 *   const m = singingVoiceCnn({ width: 0.25, seed: 3 });  // input [115, 80, 1]
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { kernelInit, scaled } from './init';
import { ArchitectureOptions, conv, flatten, maxPool, modelInput } from './blocks';
import { ZeroMeanConv2D } from './ZeroMeanConv2D';
import { SeededDropout } from './SeededDropout';

export interface SingingVoiceCnnOptions extends ArchitectureOptions {
  /** [frames, melBands, 1]. Default [115, 80, 1]. */
  inputShape?: number[];
  /** Multiplier on conv channels [64, 32, 128, 64] and dense units [256, 64]. Default 1. */
  width?: number;
  dropout?: number;
  /** Zero-mean first layer (the paper's point); false gives the plain baseline. Default true. */
  zeroMean?: boolean;
  /** Batch normalisation before each hidden activation (default false). */
  batchNorm?: boolean;
}

export function singingVoiceCnn(options: SingingVoiceCnnOptions = {}): tf.LayersModel {
  checkOptions('singingVoiceCnn', options, ['inputShape', 'width', 'dropout', 'zeroMean', 'batchNorm', 'seed', 'name']);
  const { inputShape = [115, 80, 1], width = 1, dropout = 0.5, zeroMean = true, batchNorm = false, seed = 0, name = 'singingVoiceCnn' } = options;
  type S = tf.SymbolicTensor;
  const lrelu = (x: S, n: string) =>
    tf.layers.leakyReLU({ alpha: 0.01, name: `${n}_lrelu` }).apply(batchNorm ? (tf.layers.batchNormalization({ epsilon: 1e-4, name: `${n}_bn` }).apply(x) as S) : x) as S;
  const convL = (x: S, f: number, n: string) => lrelu(conv(x, scaled(f, width), n, seed, { padding: 'valid' }), n);
  const input = modelInput('singingVoiceCnn', inputShape, 3);
  let h: S = zeroMean
    ? lrelu(new ZeroMeanConv2D({ filters: scaled(64, width), kernelSize: 3, padding: 'valid', seed, name: 'conv1' }).apply(input) as S, 'conv1')
    : convL(input, 64, 'conv1');
  h = maxPool(convL(h, 32, 'conv2'), 3, 'pool1');
  h = maxPool(convL(convL(h, 128, 'conv3'), 64, 'conv4'), 3, 'pool2');
  h = flatten(h);
  [256, 64].forEach((u, i) => {
    const n = `dense${i + 1}`;
    h = new SeededDropout({ rate: dropout, seed, name: `drop${i + 1}` }).apply(h) as S;
    h = lrelu(tf.layers.dense({ units: scaled(u, width), kernelInitializer: kernelInit(seed, n), name: n }).apply(h) as S, n);
  });
  h = new SeededDropout({ rate: dropout, seed, name: 'drop3' }).apply(h) as S;
  const logit = tf.layers.dense({ units: 1, kernelInitializer: kernelInit(seed, 'logit', 'glorot'), name: 'logit' }).apply(h) as S;
  const prob = tf.layers.activation({ activation: 'sigmoid', name: 'prob' }).apply(logit) as S;
  return tf.model({ inputs: input, outputs: prob, name });
}
