/**
 * Boundary-based saliency map (BSM): the input gradient taken at the nearest decision-boundary
 * point x' instead of at x.
 *
 * Wang, Fredrikson, Datta (2022), "Robust Models Are More Interpretable Because Attributions Look
 * Normal" (arXiv 2103.11257).
 *   BSM(x) = d f_target(x') / dx'      (x' = the boundary point found for x)
 * The boundary point comes from the attacks module's boundary search (L2 PGD over growing
 * epsilons), supplied by the caller as `boundary` shaped like x; explain does not search it.
 *
 * @example
 *   // xb: boundary points for x from the attacks module's boundary search (caller's step)
 *   const { map } = await bsm(model, x, { target: y, boundary: xb });
 */
import * as tf from '@tensorflow/tfjs';
import { assertFinite, Model, positiveInt, sameShape, rowsPerPass } from '../engine';
import { Attribution, DEFAULT_BATCH, TargetOptions, checkMethodInput, modelAndTargets } from './common';
import { batchedGrad } from './saliency';

export interface BsmOptions extends TargetOptions {
  /** The boundary point x' per example, shaped like x. */
  boundary: tf.Tensor;
  /** Rows per backward pass (default 64). */
  batchSize?: number;
}

const KNOWN = ['target', 'boundary', 'batchSize'] as const;

export async function bsm(model: Model, x: tf.Tensor, options: BsmOptions): Promise<Attribution> {
  const where = 'bsm';
  checkMethodInput(where, options, KNOWN, x);
  checkBoundary(where, x, options.boundary);
  const { batchSize = DEFAULT_BATCH } = options;
  positiveInt(where, 'batchSize', batchSize);
  const { fn, targets } = modelAndTargets(where, model, x, options.target);
  return { map: batchedGrad(fn, options.boundary, targets, rowsPerPass(where, model, x, batchSize, 'backward')) };
}

/** The boundary must be a finite tensor shaped exactly like x (one boundary point per example). */
export function checkBoundary(where: string, x: tf.Tensor, boundary: unknown): asserts boundary is tf.Tensor {
  if (!(boundary instanceof tf.Tensor)) throw new Error(`${where}: option "boundary" (a tensor shaped like x) is required.`);
  if (!sameShape(boundary.shape, x.shape)) {
    throw new Error(`${where}: boundary shape [${boundary.shape}] does not match x [${x.shape}].`);
  }
  assertFinite(where, boundary, 'boundary');
}
