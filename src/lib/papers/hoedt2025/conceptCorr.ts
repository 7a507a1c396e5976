/**
 * How well A2M2E learned its mid-level concepts (arXiv 2508.03780; the bottleneck is only
 * interpretable if its units track the concepts): per concept, Pearson's r between the predicted and
 * the true concept across the clips of a split, per model, then the mean over models (seeds).
 *
 *   r_c = mean_seeds pearson(mhat_.c, m_.c)
 *
 * On the synthetic data the true concepts are the generator's planted controls. (The paper reports
 * no such number; it is our check that the demo models can show the paper's effect.)
 *
 * @example conceptCorr(a2m2eModels, data.test, data.midLevelNames); // [{ concept: 'melodiousness', r: 0.41, perSeed: [...] }, ...]
 */
import * as tf from '@tensorflow/tfjs';
import { pearson } from '../../stats';
import { predictBatched } from '../../train';

export function conceptCorr(models: tf.LayersModel[], split: { x: tf.Tensor; y: tf.Tensor }, names: string[], emotions = 8): { concept: string; r: number; perSeed: number[] }[] {
  if (!models.length) throw new Error('conceptCorr: no models.');
  const y = split.y.arraySync() as number[][];
  if (!y.length || y[0].length !== emotions + names.length) throw new Error(`conceptCorr: expected targets with ${emotions} emotions + ${names.length} concepts, got ${y[0]?.length ?? 0} columns.`);
  const per = models.map((m) => {
    const out = predictBatched(m, split.x, 64);
    try {
      if (out.shape[1] !== emotions + names.length) throw new Error(`conceptCorr: the model gives ${out.shape[1]} outputs; an A2M2E model gives ${emotions} emotions + ${names.length} concepts.`);
      const p = out.arraySync() as number[][];
      return names.map((_, c) => pearson(p.map((r) => r[emotions + c]), y.map((r) => r[emotions + c])));
    } finally {
      out.dispose();
    }
  });
  return names.map((concept, c) => ({ concept, r: per.reduce((s, v) => s + v[c], 0) / per.length, perSeed: per.map((v) => v[c]) }));
}
