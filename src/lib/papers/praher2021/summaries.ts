/**
 * Tables, figure data and verdicts of the P2 notebook (Praher et al. 2021, arXiv 2107.09045), ours
 * beside the paper's: Table 1 (LIME top-3 flip rate), Table 2 (LIME positive vs energy), Fig. 2
 * (flip rate vs k), and the conclusion as Claim rows (stats/claims.ts) computed from the numbers
 * with the criterion stated in each row.
 *
 * @example
 *   showTable(table1(sets), { title: 'Table 1', name: 'p2_table1' });
 */
import { median, type Claim, type Verdict } from '../../stats';
import { PAPER } from './config';
import type { AttackDomain, Direction } from './craftAdversaries';
import type { VeracityResult } from './limeVeracity';

/** One veracity result per direction and attack domain (null when no adversary was found). */
export type VeracitySets = Record<Direction, Record<AttackDomain, VeracityResult | null>>;

const pct = (v: number | undefined | null) => (v === undefined || v === null || !Number.isFinite(v) ? NaN : Math.round(1000 * v) / 10);
const DIRS: Direction[] = ['no sing->sing', 'sing->no sing'];
const DOMS: AttackDomain[] = ['wave', 'spec'];
const DOM_NAME: Record<AttackDomain, string> = { wave: 'waveform', spec: 'spectrogram' };

/**
 * Table 1 rows, each with its own verdict by the Table 1 claim's rule (energy top-3 - LIME top-3 >=
 * MARGIN -> holds, <= -MARGIN -> reversed, else not shown) and its minimum: 'too few' when the row
 * has fewer than MIN_ADVERSARIES adversaries.
 */
export function table1(sets: VeracitySets): Record<string, string | number>[] {
  return DIRS.flatMap((dir) =>
    DOMS.map((dom) => {
      const v = sets[dir][dom];
      const n = v?.n ?? 0;
      return {
        direction: dir, attack: DOM_NAME[dom], n, 'LIME top-3 % (ours)': pct(v?.top3), 'LIME top-3 % (paper)': pct(PAPER.table1[dir][dom]), 'energy top-3 % (ours)': pct(v?.energyTop3),
        'row verdict (energy - LIME)': v ? marginVerdict(v.energyTop3 - v.top3, n, MIN_ADVERSARIES) : 'not tested',
      };
    }),
  );
}

export function table2(sets: VeracitySets): Record<string, string | number>[] {
  return DIRS.flatMap((dir) =>
    DOMS.map((dom) => {
      const v = sets[dir][dom];
      const p = PAPER.table2[dir][dom];
      return {
        direction: dir, attack: DOM_NAME[dom], n: v?.n ?? 0,
        'LIME positive % (ours)': pct(v?.positive), 'energy % (ours)': pct(v?.energyPositive),
        'LIME positive % (paper)': pct(p.lime), 'energy % (paper)': pct(p.energy),
        'mean # positive segments': v ? Math.round(100 * v.meanPositive) / 100 : NaN,
        'top-3 overlap LIME/energy': v ? Math.round(100 * v.overlapTop3) / 100 : NaN,
      };
    }),
  );
}

/** Fig. 2 data: one row per (direction, attack, k). */
export function curveRows(sets: VeracitySets): { direction: string; attack: string; k: number; lime: number; energy: number; overlap: number }[] {
  return DIRS.flatMap((dir) =>
    DOMS.flatMap((dom) => {
      const v = sets[dir][dom];
      if (!v) return [];
      return v.curve.ks.map((k, i) => ({ direction: dir, attack: DOM_NAME[dom], k, lime: v.curve.lime[i], energy: v.curve.energy[i], overlap: v.curve.overlap[i] }));
    }),
  );
}

