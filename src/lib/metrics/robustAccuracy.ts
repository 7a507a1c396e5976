/**
 * Robust accuracy per perturbation budget: the share of examples classified correctly both at x
 * and at the adversarial input found within budget eps,
 *   racc(eps) = (1/N) Σ_i [ŷ(x_i) = y_i] · [ŷ(xAdv_i(eps)) = y_i].
 * (A misclassified clean example counts as not robust, as in Foolbox's `1 - success.mean()`.)
 * Either give the attack as a callback `(x, y, eps) => xAdv | {xAdv}` (its outputs are disposed
 * here), or the adversarial inputs already computed, one per budget (not disposed).
 *
 * @example
 *   robustAccuracy(model, x, y, { epsilons: [0.1, 0.3], attack: (x, y, eps) => pgd(model, x, y, { eps }) })
 *   // { meta, epsilons, values: [0.71, 0.12], perBudget: [MetricResult, ...], clean: MetricResult }
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Model, positiveInt, sameShape, checkedModel, checkInput, probeModel } from '../engine';
import { forward, MetricMeta, MetricResult, summarise, withMeta } from './common';
import { correctFlags, Labels, accuracy, AccuracyOptions } from './accuracy';

/** An adversarial input: the tensor itself or an attack result holding `xAdv`. */
export type Adversarial = tf.Tensor | { xAdv: tf.Tensor };

export interface RobustAccuracyOptions extends AccuracyOptions {
  /** Budgets (required). */
  epsilons: number[];
  /** Attack callback, called once per budget. */
  attack?: (x: tf.Tensor, y: Labels, eps: number) => Adversarial | Promise<Adversarial>;
  /** Precomputed adversarial inputs, one per budget (instead of `attack`). */
  adversarial?: Adversarial[];
}

export interface RobustAccuracyResult {
  meta: MetricMeta;
  epsilons: number[];
  /** Robust accuracy per budget. */
  values: number[];
  /** One MetricResult per budget (perExample 0/1 robust flags). */
  perBudget: MetricResult[];
  /** Clean accuracy. */
  clean: MetricResult;
}

const META: MetricMeta = { name: 'Robust accuracy', description: 'Share of examples classified correctly on the clean input and on the adversarial input within the budget.', higherIsBetter: true, range: [0, 1] };

async function robustAccuracyImpl(model: Model, x: tf.Tensor, y: Labels, options: RobustAccuracyOptions): Promise<RobustAccuracyResult> {
  const where = 'robustAccuracy';
  checkOptions(where, options, ['epsilons', 'attack', 'adversarial', 'batchSize', 'threshold', 'output']);
  if (!options || !Array.isArray(options.epsilons) || options.epsilons.length === 0) {
    throw new Error(`${where}: option "epsilons" (a non-empty array of budgets) is required.`);
  }
  const { epsilons, attack, adversarial } = options;
  if ((attack ? 1 : 0) + (adversarial ? 1 : 0) !== 1) throw new Error(`${where}: give exactly one of "attack" (a callback) or "adversarial" (inputs per budget).`);
  if (adversarial && adversarial.length !== epsilons.length) {
    throw new Error(`${where}: length mismatch, ${epsilons.length} epsilons but ${adversarial.length} adversarial inputs.`);
  }
  checkInput(where, x);
  const batchSize = positiveInt(where, 'batchSize', options.batchSize ?? 64);
  const fn = checkedModel(where, model);
  probeModel(where, fn, x);
  const accOptions: AccuracyOptions = { batchSize, threshold: options.threshold, output: options.output };
  const clean = accuracy(model, x, y, accOptions);
  const perBudget: MetricResult[] = [];
  for (let k = 0; k < epsilons.length; k++) {
    const eps = epsilons[k];
    const got = adversarial ? adversarial[k] : await attack!(x, y, eps);
    const xAdv = got instanceof tf.Tensor ? got : got?.xAdv;
    if (!(xAdv instanceof tf.Tensor)) throw new Error(`${where}: the adversarial input for eps=${eps} is not a tensor or {xAdv}.`);
    try {
      if (!sameShape(xAdv.shape, x.shape)) throw new Error(`${where}: xAdv for eps=${eps} has shape [${xAdv.shape}], x has [${x.shape}].`);
      const out = forward(fn, xAdv, batchSize);
      const adv = correctFlags(where, out, y, accOptions);
      out.dispose();
      const robust = adv.map((v, i) => v * clean.perExample![i]);
      perBudget.push(summarise({ ...META, name: `Robust accuracy (eps=${eps})` }, robust));
    } finally {
      if (!adversarial && xAdv !== x) xAdv.dispose(); // the attack's output is ours, unless it returned x itself
    }
  }
  return { meta: META, epsilons: epsilons.slice(), values: perBudget.map((r) => r.value), perBudget, clean };
}

export const robustAccuracy = withMeta(robustAccuracyImpl, META);
