/**
 * §6 of the P3 notebook as one step: the interpretability scores (interpretabilityScores: three
 * attribution methods x six metrics against the planted masks, target = the true class) of every
 * synth model on the first cfg.explain.n test images, seeded with the model's seed, as long records
 * (scoreRecords), plus the first maps of each first-seed model for the figures.
 *
 * @example
 *   const scored = await scoreModels(synthModels, data.synthTest, cfg, { onModel: (m) => bar.tick({ model: m.name }) });
 *   summariseFamilies(scored.records, { seed: 1 });  attributionGridFigure(data.synthTest, 0, scored.maps);
 */
import * as tf from '@tensorflow/tfjs';
import type { SynthImageSet } from '../../data';
import { toTensors } from '../../data';
import type { P3Config } from './config';
import { interpretabilityScores } from './interpretabilityScores';
import type { MethodName } from './interpretabilityScores';
import { scoreRecords } from './scoreRecords';
import type { ScoreRecord } from './scoreRecords';
import type { TrainedFamily } from './trainFamily';

export interface ScoredModels {
  records: ScoreRecord[];
  /** First-seed models: the first `keepMaps` maps per method (flat, one per image). */
  maps: { family: string; maps: Record<MethodName, Float32Array[]> }[];
  /** Test images scored. */
  n: number;
}

export async function scoreModels(models: TrainedFamily[], test: SynthImageSet, cfg: P3Config, options: { keepMaps?: number; onModel?: (m: TrainedFamily) => void } = {}): Promise<ScoredModels> {
  const n = Math.min(cfg.explain.n, test.shape[0]);
  const size = test.shape[1] * test.shape[2];
  const t = toTensors(test);
  const x = t.x.slice(0, n);
  const masks = tf.tensor4d(Float32Array.from(test.masks.subarray(0, n * size)), [n, test.shape[1], test.shape[2], 1]);
  const targets = Array.from(test.y.subarray(0, n));
  try {
    const records: ScoreRecord[] = [];
    const maps: ScoredModels['maps'] = [];
    for (const m of models) {
      const s = await interpretabilityScores(m.model, x, masks, targets, { ...cfg.explain, seed: m.seed, keepMaps: options.keepMaps ?? 3 });
      records.push(...scoreRecords(s, { family: m.family.label, group: m.family.group, seed: m.seed }));
      if (m.seed === cfg.seeds[0]) maps.push({ family: m.family.label, maps: s.maps });
      options.onModel?.(m);
    }
    return { records, maps, n };
  } finally {
    tf.dispose([t.x, t.y, x, masks]);
  }
}
