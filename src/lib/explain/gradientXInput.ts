/**
 * Gradient times input: the elementwise product of the input gradient and the input.
 *
 * Shrikumar et al. (2016), "Not Just a Black Box" (arXiv 1605.01713); equals IG with a zero
 * baseline for a linear model.
 *   A(x) = x * d f_target(x) / dx
 *
 * @example
 *   const { map } = await gradientXInput(model, x, { target: 0 });
 */
import * as tf from '@tensorflow/tfjs';
import { Model, positiveInt, rowsPerPass } from '../engine';
import { Attribution, DEFAULT_BATCH, TargetOptions, checkMethodInput, modelAndTargets } from './common';
import { batchedGrad } from './saliency';

export interface GradientXInputOptions extends TargetOptions {
  /** Rows per backward pass (default 64). */
  batchSize?: number;
}

const KNOWN = ['target', 'batchSize'] as const;

export async function gradientXInput(model: Model, x: tf.Tensor, options: GradientXInputOptions): Promise<Attribution> {
  const where = 'gradientXInput';
  checkMethodInput(where, options, KNOWN, x);
  const { batchSize = DEFAULT_BATCH } = options;
  positiveInt(where, 'batchSize', batchSize);
  const { fn, targets } = modelAndTargets(where, model, x, options.target);
  const g = batchedGrad(fn, x, targets, rowsPerPass(where, model, x, batchSize, 'backward'));
  const map = tf.mul(g, x);
  g.dispose();
  return { map };
}
