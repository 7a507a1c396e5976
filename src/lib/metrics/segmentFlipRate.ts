/**
 * Flip rate when an adversarial perturbation is kept only inside chosen segments (P2, Praher et
 * al. 2021, arXiv 2107.09045, veracity test): for example i with selected segments S_i,
 *   x̃_i = x_i + delta_i ⊙ 1[seg(j) ∈ S_i],   flipped_i = criterion(f(x̃_i), f(x_i)),
 * rate = (1/N) Σ_i flipped_i. The default criterion: the predicted label of x̃ differs from that of
 * x (argmax; single output: σ(logit) ≥ threshold, P2 uses 0.51).
 *
 * @example segmentFlipRate(model, x, delta, grid, [[0, 3], [5]], { threshold: 0.51 })
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Model, ModelFn, positiveInt, checkedModel, checkInput, rowsPerPass } from '../engine';
import { checkOutputKind, checkSameShape, forward, MetricMeta, MetricResult, OutputKind, predictedClasses, summarise, withMeta } from './common';
import { keepMask, resolveSegmentation, ResolvedSegmentation, Segmentation } from './segments';

/** Flip criterion on the outputs ([N, C]) at the partially perturbed and at the clean inputs. */
export type FlipCriterion = (outputsKept: tf.Tensor2D, outputsClean: tf.Tensor2D) => boolean[] | number[] | tf.Tensor | Promise<boolean[] | number[] | tf.Tensor>;

export interface FlipOptions {
  /** Custom criterion (default: the predicted label changes). */
  isFlipped?: FlipCriterion;
  /** Threshold on the probability for single-output models in the default criterion (default 0.5). */
  threshold?: number;
  /** Single output column read as 'logits' (default) or 'probabilities'. */
  output?: OutputKind;
  /** Rows per forward pass (default 64). */
  batchSize?: number;
}

export const FLIP_KEYS = ['isFlipped', 'threshold', 'output', 'batchSize'];

export const FLIP_META: MetricMeta = {
  name: 'Flip rate (kept segments)',
  description: 'Share of examples whose prediction still flips when the adversarial perturbation is kept only in the chosen segments.',
  higherIsBetter: true,
  range: [0, 1],
  paper: 'arXiv 2107.09045',
};

/** Everything fixed across selections: the model, inputs, segmentation and clean outputs. */
export interface FlipContext {
  where: string;
  fn: ModelFn;
  x: tf.Tensor;
  delta: tf.Tensor;
  seg: ResolvedSegmentation;
  clean: tf.Tensor2D;
  options: FlipOptions;
  batchSize: number;
  kind: OutputKind;
  dispose(): void;
}

export function flipContext(where: string, model: Model, x: tf.Tensor, delta: tf.Tensor, segmentation: Segmentation, options: FlipOptions): FlipContext {
  if (!(x instanceof tf.Tensor) || !(delta instanceof tf.Tensor)) throw new Error(`${where}: x and delta must be tf.Tensors.`);
  checkInput(where, x);
  checkSameShape(where, delta, x, 'delta', 'x');
  if (options.isFlipped !== undefined && typeof options.isFlipped !== 'function') throw new Error(`${where}: isFlipped must be a function.`);
  const kind = checkOutputKind(where, options.output ?? 'logits');
  const requested = positiveInt(where, 'batchSize', options.batchSize ?? 64);
  const seg = resolveSegmentation(where, segmentation, x);
  const fn = checkedModel(where, model);
  const batchSize = rowsPerPass(where, model, x, requested, 'forward'); // lowered under the memory budget
  const clean = forward(fn, x, batchSize);
  return { where, fn, x, delta, seg, clean, options, batchSize, kind, dispose: () => clean.dispose() };
}

/** Per-example flips (0/1) for one selection of segments per example. */
export async function flipsFor(ctx: FlipContext, selected: number[][]): Promise<number[]> {
  const n = ctx.x.shape[0];
  if (selected.length !== n) throw new Error(`${ctx.where}: length mismatch, ${n} examples but ${selected.length} segment selections.`);
  const xKept = tf.tidy(() => {
    const m = keepMask(ctx.seg, selected, n);
    return tf.add(ctx.x, tf.mul(ctx.delta, m)); // x̃ = x + delta ⊙ mask
  });
  const out = forward(ctx.fn, xKept, ctx.batchSize);
  xKept.dispose();
  try {
    if (ctx.options.isFlipped) {
      const r = await ctx.options.isFlipped(out, ctx.clean);
      let flags: number[];
      if (r instanceof tf.Tensor) {
        flags = Array.from(r.dataSync());
        if (r !== out && r !== ctx.clean) r.dispose();
      } else if (Array.isArray(r)) flags = (r as (boolean | number)[]).map(Number);
      else throw new Error(`${ctx.where}: isFlipped must return booleans (array or tensor), one per example.`);
      if (flags.length !== n) throw new Error(`${ctx.where}: isFlipped returned ${flags.length} values for ${n} examples.`);
      return flags.map((v) => (v ? 1 : 0));
    }
    const threshold = ctx.options.threshold ?? 0.5;
    const pk = predictedClasses(out, threshold, ctx.kind);
    const pc = predictedClasses(ctx.clean, threshold, ctx.kind);
    const a = pk.dataSync();
    const b = pc.dataSync();
    tf.dispose([pk, pc]);
    return Array.from(a, (v, i) => (v !== b[i] ? 1 : 0));
  } finally {
    out.dispose();
  }
}

export interface SegmentFlipResult extends MetricResult {
  perExample: number[];
  /** The segments kept per example. */
  selected: number[][];
}

async function segmentFlipRateImpl(
  model: Model, x: tf.Tensor, delta: tf.Tensor, segmentation: Segmentation, selected: number[][], options: FlipOptions = {},
): Promise<SegmentFlipResult> {
  const where = 'segmentFlipRate';
  checkOptions(where, options, FLIP_KEYS);
  const ctx = flipContext(where, model, x, delta, segmentation, options);
  try {
    const flips = await flipsFor(ctx, selected);
    return { ...summarise(FLIP_META, flips), perExample: flips, selected: selected.map((s) => s.slice()) };
  } finally {
    ctx.dispose();
  }
}

export const segmentFlipRate = withMeta(segmentFlipRateImpl, FLIP_META);
