/**
 * Saliency map: the input gradient of the target output.
 *
 * Simonyan, Vedaldi, Zisserman (2014), "Deep Inside Convolutional Networks" (arXiv 1312.6034).
 *   S(x) = d f_target(x) / dx          (abs: |d f_target / dx|)
 *
 * @example
 *   const { map } = await saliency(model, x, { target: 3 });   // map shaped like x; map.dispose()
 */
import * as tf from '@tensorflow/tfjs';
import { Model, positiveInt, rowsPerPass } from '../engine';
import { Attribution, DEFAULT_BATCH, targetGrad, TargetOptions, checkMethodInput, modelAndTargets } from './common';

export interface SaliencyOptions extends TargetOptions {
  /** Absolute value of the gradient (default false: signed). */
  abs?: boolean;
  /** Rows per backward pass (default 64). */
  batchSize?: number;
}

const KNOWN = ['target', 'abs', 'batchSize'] as const;

export async function saliency(model: Model, x: tf.Tensor, options: SaliencyOptions): Promise<Attribution> {
  const where = 'saliency';
  checkMethodInput(where, options, KNOWN, x);
  const { abs = false, batchSize = DEFAULT_BATCH } = options;
  positiveInt(where, 'batchSize', batchSize);
  const { fn, targets } = modelAndTargets(where, model, x, options.target);
  const map = batchedGrad(fn, x, targets, rowsPerPass(where, model, x, batchSize, 'backward'));
  if (!abs) return { map };
  const a = tf.abs(map);
  map.dispose();
  return { map: a };
}

/** Input gradient of the target output for a batch, chunked to batchSize rows (shared by several methods; callers pass rows within the memory budget, engine/memory.ts). */
export function batchedGrad(fn: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, targets: number[], batchSize: number): tf.Tensor {
  const B = x.shape[0];
  if (B <= batchSize) return tf.tidy(() => targetGrad(fn, x, targets));
  const parts: tf.Tensor[] = [];
  try {
    for (let i = 0; i < B; i += batchSize) {
      const k = Math.min(batchSize, B - i);
      parts.push(tf.tidy(() => targetGrad(fn, x.slice(i, k), targets.slice(i, i + k))));
    }
    return tf.concat(parts);
  } finally {
    parts.forEach((p) => p.dispose()); // also when the model throws in a later chunk
  }
}
