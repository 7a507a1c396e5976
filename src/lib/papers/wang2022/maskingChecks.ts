/**
 * Checks every rung of the robustness ladder must pass before its numbers enter a verdict (P4,
 * arXiv 2103.11257, compares standard and adversarially trained models; a rung that is collapsed
 * or gradient-masked would fake a "farther boundary"; Athalye, Carlini & Wagner 2018, arXiv
 * 1802.00420, Sec. 3.1 lists the signs):
 *
 *   1. learned:       final training loss (adversarial batches for eps > 0) < ln K (chance);
 *   2. accurate:      clean test accuracy >= minCleanAcc;
 *   3. gradient:      share of evaluation points with ||grad_x margin|| < zeroGradTol <= maxZeroGradShare
 *                     (zeroGradientShare);
 *   4. not masked:    at every budget r, robust accuracy under black-box attacks >= under the
 *                     white-box boundary search:
 *                       white-box(r) = mean_i [correct_i and not (found_i and ||x_i - x'_i|| <= r)]
 *                       black-box(r) = mean_i [correct_i and transfer PGD_r from the standard model
 *                                      fails and d_free(x_i) > r]        (lineSearchDistance)
 *                     (gradient-free attacks beating the gradient search = the gradient misleads).
 *
 * The standard rung is the transfer source, so only its gradient-free attack is used.
 *
 * @example
 *   const m = await maskingChecks(rungs, { x: xEval, y: yEval, searches, cleanAcc, cfg });
 *   m.passed; report.showTable(m.rows);
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions } from '../../engine';
import type { Model } from '../../engine';
import { isAdversarial, pgd } from '../../attacks';
import type { BoundarySearchResult } from '../../attacks';
import type { MaskingConfig } from './config';
import { lineSearchDistance } from './lineSearchDistance';
import { zeroGradientShare } from './zeroGradientShare';

export interface MaskingRung {
  name: string;
  eps: number;
  model: Model;
  finalLoss: number;
}

export interface MaskingChecksOptions {
  /** Evaluation images and their labels. */
  x: tf.Tensor;
  y: number[];
  /** The white-box boundary search per rung (same order as rungs). */
  searches: Pick<BoundarySearchResult, 'found' | 'l2'>[];
  /** Clean test accuracy per rung. */
  cleanAcc: number[];
  classes: number;
  masking: MaskingConfig;
  /** Budgets r of the robust-accuracy comparison. */
  budgets: number[];
  seed?: number;
}

export type MaskingRow = Record<string, string | number | boolean>;

export interface MaskingChecksResult {
  /** One row per rung: the numbers of each check, passed, and the failures. */
  rows: MaskingRow[];
  passed: boolean[];
  /** Per rung: the failed checks in words (empty if passed). */
  failures: string[][];
  /** Per rung: gradient-free crossing distance per evaluation image. */
  freeDistance: number[][];
}

export async function maskingChecks(rungs: MaskingRung[], options: MaskingChecksOptions): Promise<MaskingChecksResult> {
  const where = 'maskingChecks';
  checkOptions(where, options, ['x', 'y', 'searches', 'cleanAcc', 'classes', 'masking', 'budgets', 'seed']);
  const { x, y, searches, cleanAcc, classes, masking: mc, budgets, seed = 0 } = options;
  const n = x.shape[0];
  if (rungs.length === 0 || rungs[0].eps !== 0) throw new Error(`${where}: the first rung must be the standard model (eps 0), the transfer source.`);
  if (searches.length !== rungs.length || cleanAcc.length !== rungs.length) throw new Error(`${where}: one search and one clean accuracy per rung (${rungs.length}).`);
  if (y.length !== n) throw new Error(`${where}: ${y.length} labels for ${n} images.`);
  const chance = Math.log(classes);
  // transfer adversaries: PGD-L2 on the standard model at each budget, with the true labels
  const transfer: tf.Tensor[] = [];
  try {
    for (const r of budgets) {
      const a = await pgd(rungs[0].model, x, y, { eps: r, norm: 'l2', steps: mc.transferSteps, seed });
      transfer.push(a.xAdv);
    }
    const out: MaskingChecksResult = { rows: [], passed: [], failures: [], freeDistance: [] };
    for (let k = 0; k < rungs.length; k++) {
      const rung = rungs[k];
      const pred = tf.tidy(() => Array.from(asFn(rung.model)(x).reshape([n, -1]).argMax(1).dataSync()));
      const correct = pred.map((p, i) => p === y[i]);
      const zg = zeroGradientShare(rung.model, x, { classes: pred, tol: mc.zeroGradTol });
      const free = lineSearchDistance(rung.model, x, mc.lineSearch).distance;
      const row: MaskingRow = { model: rung.name, trainEps: rung.eps, finalTrainLoss: rung.finalLoss, chanceLoss: chance, cleanAcc: cleanAcc[k], zeroGradShare: zg.share };
      const fail: string[] = [];
      if (!(rung.finalLoss < chance)) fail.push(`training loss ${rung.finalLoss.toFixed(3)} not below chance ln ${classes} = ${chance.toFixed(3)}`);
      if (!(cleanAcc[k] >= mc.minCleanAcc)) fail.push(`clean accuracy ${cleanAcc[k].toFixed(3)} below ${mc.minCleanAcc}`);
      if (!(zg.share <= mc.maxZeroGradShare)) fail.push(`${zg.count} of ${n} points (${(100 * zg.share).toFixed(1)}%) have a zero input gradient (max ${100 * mc.maxZeroGradShare}%)`);
      for (let b = 0; b < budgets.length; b++) {
        const r = budgets[b];
        const s = searches[k];
        const wb = correct.map((c, i) => c && !(s.found[i] && s.l2[i] <= r));
        const tr = k === 0 ? correct.map(() => false) : await isAdversarial(rung.model, transfer[b], y);
        const bb = correct.map((c, i) => c && !tr[i] && !(free[i] <= r));
        const share = (v: boolean[]) => v.filter(Boolean).length / n;
        row[`whiteBox@${r}`] = share(wb);
        row[`transfer@${r}`] = k === 0 ? NaN : share(correct.map((c, i) => c && !tr[i]));
        row[`gradientFree@${r}`] = share(correct.map((c, i) => c && !(free[i] <= r)));
        row[`blackBox@${r}`] = share(bb);
        if (share(bb) < share(wb)) fail.push(`at L2 ${r} black-box robust accuracy ${share(bb).toFixed(3)} < white-box ${share(wb).toFixed(3)}`);
      }
      row.passed = fail.length === 0;
      row.failures = fail.join('; ');
      out.rows.push(row);
      out.passed.push(fail.length === 0);
      out.failures.push(fail);
      out.freeDistance.push(free);
    }
    return out;
  } finally {
    tf.dispose(transfer);
  }
}

/**
 * The rung the notebook shows as "robust": the most robust rung (highest index > 0) that passed the
 * masking checks, or the last rung when none passed (its maps are then shown, and its numbers stay
 * out of the verdicts).
 *
 * @example mostRobustPassing(ladder, [true, true, false]) // 1
 */
export function mostRobustPassing(ladder: unknown[], passed: boolean[]): number {
  if (passed.length !== ladder.length) throw new Error(`mostRobustPassing: ${ladder.length} rungs but ${passed.length} masking results.`);
  return [...ladder.keys()].reverse().find((i) => i > 0 && passed[i]) ?? ladder.length - 1;
}
