/**
 * Classification accuracy: the share of examples whose predicted class equals the label,
 *   acc = (1/N) Σ_i [ŷ_i = y_i],  ŷ_i = argmax_c f(x_i)_c  (one output column: [σ(f(x_i)) ≥ threshold]).
 * Give either a model and x, or the outputs (logits) directly.
 *
 * @example accuracy(model, x, y)            // { meta, value: 0.97, perExample: [1, 1, 0, ...] }
 * @example accuracy(logits, y)              // same, from precomputed outputs
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Model, positiveInt, outputs2d, checkedModel, checkInputShape, rowsPerPass } from '../engine';
import { firstNonFinite } from '../train/checkData';
import { checkOutputKind, forward, labelIndices, MetricMeta, MetricResult, OutputKind, predictedClasses, summarise, withMeta, asTensor, scoped } from './common';

export interface AccuracyOptions {
  /** Rows per forward pass (default 64). */
  batchSize?: number;
  /** Decision threshold on the probability for single-output (binary) models (default 0.5). */
  threshold?: number;
  /** How to read a single output column: 'logits' (default, sigmoid applied) or 'probabilities'. */
  output?: OutputKind;
}

export type Labels = tf.Tensor | number[] | number[][];

const META: MetricMeta = { name: 'Accuracy', description: 'Share of examples whose predicted class equals the label.', higherIsBetter: true, range: [0, 1] };
const KNOWN = ['batchSize', 'threshold', 'output'];

function accuracyImpl(logits: tf.Tensor, y: Labels, options?: AccuracyOptions): MetricResult;
function accuracyImpl(model: Model, x: tf.Tensor, y: Labels, options?: AccuracyOptions): MetricResult;
function accuracyImpl(a: Model | tf.Tensor, b: tf.Tensor | Labels, c?: Labels | AccuracyOptions, d?: AccuracyOptions): MetricResult {
  const where = 'accuracy';
  if (a instanceof tf.Tensor) {
    const options = (c ?? {}) as AccuracyOptions;
    checkOptions(where, options, KNOWN);
    const { t, owned } = asTensor(where, a, 'logits');
    try {
      return scoped(() => correctness(where, outputs2d(t), b as Labels, options));
    } finally {
      if (owned) t.dispose();
    }
  }
  const options = d ?? {};
  checkOptions(where, options, KNOWN);
  const x = b as tf.Tensor;
  if (!(x instanceof tf.Tensor)) throw new Error(`${where}: x must be a tf.Tensor batch when a model is given.`);
  checkInputShape(where, x);
  const bad = firstNonFinite(x);
  if (bad >= 0) throw new Error(`${where}: x has NaN or Infinity in example ${bad} (the first bad one); it cannot be scored.`);
  const batchSize = positiveInt(where, 'batchSize', options.batchSize ?? 64);
  const out = forward(checkedModel(where, a), x, rowsPerPass(where, a, x, batchSize, 'forward')); // batchSize, lowered under the memory budget
  try {
    return correctness(where, out, c as Labels, options);
  } finally {
    out.dispose();
  }
}

/** Per-example correctness of [N, C] outputs against labels (shared with robustAccuracy). */
export function correctFlags(where: string, out: tf.Tensor2D, y: Labels, options: AccuracyOptions): number[] {
  const threshold = options.threshold ?? 0.5;
  const kind = checkOutputKind(where, options.output ?? 'logits');
  const labels = labelIndices(where, y, out.shape[0]);
  const classes = out.shape[1] > 1 ? out.shape[1] : 2; // one output column: a binary decision
  const outOfRange = labels.findIndex((l) => l >= classes);
  if (outOfRange >= 0) {
    throw new Error(`${where}: label y[${outOfRange}] = ${labels[outOfRange]} is out of range for a model with ${classes} classes (0..${classes - 1}); the first bad label.`);
  }
  const badOut = firstNonFinite(out);
  if (badOut >= 0) throw new Error(`${where}: the model output for example ${badOut} is NaN or Infinity; it has no predicted class.`);
  const pred = predictedClasses(out, threshold, kind);
  const p = pred.dataSync();
  pred.dispose();
  return labels.map((l, i) => (p[i] === l ? 1 : 0));
}

function correctness(where: string, out: tf.Tensor2D, y: Labels, options: AccuracyOptions): MetricResult {
  return summarise(META, correctFlags(where, out, y, options));
}

export const accuracy = withMeta(accuracyImpl, META);