/** Pooled over all sets, weighted by their sizes: flip rate per k for LIME and energy. */
export function pooledCurve(sets: VeracitySets): { ks: number[]; lime: number[]; energy: number[] } {
  const all = DIRS.flatMap((d) => DOMS.map((m) => sets[d][m])).filter((v): v is VeracityResult => !!v && v.n > 0);
  if (!all.length) return { ks: [], lime: [], energy: [] };
  const ks = all[0].curve.ks;
  const n = all.reduce((s, v) => s + v.n, 0);
  const avg = (f: (v: VeracityResult, i: number) => number) => ks.map((_, i) => all.reduce((s, v) => s + v.n * f(v, i), 0) / n);
  return { ks, lime: avg((v, i) => v.curve.lime[i]), energy: avg((v, i) => v.curve.energy[i]) };
}

/** Margin (share of adversaries) by which one selection must beat the other for 'holds' / 'reversed'. */
export const MARGIN = 0.05;
/** Fewest adversaries (pooled over settings) for a veracity verdict; fewest per group for Fig. 3 / Fig. 4. */
export const MIN_ADVERSARIES = 8;
export const MIN_GROUP = 5;

const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const p1 = (v: number) => (Number.isFinite(v) ? (100 * v).toFixed(1) : 'n/a');

/** 'holds' when diff >= margin in the paper's direction, 'reversed' when <= -margin, else 'not shown'; 'too few' below minN. */
export function marginVerdict(diff: number, n: number, minN: number, margin = MARGIN): Verdict {
  if (!(n >= minN)) return 'too few';
  if (!Number.isFinite(diff)) return 'not tested';
  return diff >= margin ? 'holds' : diff <= -margin ? 'reversed' : 'not shown';
}

export interface ClaimInputs {
  sets: VeracitySets;
  detector: { error: number; recall: number; specificity: number };
  /** Leave-one-song-out detector, pooled over the held-out songs (shown beside the test split; the verdict stays on the test split). */
  loso?: { error: number; recall: number; specificity: number; folds: number };
  horses: { before: number; after: number; drawnInTop: number }[];
  /** Fig. 3 the authors' way (subsetStudy rows). */
  subset: { k: number; n: number; detected: number[] }[];
  /** Our planted-truth extension (masked attacks). */
  planted: { k: number; lime: number; ig: number; n: number }[];
  fidelity: { correct: number[]; incorrect: number[] };
  /** Median attacked P(sing) per direction (all domains pooled). */
  pAdvMedian?: Record<Direction, number>;
}

/**
 * The conclusion as Claim rows (stats/claims.ts): each claim, the paper's numbers, ours, the
 * criterion and the verdict. Like is compared with like: LIME's selection against the energy
 * baseline's with the same number of segments on the same adversaries, pooled over settings
 * (weighted by their sizes), with margin MARGIN; fewer than MIN_ADVERSARIES adversaries (or
 * MIN_GROUP per group) gives 'too few'.
 */
