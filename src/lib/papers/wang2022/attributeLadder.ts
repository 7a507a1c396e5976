/**
 * Sections "attribution maps" and "localisation" of the P4 notebook: per rung, the seven methods of
 * attributionMaps on the evaluation images (target = the model's class; BSM, BIG and BSG at the
 * rung's refined boundary points), scored against the planted boxes (localisation: energy in the
 * box and the pointing game, bootstrap CIs). Images without a boundary point have no BSM / BIG /
 * BSG value (NaN: left out of those methods' statistics, not imputed). The maps are returned as
 * arrays for the figures and the baseline comparison.
 *
 * @example
 *   const at = await attributeLadder(ladder, data.eval, b, cfg);   report.showTable(at.rows); at.energy['standard'].bsm
 */
import * as tf from '@tensorflow/tfjs';
import { progress } from '../../report';
import type { Box } from '../../metrics';
import type { BoundarySearchResult } from '../../attacks';
import { attributionMaps, disposeMaps } from './attributionMaps';
import type { P4Config } from './config';
import { localisation } from './localisation';

export const BOUNDARY_METHODS = ['bsm', 'big', 'bsg'];

export interface AttributionStep {
  rows: Record<string, string | number>[];
  /** Per rung name, per method: energy in the box per image (NaN where undefined). */
  energy: Record<string, Record<string, number[]>>;
  pointing: Record<string, Record<string, number[]>>;
  /** Per rung name, per method: the maps, flat NHWC. */
  maps: Record<string, Record<string, Float32Array>>;
  /** Per rung name, per method: seconds. */
  seconds: Record<string, Record<string, number>>;
}

export async function attributeLadder(
  rungs: { name: string; eps: number; model: tf.LayersModel }[],
  ev: { x: tf.Tensor; boxes: Box[] },
  b: { searches: Pick<BoundarySearchResult, 'xBoundary' | 'found'>[]; pred: number[][] },
  cfg: Pick<P4Config, 'ig' | 'smoothGrad' | 'agi' | 'nBoot' | 'seed'>,
  options: { showProgress?: boolean } = {},
): Promise<AttributionStep> {
  const out: AttributionStep = { rows: [], energy: {}, pointing: {}, maps: {}, seconds: {} };
  const bar = options.showProgress === false ? undefined : progress(rungs.length, 'attribution maps (7 methods) + localisation');
  try {
    for (let i = 0; i < rungs.length; i++) {
      const r = rungs[i];
      const res = await attributionMaps(r.model, ev.x, {
        target: b.pred[i], boundary: b.searches[i].xBoundary, igSteps: cfg.ig.steps, sgN: cfg.smoothGrad.n, sgNoise: cfg.smoothGrad.noiseLevel,
        ...(cfg.smoothGrad.sigma !== undefined ? { sgSigma: cfg.smoothGrad.sigma } : {}),
        agiEps: cfg.agi.eps, agiSteps: cfg.agi.steps, seed: cfg.seed,
      });
      try {
        const found = b.searches[i].found;
        const loc = localisation(res.maps as Record<string, tf.Tensor>, ev.boxes, { nBoot: cfg.nBoot, seed: cfg.seed, exclude: Object.fromEntries(BOUNDARY_METHODS.map((m) => [m, found.map((f) => !f)])) });
        out.energy[r.name] = Object.fromEntries(Object.entries(loc.perExample).map(([k, v]) => [k, v.energy]));
        out.pointing[r.name] = Object.fromEntries(Object.entries(loc.perExample).map(([k, v]) => [k, v.pointing]));
        loc.rows.forEach((row) => out.rows.push({ model: r.name, trainEps: r.eps, ...row }));
        out.maps[r.name] = Object.fromEntries(Object.entries(res.maps).map(([k, v]) => [k, (v as tf.Tensor).dataSync() as Float32Array]));
        out.seconds[r.name] = res.seconds as Record<string, number>;
      } finally {
        disposeMaps(res.maps);
      }
      bar?.tick({ model: r.name });
    }
  } finally {
    bar?.done();
  }
  return out;
}
