/**
 * Section "alignment" of the P4 notebook (arXiv 2103.11257, Sec. 3, the paper's central argument):
 * per rung, cos(input gradient at x, boundary normal at the refined boundary point) and cos(input
 * gradient, x - x'') per image (gradientNormalAlignment), and a table row with the means and
 * 95% percentile-bootstrap CIs over the images where the cosine is defined (a boundary was found
 * and the gradient is not zero; the rest are counted, not imputed).
 *
 * @example
 *   const a = await alignmentStep(ladder, data.eval, b, cfg);   report.showTable(a.rows); a.cosine['standard']
 */
import * as tf from '@tensorflow/tfjs';
import { bootstrapCI } from '../../stats';
import type { BoundarySearchResult } from '../../attacks';
import { gradientNormalAlignment } from './gradientNormalAlignment';

export interface AlignmentStep {
  /** Per rung name: cos(grad, normal) per image (NaN where undefined). */
  cosine: Record<string, number[]>;
  /** Per rung name: cos(grad, x - x'') per image. */
  cosineDirection: Record<string, number[]>;
  rows: Record<string, string | number>[];
}

export function meanCI(v: number[], nBoot: number, seed: number): { estimate: number; lo: number; hi: number; n: number } {
  const f = v.filter(Number.isFinite);
  return f.length ? { ...bootstrapCI(f, { n: nBoot, seed }), n: f.length } : { estimate: NaN, lo: NaN, hi: NaN, n: 0 };
}

export async function alignmentStep(
  rungs: { name: string; eps: number; model: tf.LayersModel }[],
  ev: { x: tf.Tensor },
  b: { searches: Pick<BoundarySearchResult, 'xBoundary' | 'found'>[]; pred: number[][] },
  cfg: { nBoot: number; seed: number },
): Promise<AlignmentStep> {
  const out: AlignmentStep = { cosine: {}, cosineDirection: {}, rows: [] };
  for (let i = 0; i < rungs.length; i++) {
    const r = rungs[i];
    const a = await gradientNormalAlignment(r.model, ev.x, b.searches[i].xBoundary, { found: b.searches[i].found, classes: b.pred[i] });
    out.cosine[r.name] = a.cosine;
    out.cosineDirection[r.name] = a.cosineDirection;
    const c = meanCI(a.cosine, cfg.nBoot, cfg.seed + 10 + i);
    const d = meanCI(a.cosineDirection, cfg.nBoot, cfg.seed + 20 + i);
    out.rows.push({ model: r.name, trainEps: r.eps, cosNormal: c.estimate, lo: c.lo, hi: c.hi, cosDirection: d.estimate, dirLo: d.lo, dirHi: d.hi, n: c.n, undefinedImages: a.nUndefined });
  }
  return out;
}
