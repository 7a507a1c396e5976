/**
 * The conclusion table of the P4 notebook: each claim of the paper (CLAIMS) checked against our
 * per-example numbers with a paired bootstrap difference (pairedDifference) and, for the claims
 * about the robustness ladder, the Spearman rank correlation between the training budget and the
 * per-model mean (the trend across all rungs). Nothing is hand-written: verdicts come from the CIs.
 *
 *   distance        d(x, x') of the most robust model  - of the standard model   (not found -> the largest budget, a lower bound)
 *   alignment       cos(grad, normal), most robust      - standard
 *   robustLocalise  saliency energy in box, most robust - standard
 *   boundaryHelps   standard model: BSM - saliency, BIG - IG(black)
 *   baseline        standard model: best - worst IG baseline; BIG - mean over the IG baselines
 *
 * @example
 *   const rows = conclusions(evidence, { nBoot: 2000, seed: 0 });
 */
import { checkOptions } from '../../engine';
import { mean, pairedDifference, spearman } from '../../stats';
import { CLAIMS } from './config';
import type { Verdict } from '../../stats';

export interface P4Evidence {
  /** Ladder order: standard model first, most robust last. */
  models: { name: string; eps: number }[];
  /** Per model: L2 distance to the boundary point per example (NaN where none was found). */
  distance: Record<string, number[]>;
  /** Largest boundary-search budget (stands in for "not found": the true distance is larger). */
  maxBudget: number;
  /** Per model: cos(grad at x, boundary normal) per example. */
  alignment: Record<string, number[]>;
  /** Per model, per method: energy-in-box per example. */
  energy: Record<string, Record<string, number[]>>;
  /** Standard model: energy-in-box per example for each IG baseline ('ig:black', ...) and 'big'. */
  baselineEnergy: Record<string, number[]>;
}

export type ConclusionRow = {
  claim: keyof typeof CLAIMS;
  statement: string;
  comparison: string;
  paper: string;
  ours: number;
  lo: number;
  hi: number;
  n: number;
  /** Spearman(training eps, per-model mean) across the ladder (NaN where not a ladder claim). */
  trend: number;
  verdict: Verdict;
};

const finiteMean = (v: number[]) => {
  const f = v.filter(Number.isFinite);
  return f.length ? mean(f) : NaN;
};

export function conclusions(ev: P4Evidence, options: { nBoot?: number; seed?: number } = {}): ConclusionRow[] {
  const where = 'conclusions';
  checkOptions(where, options, ['nBoot', 'seed']);
  const { nBoot = 2000, seed = 0 } = options;
  if (ev.models.length < 2) throw new Error(`${where}: needs at least a standard and a robust model.`);
  const std = ev.models[0].name;
  const rob = ev.models[ev.models.length - 1].name;
  const need = (rec: Record<string, unknown>, k: string, what: string) => {
    if (!(k in rec)) throw new Error(`${where}: ${what} has no entry "${k}".`);
    return rec[k];
  };
  const eps = ev.models.map((m) => m.eps);
  const trend = (perModel: (name: string) => number[]) => {
    const means = ev.models.map((m) => finiteMean(perModel(m.name)));
    return means.every(Number.isFinite) && ev.models.length >= 3 ? spearman(eps, means) : NaN;
  };
  const rows: ConclusionRow[] = [];
  let k = 0;
  const add = (claim: keyof typeof CLAIMS, comparison: string, paper: string, a: number[], b: number[], t = NaN) => {
    const d = pairedDifference(a, b, { nBoot, seed: seed + k++ });
    rows.push({ claim, statement: CLAIMS[claim], comparison, paper, ours: d.diff, lo: d.lo, hi: d.hi, n: d.n, trend: t, verdict: d.verdict });
  };
  const censored = (name: string) => (need(ev.distance, name, 'distance') as number[]).map((v) => (Number.isFinite(v) ? v : ev.maxBudget));
  add('distance', `d(x, x') ${rob} - ${std}`, '> 0', censored(rob), censored(std), trend(censored));
  const al = (name: string) => need(ev.alignment, name, 'alignment') as number[];
  add('alignment', `cos(grad, normal) ${rob} - ${std}`, '> 0 (rises with robustness)', al(rob), al(std), trend(al));
  const en = (name: string, method: string) => need(need(ev.energy, name, 'energy') as Record<string, number[]>, method, `energy.${name}`) as number[];
  add('robustLocalise', `saliency energy in box ${rob} - ${std}`, '> 0', en(rob, 'saliency'), en(std, 'saliency'), trend((n) => en(n, 'saliency')));
  add('boundaryHelps', `${std}: BSM - saliency (energy in box)`, '> 0', en(std, 'bsm'), en(std, 'saliency'));
  add('boundaryHelps', `${std}: BIG - IG black (energy in box)`, '> 0', en(std, 'big'), en(std, 'ig'));
  const igKeys = Object.keys(ev.baselineEnergy).filter((key) => key.startsWith('ig:'));
  if (igKeys.length >= 2) {
    const ranked = igKeys.map((key) => ({ key, m: finiteMean(ev.baselineEnergy[key]) })).sort((a, b) => b.m - a.m);
    const best = ranked[0].key;
    const worst = ranked[ranked.length - 1].key;
    add('baseline', `${std}: ${best} - ${worst} (energy in box)`, '> 0 (IG depends on the baseline)', ev.baselineEnergy[best], ev.baselineEnergy[worst]);
  }
  if ('big' in ev.baselineEnergy && igKeys.length >= 1) {
    // per example, the mean over the fixed baselines: IG "with a typical baseline"
    const meanIg = ev.baselineEnergy.big.map((_, i) => igKeys.reduce((s, key) => s + ev.baselineEnergy[key][i], 0) / igKeys.length);
    add('baseline', `${std}: BIG - mean over IG baselines (energy in box)`, '>= 0', ev.baselineEnergy.big, meanIg);
  }
  return rows;
}
