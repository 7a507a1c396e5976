/**
 * Section "alignment" of the P4 notebook (arXiv 2103.11257, Sec. 3, the paper's central argument):
 * per rung, cos(input gradient at x, boundary normal at the refined boundary point) and cos(input
 * gradient, x - x'') per image (gradientNormalAlignment), and a table row with the means and
 * 95% percentile-bootstrap CIs over the images where the cosine is defined (a boundary was found
 * and the gradient is not zero; the rest are counted, not imputed); plus the matched-radius control
 * (gradientStability at r = the standard model's median refined boundary distance: the same
 * radius for every rung, so distance and smoothness are not mixed); and the authors' BSM form,
 * cos(grad z_c(x), grad z_c(x')) at their unrefined closest success x' (closestSuccess).
 *
 * @example
 *   const a = await alignmentStep(ladder, data.eval, b, cfg);   report.showTable(a.rows); a.cosine['standard']
 */
import * as tf from '@tensorflow/tfjs';
import { bootstrapCI } from '../../stats';
import type { BoundarySearchResult } from '../../attacks';
import { gradientNormalAlignment } from './gradientNormalAlignment';
import { gradientStability } from './gradientStability';
import { closestSuccess } from './closestSuccess';
import { saliency } from '../../explain';
import { cosineSimilarity } from '../../metrics';
import { median } from '../../stats';

export interface AlignmentStep {
  /** Per rung name: cos(grad, normal) per image (NaN where undefined). */
  cosine: Record<string, number[]>;
  /** Per rung name: cos(grad, x - x'') per image. */
  cosineDirection: Record<string, number[]>;
  /** Per rung name: cos(grad z_c(x), grad z_c(x + r u)) per image at the common radius (gradientStability). */
  matched: Record<string, number[]>;
  /** The common radius r (the standard model's median refined boundary distance). */
  radius: number;
  /** Per rung name: cos(grad z_c(x), grad z_c(x')) at the unrefined closest success x' (the authors' BSM point). */
  theirBsm: Record<string, number[]>;
  rows: Record<string, string | number>[];
}

export function meanCI(v: number[], nBoot: number, seed: number): { estimate: number; lo: number; hi: number; n: number } {
  const f = v.filter(Number.isFinite);
  return f.length ? { ...bootstrapCI(f, { n: nBoot, seed }), n: f.length } : { estimate: NaN, lo: NaN, hi: NaN, n: 0 };
}

export async function alignmentStep(
  rungs: { name: string; eps: number; model: tf.LayersModel }[],
  ev: { x: tf.Tensor },
  b: { searches: Pick<BoundarySearchResult, 'xBoundary' | 'found' | 'l2' | 'method' | 't'>[]; pred: number[][] },
  cfg: { nBoot: number; seed: number },
): Promise<AlignmentStep> {
  const s0 = b.searches[0];
  const d0 = s0.l2.filter((v, i) => s0.found[i] && s0.method[i] !== 'clean' && Number.isFinite(v) && v > 0);
  const radius = d0.length ? median(d0) : NaN;
  const out: AlignmentStep = { cosine: {}, cosineDirection: {}, matched: {}, radius, theirBsm: {}, rows: [] };
  for (let i = 0; i < rungs.length; i++) {
    const r = rungs[i];
    const a = await gradientNormalAlignment(r.model, ev.x, b.searches[i].xBoundary, { found: b.searches[i].found, classes: b.pred[i] });
    out.cosine[r.name] = a.cosine;
    out.cosineDirection[r.name] = a.cosineDirection;
    const c = meanCI(a.cosine, cfg.nBoot, cfg.seed + 10 + i);
    const d = meanCI(a.cosineDirection, cfg.nBoot, cfg.seed + 20 + i);
    const st = Number.isFinite(radius) ? (await gradientStability(r.model, ev.x, b.searches[i].xBoundary, { radius, classes: b.pred[i], found: b.searches[i].found })).cosine : a.cosine.map(() => NaN);
    out.matched[r.name] = st;
    const m = meanCI(st, cfg.nBoot, cfg.seed + 50 + i);
    const s = b.searches[i];
    const xu = closestSuccess(ev.x, s.xBoundary, s.t);
    const g0 = (await saliency(r.model, ev.x, { target: b.pred[i] })).map;
    const g1 = (await saliency(r.model, xu, { target: b.pred[i] })).map;
    const tb = (cosineSimilarity(g0, g1).perExample as number[]).map((v, j) => (s.found[j] && s.method[j] !== 'clean' && Number.isFinite(v) ? v : NaN));
    tf.dispose([xu, g0, g1]);
    out.theirBsm[r.name] = tb;
    const tbc = meanCI(tb, cfg.nBoot, cfg.seed + 60 + i);
    out.rows.push({
      model: r.name, trainEps: r.eps, cosNormal: c.estimate, lo: c.lo, hi: c.hi, cosDirection: d.estimate, dirLo: d.lo, dirHi: d.hi, n: c.n, undefinedImages: a.nUndefined,
      matchedRadius: radius, cosMatched: m.estimate, matchedLo: m.lo, matchedHi: m.hi, cosTheirBsm: tbc.estimate, theirBsmLo: tbc.lo, theirBsmHi: tbc.hi,
    });
  }
  return out;
}
