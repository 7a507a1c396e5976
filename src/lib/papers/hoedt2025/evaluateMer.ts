/**
 * Table 1's numbers for one model (arXiv 2508.03780): on a split, the average correlation over the
 * 8 emotions (Pearson across songs, then the mean over emotions) and the MAE, plus per-song MAE.
 *
 *   corr = (1/8) sum_k pearson(yhat_.k, y_.k),   MAE = mean_{i,k} |yhat_ik - y_ik|
 *
 * @example
 *   const e = evaluateMer(model, data.test);  e.corr; e.mae;
 */
import * as tf from '@tensorflow/tfjs';
import { averageCorrelation, meanAbsoluteError } from '../../metrics';
import { predictBatched } from '../../train';

export interface MerEvaluation {
  corr: number;
  mae: number;
  perSongMae: number[];
  /** Correlation per emotion. */
  perEmotionCorr: number[];
}

export function evaluateMer(model: tf.LayersModel, split: { x: tf.Tensor; y: tf.Tensor }, emotions = 8): MerEvaluation {
  const out = predictBatched(model, split.x, 64);
  const [p, t] = tf.tidy(() => [tf.slice(out, [0, 0], [-1, emotions]), tf.slice(split.y, [0, 0], [-1, emotions])]);
  try {
    const c = averageCorrelation(p, t);
    const m = meanAbsoluteError(p, t);
    return { corr: c.value, mae: m.value, perSongMae: m.perExample, perEmotionCorr: c.perTarget };
  } finally {
    tf.dispose([out, p, t]);
  }
}
