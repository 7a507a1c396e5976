/**
 * Flatten interpretability scores into long records, one per (family, seed, method, metric, image):
 * the shape every later step (table, tests, figures) reads.
 *
 * @example
 *   const recs = scoreRecords(scores, { family: 'PGD-AT', group: 'robust', seed: 0 });
 *   recs[0] // { family: 'PGD-AT', group: 'robust', seed: 0, method: 'saliency', metric: 'energyInMask', image: 0, value: 0.41 }
 */
import { InterpretabilityScores, METHODS, METRICS, MethodName, MetricName } from './interpretabilityScores';

export interface ScoreRecord {
  family: string;
  group: string;
  seed: number;
  method: MethodName;
  metric: MetricName;
  image: number;
  value: number;
}

export function scoreRecords(s: InterpretabilityScores, id: { family: string; group: string; seed: number }): ScoreRecord[] {
  const out: ScoreRecord[] = [];
  for (const method of METHODS) {
    for (const metric of METRICS) {
      const v = s.scores[method]?.[metric];
      if (!v) throw new Error(`scoreRecords: no ${method} / ${metric} scores.`);
      v.forEach((value, image) => out.push({ ...id, method, metric, image, value }));
    }
  }
  return out;
}
