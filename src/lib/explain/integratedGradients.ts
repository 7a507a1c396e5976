/**
 * Integrated Gradients: the path integral of the gradient on the straight line from a baseline.
 *
 * Sundararajan, Taly, Yan (2017), "Axiomatic Attribution for Deep Networks" (arXiv 1703.01365).
 *   IG_i(x) = (x_i - x'_i) * int_0^1 d f_target(x' + a (x - x')) / dx_i da
 * approximated with `steps` intervals: 'riemann' (right sum, the paper's eq. 3) or 'trapezoid'.
 * Completeness: sum_i IG_i = f(x) - f(x'); `gap` reports the per-example residual
 *   gap = sum_i IG_i - (f(x)[target] - f(x')[target]),
 * which shrinks as steps grow (faster with 'trapezoid'). The steps are evaluated in batches.
 *
 * @example
 *   const { map, gap } = await integratedGradients(model, x, { target: 1, steps: 64, rule: 'trapezoid' });
 */
import * as tf from '@tensorflow/tfjs';
import { Model, positiveInt, rowsPerPass } from '../engine';
import { Attribution, Baseline, completenessGap, DEFAULT_BATCH, pathRule, resolveBaseline, straightPathGradients, TargetOptions, checkMethodInput, modelAndTargets } from './common';

export interface IntegratedGradientsOptions extends TargetOptions {
  /** Reference input x' (default zeros): number, tensor like x, or like one example. */
  baseline?: Baseline;
  /** Number of intervals on the path (default 50). */
  steps?: number;
  /** Quadrature rule (default 'riemann'). */
  rule?: 'riemann' | 'trapezoid';
  /** Rows per backward pass; several steps share one pass (default 64). */
  batchSize?: number;
}

export interface PathAttribution extends Attribution {
  gap: number[];
}

const KNOWN = ['target', 'baseline', 'steps', 'rule', 'batchSize'] as const;

export async function integratedGradients(
  model: Model,
  x: tf.Tensor,
  options: IntegratedGradientsOptions,
): Promise<PathAttribution> {
  return pathIG('integratedGradients', model, x, options, KNOWN, options.baseline, 'baseline', 'riemann');
}

/** IG on the straight path from `baseline` (shared by integratedGradients and big). */
export async function pathIG(
  where: string,
  model: Model,
  x: tf.Tensor,
  options: TargetOptions & { steps?: number; rule?: string; batchSize?: number },
  known: readonly string[],
  baselineIn: Baseline | undefined,
  baselineName: string,
  defaultRule: string,
): Promise<PathAttribution> {
  checkMethodInput(where, options, known, x);
  const { steps = 50, rule = defaultRule, batchSize = DEFAULT_BATCH } = options;
  positiveInt(where, 'batchSize', batchSize);
  const { alphas, weights } = pathRule(where, steps, rule);
  const { fn, targets } = modelAndTargets(where, model, x, options.target);
  // rows (examples x path points) per backward pass: batchSize, lowered under the memory budget
  const rows = rowsPerPass(where, model, x, batchSize, 'backward');
  const baseline = resolveBaseline(where, x, baselineIn, baselineName);
  try {
    const avgGrad = straightPathGradients(fn, x, baseline, targets, alphas, weights, rows);
    const map = tf.tidy(() => x.sub(baseline).mul(avgGrad)); // (x - x') * mean gradient
    avgGrad.dispose();
    try {
      const gap = await completenessGap(fn, x, baseline, map, targets, rows);
      return { map, gap };
    } catch (e) {
      map.dispose();
      throw e;
    }
  } finally {
    baseline.dispose();
  }
}
