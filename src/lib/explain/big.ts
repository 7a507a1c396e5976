/**
 * Boundary-based Integrated Gradients (BIG): Integrated Gradients from the nearest boundary point
 * x' to x (trapezoid rule).
 *
 * Wang, Fredrikson, Datta (2022), "Robust Models Are More Interpretable Because Attributions Look
 * Normal" (arXiv 2103.11257).
 *   BIG_i(x) = (x_i - x'_i) * int_0^1 d f_target(x' + a (x - x')) / dx_i da
 *   gap = sum_i BIG_i - (f(x)[target] - f(x')[target])
 * `boundary` (x', shaped like x) comes from the attacks module's boundary search.
 *
 * @example
 *   const { map, gap } = await big(model, x, { target: y, boundary: xb, steps: 64 });
 */
import * as tf from '@tensorflow/tfjs';
import { Model, checkInput } from '../engine';
import { checkMethodOptions, TargetOptions } from './common';
import { checkBoundary } from './bsm';
import { pathIG, PathAttribution } from './integratedGradients';

export interface BigOptions extends TargetOptions {
  /** The boundary point x' per example, shaped like x. */
  boundary: tf.Tensor;
  /** Intervals on the path (default 50). */
  steps?: number;
  /** Quadrature rule (default 'trapezoid', as in the paper's code). */
  rule?: 'riemann' | 'trapezoid';
  /** Rows per backward pass (default 64). */
  batchSize?: number;
}

const KNOWN = ['target', 'boundary', 'steps', 'rule', 'batchSize'] as const;

export async function big(model: Model, x: tf.Tensor, options: BigOptions): Promise<PathAttribution> {
  const where = 'big';
  checkMethodOptions(where, options, KNOWN);
  checkInput(where, x);
  checkBoundary(where, x, options.boundary);
  return pathIG(where, model, x, options, KNOWN, options.boundary, 'boundary', 'trapezoid');
}
