/**
 * Binary detection metrics at a decision threshold (P2, Praher et al. 2021, arXiv 2107.09045:
 * singing-voice detection at threshold 0.51): with ŷ = [p ≥ threshold],
 *   error = (FP + FN) / N,  recall = TP / (TP + FN),  specificity = TN / (TN + FP),
 *   precision = TP / (TP + FP)   (NaN when the denominator is 0).
 *
 * @example binaryDetection(probs, labels) // { error, recall, specificity, precision, counts: {tp, fp, tn, fn} }
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { checkOutputKind, MetricMeta, MetricResult, OutputKind, scoped, TensorLike, withMeta, withTensors } from './common';

export interface BinaryDetectionOptions {
  /** Decision threshold on the probability (default 0.51, as in P2). */
  threshold?: number;
  /** Scores are 'probabilities' (default) or sigmoid 'logits'. */
  output?: OutputKind;
}

export interface BinaryDetectionResult {
  meta: MetricMeta;
  error: MetricResult;
  recall: MetricResult;
  specificity: MetricResult;
  precision: MetricResult;
  counts: { tp: number; fp: number; tn: number; fn: number };
  /** Predicted labels (0/1) per example. */
  predicted: number[];
}

const META: MetricMeta = { name: 'Binary detection', description: 'Error, recall, specificity and precision of thresholded binary predictions.', higherIsBetter: true, range: [0, 1], paper: 'arXiv 2107.09045' };
export const ERROR_META: MetricMeta = { name: 'Error', description: 'Share of misclassified examples.', higherIsBetter: false, range: [0, 1] };
export const RECALL_META: MetricMeta = { name: 'Recall', description: 'Share of positive examples detected (true positive rate).', higherIsBetter: true, range: [0, 1] };
export const SPECIFICITY_META: MetricMeta = { name: 'Specificity', description: 'Share of negative examples rejected (true negative rate).', higherIsBetter: true, range: [0, 1] };
export const PRECISION_META: MetricMeta = { name: 'Precision', description: 'Share of positive predictions that are correct.', higherIsBetter: true, range: [0, 1] };

function binaryDetectionImpl(scores: TensorLike, labels: TensorLike, options: BinaryDetectionOptions = {}): BinaryDetectionResult {
  const where = 'binaryDetection';
  checkOptions(where, options, ['threshold', 'output']);
  const threshold = options.threshold ?? 0.51;
  const kind = checkOutputKind(where, options.output ?? 'probabilities');
  const [s, l] = withTensors(where, [[scores, 'scores'], [labels, 'labels']], (st, lt) => {
    if (st.size !== st.shape[0] && !(st.rank === 2 && st.shape[1] === 1)) throw new Error(`${where}: scores must be [N] or [N, 1], got [${st.shape}].`);
    const p = scoped(() => (kind === 'logits' ? tf.sigmoid(st) : st).dataSync());
    return [Array.from(p), Array.from(lt.dataSync())];
  });
  if (s.length !== l.length) throw new Error(`${where}: length mismatch, ${s.length} scores but ${l.length} labels.`);
  let tp = 0, fp = 0, tn = 0, fn = 0;
  const predicted = s.map((p, i) => {
    if (l[i] !== 0 && l[i] !== 1) throw new Error(`${where}: labels must be 0 or 1, labels[${i}] = ${l[i]}.`);
    const yhat = p >= threshold ? 1 : 0;
    if (yhat === 1 && l[i] === 1) tp++;
    else if (yhat === 1) fp++;
    else if (l[i] === 0) tn++;
    else fn++;
    return yhat;
  });
  const n = s.length;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
  return {
    meta: META,
    error: { meta: ERROR_META, value: (fp + fn) / n, perExample: predicted.map((p, i) => (p === l[i] ? 0 : 1)) },
    recall: { meta: RECALL_META, value: ratio(tp, tp + fn) },
    specificity: { meta: SPECIFICITY_META, value: ratio(tn, tn + fp) },
    precision: { meta: PRECISION_META, value: ratio(tp, tp + fp) },
    counts: { tp, fp, tn, fn },
    predicted,
  };
}

export const binaryDetection = withMeta(binaryDetectionImpl, META);