export function claims(o: ClaimInputs): Claim[] {
  const vs = DIRS.flatMap((d) => DOMS.map((m) => o.sets[d][m])).filter((v): v is VeracityResult => !!v && v.n > 0);
  const nAll = vs.reduce((s, v) => s + v.n, 0);
  const wmean = (f: (v: VeracityResult) => number) => (nAll ? vs.reduce((s, v) => s + v.n * f(v), 0) / nAll : NaN);
  const top3 = wmean((v) => v.top3), e3 = wmean((v) => v.energyTop3);
  const lp = wmean((v) => v.positive), ep = wmean((v) => v.energyPositive);
  const curve = pooledCurve(o.sets);
  const gaps = curve.ks.map((_, i) => curve.energy[i] - curve.lime[i]);
  const atOrAbove = gaps.filter((g) => g >= -MARGIN).length;
  const meanGap = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : NaN;
  const flips = o.horses.filter((h) => h.before < PAPER.threshold && h.after >= PAPER.threshold);
  const sub = o.subset.filter((r) => r.n > 0);
  const subN = sub.reduce((s, r) => s + r.n, 0);
  const subFrac = subN ? sub.reduce((s, r) => s + r.detected.reduce((a, b) => a + b / r.k, 0), 0) / subN : NaN;
  const subByK = [...new Set(o.subset.map((r) => r.k))].map((k) => {
    const rs = o.subset.filter((r) => r.k === k);
    const det = rs.flatMap((r) => r.detected);
    return `k=${k}: ${det.length ? f2(det.reduce((a, b) => a + b, 0) / det.length) : 'n/a'} of ${k} (n ${det.length})`;
  });
  const plantedN = o.planted.reduce((s, p) => s + p.n, 0);
  const limeFrac = plantedN ? o.planted.reduce((s, p) => s + p.n * p.lime, 0) / plantedN : NaN;
  const igFrac = plantedN ? o.planted.reduce((s, p) => s + p.n * p.ig, 0) / plantedN : NaN;
  const nc = o.fidelity.correct.length, ni = o.fidelity.incorrect.length;
  const mc = nc ? median(o.fidelity.correct) : NaN;
  const mi = ni ? median(o.fidelity.incorrect) : NaN;
  const d = o.detector;
  const pm = o.pAdvMedian;
  const rows: Claim[] = [
    {
      claim: 'The detector works (context for the rows below, not a claim of the paper)',
      paper: `error ${f2(PAPER.detector.error)}, recall ${f2(PAPER.detector.recall)}, specificity ${f2(PAPER.detector.specificity)}`,
      ours: `error ${f2(d.error)}, recall ${f2(d.recall)}, specificity ${f2(d.specificity)} (test split)` +
        (o.loso ? `; leave-one-song-out (${o.loso.folds} folds, pooled): error ${f2(o.loso.error)}, recall ${f2(o.loso.recall)}, specificity ${f2(o.loso.specificity)}` : ''),
      criterion: "error at most 0.10 above the paper's 0.115 -> holds, else not shown",
      verdict: Number.isFinite(d.error) ? (d.error <= PAPER.detector.error + 0.1 ? 'holds' : 'not shown') : 'not tested',
    },
    {
      claim: 'Adversaries are decisive: attacked P(sing) clear of the threshold (precondition of the veracity rows)',
      paper: 'every frame of a song flipped (req_change_factor 1), up to 1000 steps',
      ours: pm ? `median attacked P(sing): no sing->sing ${f2(pm['no sing->sing'])}, sing->no sing ${f2(pm['sing->no sing'])}` : 'n/a',
      criterion: 'median attacked P(sing) >= 0.6 (no sing->sing) and <= 0.4 (sing->no sing) -> holds, else not shown',
      verdict: pm && Number.isFinite(pm['no sing->sing']) && Number.isFinite(pm['sing->no sing'])
        ? (pm['no sing->sing'] >= 0.6 && pm['sing->no sing'] <= 0.4 ? 'holds' : 'not shown') : 'not tested',
    },
    {
      claim: 'Drawn shapes ("horses") flip the detector (Fig. 1)',
      paper: `P(sing) ${PAPER.fig1.before} -> ${PAPER.fig1.after}`,
      ours: o.horses.length ? `${flips.length} of ${o.horses.length} drawings flip; P(sing) ${o.horses.map((h) => `${f2(h.before)}->${f2(h.after)}`).join(', ')}` : 'n/a',
      criterion: 'at least one drawing moves P(sing) from below to at least 0.51 -> holds, else not shown',
      verdict: o.horses.length ? (flips.length > 0 ? 'holds' : 'not shown') : 'not tested',
    },
    {
      claim: "LIME's top-3 segments reproduce the flip less often than the 3 highest-energy segments (Table 1 beside Fig. 2 at k = 3)",
      paper: 'LIME top-3: 53 / 41 / 21 / 32 % still flipped; energy at or above LIME at every k (Fig. 2)',
      ours: `LIME top-3 ${p1(top3)} % vs energy top-3 ${p1(e3)} % (all settings, n ${nAll})`,
      criterion: `energy - LIME >= ${MARGIN} (pooled share) -> holds; <= -${MARGIN} -> reversed; else not shown; n < ${MIN_ADVERSARIES} -> too few`,
      verdict: marginVerdict(e3 - top3, nAll, MIN_ADVERSARIES),
    },
    {
      claim: "Energy-based selection beats LIME's positively weighted segments with as many segments (Table 2)",
      paper: 'energy 55-99 % vs LIME 44-91 %, energy higher in all four settings',
      ours: `energy ${p1(ep)} % vs LIME ${p1(lp)} % (n ${nAll}); energy >= LIME in ${vs.filter((v) => v.energyPositive >= v.positive).length} of ${vs.length} settings`,
      criterion: `energy - LIME >= ${MARGIN} (pooled share) -> holds; <= -${MARGIN} -> reversed; else not shown; n < ${MIN_ADVERSARIES} -> too few`,
      verdict: marginVerdict(ep - lp, nAll, MIN_ADVERSARIES),
    },
    {
      claim: "The energy curve is at or above LIME's for every k (Fig. 2)",
      paper: 'at or above everywhere',
      ours: `energy >= LIME - ${MARGIN} at ${atOrAbove} of ${curve.ks.length} k; mean gap energy - LIME ${p1(meanGap)} points`,
      criterion: `all k within ${MARGIN} or above -> holds; mean gap <= -${MARGIN} -> reversed; else not shown; n < ${MIN_ADVERSARIES} -> too few`,
      verdict: !(nAll >= MIN_ADVERSARIES) ? 'too few' : !curve.ks.length ? 'not tested' : atOrAbove === curve.ks.length ? 'holds' : meanGap <= -MARGIN ? 'reversed' : 'not shown',
    },
    {
      claim: "LIME detects only part of the k perturbed segments (Fig. 3, the authors' procedure: perturbation kept in its k highest-energy segments, LIME rerun)",
      paper: 'LIME detects only part of the k perturbed segments (k = 1, 3, 5)',
      ours: subN ? `LIME's top k holds ${p1(subFrac)} % of the kept segments; ${subByK.join('; ')}` : 'n/a',
      criterion: `mean share detected < 0.9 -> holds, else not shown; fewer than ${MIN_GROUP} still-flipping inputs -> too few`,
      verdict: subN < MIN_GROUP ? 'too few' : subFrac < 0.9 ? 'holds' : 'not shown',
    },
    {
      claim: 'OUR EXTENSION (not in the paper): with the attack confined to k random segments, LIME misses part of them',
      paper: 'not in the paper (planted truth by masked attacks)',
      ours: plantedN ? `LIME finds ${p1(limeFrac)} % of planted segments in its top k (Integrated Gradients pooled: ${p1(igFrac)} %), n ${plantedN}` : 'n/a',
      criterion: `LIME finds < 90 % -> holds, else not shown; n < ${MIN_GROUP} -> too few`,
      verdict: plantedN < MIN_GROUP ? 'too few' : limeFrac < 0.9 ? 'holds' : 'not shown',
    },
    {
      claim: 'Fidelity does not tell correct from incorrect explanations (Fig. 4)',
      paper: `median fidelity correct ~${PAPER.fig4.correct} vs incorrect ~${PAPER.fig4.incorrect.join('-')}`,
      ours: `median correct ${f2(mc)} (n ${nc}) vs incorrect ${f2(mi)} (n ${ni})`,
      criterion: `correct median - incorrect median <= 0.1 -> holds, else not shown; fewer than ${MIN_GROUP} in either group -> too few`,
      verdict: Math.min(nc, ni) < MIN_GROUP ? 'too few' : mc - mi <= 0.1 ? 'holds' : 'not shown',
    },
  ];
  return rows;
}
