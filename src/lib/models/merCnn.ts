/**
 * P1's VGG-style music emotion recognition CNN on log-filtered spectrograms (Hoedt, Flexer, Widmer
 * 2025, arXiv 2508.03780). Body (channels at width 1; BatchNorm + ReLU after every conv, 'same' padding):
 *   conv5x5/2 (64), conv3 (64), maxpool2 + dropout 0.3,
 *   conv3 (128), conv3 (128), maxpool2 + dropout 0.3,
 *   conv3 (256), conv3 (256), conv3 (384), conv3 (512), conv1x1 (256), global average pool.
 * At width 1 with input 313x149: ~3.93 M parameters, ~3.7 GMAC per example (as the paper).
 *
 * Heads (all linear):
 *   A2E:   256 -> 8 emotions (black box).                              Output [batch, 8].
 *   A2B2E: 256 -> 7 'bottleneck' -> 8 emotions (unsupervised control).   Output [batch, 8].
 *   A2M2E: 256 -> 7 'midlevel' (supervised) -> 8 'emotions'.            Output [batch, 15] =
 *          concat([emotions (8), midLevel (7)]): emotions FIRST, so column 0..7 are emotions for
 *          every head. Train with losses.merLoss({ w: 0.5 }) on y = concat([emotions, midLevel]);
 *          split with splitMer(); attack the emotions only through emotionsView(model).
 * One output tensor (not a two-output model) so every attack/explain/metric function, which take
 * a model with a single output, works unchanged.
 *
 * @example
 *   const m = merCnn({ head: 'A2M2E', width: 1 / 8, inputShape: [128, 149, 1], seed: 6 });
 *   const { emotions, midLevel } = splitMer(m.predict(x) as tf.Tensor);
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { scaled } from './init';
import { ArchitectureOptions, convBnRelu, linear, maxPool, modelInput } from './blocks';
import { SeededDropout } from './SeededDropout';
import { layerView } from './layerView';

export type MerHead = 'A2E' | 'A2B2E' | 'A2M2E';
export const MER_HEADS: readonly MerHead[] = ['A2E', 'A2B2E', 'A2M2E'];

export interface MerCnnOptions extends ArchitectureOptions {
  head?: MerHead;
  /** [frames, bins, 1]. Default [313, 149, 1] (10 s at 31.3 fps x 149 log-filtered bins). */
  inputShape?: number[];
  /** Channel multiplier (demo: 1/8). Default 1. */
  width?: number;
  /** Dropout after each pool. Default 0.3. */
  dropout?: number;
  emotions?: number;
  midLevel?: number;
  /**
   * BatchNorm moving-average momentum (Keras convention). Default 0.9: the authors' PyTorch code uses
   * PyTorch's default momentum 0.1, which is Keras 0.9 (tfjs's own default 0.99 would leave the
   * inference statistics far from the data after a short training).
   */
  bnMomentum?: number;
}

export function merCnn(options: MerCnnOptions = {}): tf.LayersModel {
  checkOptions('merCnn', options, ['head', 'inputShape', 'width', 'dropout', 'emotions', 'midLevel', 'seed', 'name', 'bnMomentum']);
  const { head = 'A2E', inputShape = [313, 149, 1], width = 1, dropout = 0.3, emotions = 8, midLevel = 7, seed = 0, bnMomentum = 0.9 } = options;
  if (!(bnMomentum >= 0 && bnMomentum < 1)) throw new Error(`merCnn: bnMomentum must be in [0, 1), got ${bnMomentum}`);
  if (!MER_HEADS.includes(head)) throw new Error(`merCnn: head must be one of ${MER_HEADS.join(', ')}, got "${head}"`);
  type S = tf.SymbolicTensor;
  const c = (n: number) => scaled(n, width);
  const input = modelInput('merCnn', inputShape, 3);
  let h: S = convBnRelu(input, c(64), 5, 2, 'conv1', seed, true, bnMomentum);
  h = convBnRelu(h, c(64), 3, 1, 'conv2', seed, true, bnMomentum);
  h = maxPool(h, 2, 'pool1');
  h = new SeededDropout({ rate: dropout, seed, name: 'drop1' }).apply(h) as S;
  h = convBnRelu(h, c(128), 3, 1, 'conv3', seed, true, bnMomentum);
  h = convBnRelu(h, c(128), 3, 1, 'conv4', seed, true, bnMomentum);
  h = maxPool(h, 2, 'pool2');
  h = new SeededDropout({ rate: dropout, seed, name: 'drop2' }).apply(h) as S;
  h = convBnRelu(h, c(256), 3, 1, 'conv5', seed, true, bnMomentum);
  h = convBnRelu(h, c(256), 3, 1, 'conv6', seed, true, bnMomentum);
  h = convBnRelu(h, c(384), 3, 1, 'conv7', seed, true, bnMomentum);
  h = convBnRelu(h, c(512), 3, 1, 'conv8', seed, true, bnMomentum);
  h = convBnRelu(h, c(256), 1, 1, 'conv9', seed, true, bnMomentum);
  h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as S;
  let out: S;
  if (head === 'A2E') {
    out = linear(h, emotions, 'emotions', seed);
  } else if (head === 'A2B2E') {
    out = linear(linear(h, midLevel, 'bottleneck', seed), emotions, 'emotions', seed);
  } else {
    const mid = linear(h, midLevel, 'midlevel', seed);
    const emo = linear(mid, emotions, 'emotions', seed);
    out = tf.layers.concatenate({ axis: -1, name: 'output' }).apply([emo, mid]) as S;
  }
  return tf.model({ inputs: input, outputs: out, name: options.name ?? `mer${head}` });
}

/** Split an A2M2E output (or target) [batch, emotions + midLevel] into its parts; A2E/A2B2E give midLevel null. */
export function splitMer(y: tf.Tensor, emotions = 8): { emotions: tf.Tensor; midLevel: tf.Tensor | null } {
  const n = y.shape[y.shape.length - 1] as number;
  if (y.rank !== 2 || n < emotions) throw new Error(`splitMer: expected [batch, >= ${emotions}], got [${y.shape}]`);
  if (n === emotions) return { emotions: y, midLevel: null };
  return { emotions: tf.slice(y, [0, 0], [-1, emotions]), midLevel: tf.slice(y, [0, emotions], [-1, n - emotions]) };
}

/** A view of a MER model that outputs only the 8 emotions (shares weights): what the attack targets. */
export function emotionsView(model: tf.LayersModel): tf.LayersModel {
  return layerView(model, 'emotions');
}
