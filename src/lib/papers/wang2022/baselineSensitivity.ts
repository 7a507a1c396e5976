/**
 * Section "baseline sensitivity" of the P4 notebook (arXiv 2103.11257 compares BIG with IG under
 * the usual fixed baselines): IG with each baseline of igBaseline (black, white, uniform noise, a
 * blur of x) against BIG (baseline = the model's own refined boundary point), scored against the
 * planted boxes (localisation), plus how much the IG maps agree with each other (mean pairwise
 * cosine over baselines). Objects are darker or brighter than their background at random
 * (synthImages polarity 'random'), so neither the black nor the white baseline favours the object
 * by construction. Images without a boundary point have no BIG value (NaN, not imputed).
 *
 * @example
 *   const bs = await baselineSensitivity([ladder[0]], data.eval, b, at, cfg);   bs.energy['standard']['ig:black']
 */
import * as tf from '@tensorflow/tfjs';
import { integratedGradients } from '../../explain';
import { cosineSimilarity } from '../../metrics';
import type { Box } from '../../metrics';
import { IG_BASELINES, igBaseline } from './igBaseline';
import { localisation } from './localisation';

export interface BaselineStep {
  rows: Record<string, string | number>[];
  /** Per rung name: energy in the box per image, keys 'ig:black', ..., 'big'. */
  energy: Record<string, Record<string, number[]>>;
  /** Per rung name: the maps (flat NHWC), same keys. */
  maps: Record<string, Record<string, Float32Array>>;
}

export async function baselineSensitivity(
  rungs: { name: string; eps: number; model: tf.LayersModel; index: number }[],
  ev: { x: tf.Tensor; boxes: Box[] },
  b: { searches: { found: boolean[] }[]; pred: number[][] },
  at: { maps: Record<string, Record<string, Float32Array>> },
  cfg: { ig: { steps: number }; nBoot: number; seed: number },
): Promise<BaselineStep> {
  const out: BaselineStep = { rows: [], energy: {}, maps: {} };
  for (const r of rungs) {
    const big = at.maps[r.name]?.big;
    if (!big) throw new Error(`baselineSensitivity: no BIG map for "${r.name}"; run attributeLadder first.`);
    const maps: Record<string, tf.Tensor> = {};
    try {
      for (const kind of IG_BASELINES) {
        const base = igBaseline(ev.x, kind, { seed: cfg.seed, sigma: 3 });
        try {
          maps[`ig:${kind}`] = (await integratedGradients(r.model, ev.x, { target: b.pred[r.index], baseline: base, steps: cfg.ig.steps, rule: 'trapezoid' })).map;
        } finally {
          base.dispose();
        }
      }
      maps.big = tf.tensor(big, ev.x.shape);
      const loc = localisation(maps, ev.boxes, { nBoot: cfg.nBoot, seed: cfg.seed, exclude: { big: b.searches[r.index].found.map((f) => !f) } });
      const keys = IG_BASELINES.map((k) => `ig:${k}`);
      const pair: number[] = [];
      for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) pair.push(cosineSimilarity(maps[keys[i]], maps[keys[j]]).value);
      const agreement = pair.reduce((s, v) => s + v, 0) / pair.length;
      loc.rows.forEach((row) => out.rows.push({ model: r.name, ...row, igAgreement: row.method === 'big' ? NaN : agreement }));
      out.energy[r.name] = Object.fromEntries(Object.entries(loc.perExample).map(([k, v]) => [k, v.energy]));
      out.maps[r.name] = Object.fromEntries(Object.entries(maps).map(([k, v]) => [k, v.dataSync() as Float32Array]));
    } finally {
      tf.dispose(Object.values(maps));
    }
  }
  return out;
}
