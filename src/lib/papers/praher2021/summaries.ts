/**
 * Tables, figure data and verdicts of the P2 notebook (Praher et al. 2021, arXiv 2107.09045), ours
 * beside the paper's: Table 1 (LIME top-3 flip rate), Table 2 (LIME positive vs energy), Fig. 2
 * (flip rate vs k), and the conclusion's held / did not hold, computed from the numbers with the
 * criteria stated in each row.
 *
 * @example
 *   showTable(table1(sets), { title: 'Table 1', name: 'p2_table1' });
 */
import { median } from '../../stats/median';
import { PAPER } from './config';
import type { AttackDomain, Direction } from './craftAdversaries';
import type { VeracityResult } from './limeVeracity';

/** One veracity result per direction and attack domain (null when no adversary was found). */
export type VeracitySets = Record<Direction, Record<AttackDomain, VeracityResult | null>>;

const pct = (v: number | undefined | null) => (v === undefined || v === null || !Number.isFinite(v) ? NaN : Math.round(1000 * v) / 10);
const DIRS: Direction[] = ['no sing->sing', 'sing->no sing'];
const DOMS: AttackDomain[] = ['wave', 'spec'];
const DOM_NAME: Record<AttackDomain, string> = { wave: 'waveform', spec: 'spectrogram' };

export function table1(sets: VeracitySets): Record<string, string | number>[] {
  return DIRS.flatMap((dir) =>
    DOMS.map((dom) => {
      const v = sets[dir][dom];
      return { direction: dir, attack: DOM_NAME[dom], n: v?.n ?? 0, 'LIME top-3 % (ours)': pct(v?.top3), 'LIME top-3 % (paper)': pct(PAPER.table1[dir][dom]), 'energy top-3 % (ours)': pct(v?.energyTop3) };
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

export interface Verdict {
  claim: string;
  paper: string;
  ours: string;
  criterion: string;
  held: string;
}

const yes = (b: boolean | null) => (b === null ? 'not tested' : b ? 'held' : 'did not hold');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

/** The conclusion: each claim, the paper's numbers, ours, the criterion and the verdict. */
export function verdicts(o: {
  sets: VeracitySets;
  detector: { error: number; recall: number; specificity: number };
  horses: { before: number; after: number; drawnInTop: number }[];
  planted: { k: number; lime: number; ig: number; n: number }[];
  fidelity: { correct: number[]; incorrect: number[] };
}): Verdict[] {
  const vs = DIRS.flatMap((d) => DOMS.map((m) => o.sets[d][m])).filter((v): v is VeracityResult => !!v && v.n > 0);
  const wmean = (f: (v: VeracityResult) => number) => (vs.length ? vs.reduce((s, v) => s + v.n * f(v), 0) / vs.reduce((s, v) => s + v.n, 0) : NaN);
  const top3 = wmean((v) => v.top3);
  const lp = wmean((v) => v.positive), ep = wmean((v) => v.energyPositive);
  const curve = pooledCurve(o.sets);
  const atOrAbove = curve.ks.filter((_, i) => curve.energy[i] >= curve.lime[i] - 0.05).length;
  const flips = o.horses.filter((h) => h.before < PAPER.threshold && h.after >= PAPER.threshold);
  const plantedN = o.planted.reduce((s, p) => s + p.n, 0);
  const limeFrac = plantedN ? o.planted.reduce((s, p) => s + p.n * p.lime, 0) / plantedN : NaN;
  const igFrac = plantedN ? o.planted.reduce((s, p) => s + p.n * p.ig, 0) / plantedN : NaN;
  const mc = o.fidelity.correct.length ? median(o.fidelity.correct) : NaN;
  const mi = o.fidelity.incorrect.length ? median(o.fidelity.incorrect) : NaN;
  const d = o.detector;
  return [
    {
      claim: 'The detector works (context, not a claim)',
      paper: `error ${f2(PAPER.detector.error)}, recall ${f2(PAPER.detector.recall)}, specificity ${f2(PAPER.detector.specificity)}`,
      ours: `error ${f2(d.error)}, recall ${f2(d.recall)}, specificity ${f2(d.specificity)}`,
      criterion: 'error within 0.10 of the paper\'s',
      held: yes(Number.isFinite(d.error) ? d.error <= PAPER.detector.error + 0.1 : null),
    },
    {
      claim: 'Drawn shapes ("horses") flip the detector (Fig. 1)',
      paper: `P(sing) ${PAPER.fig1.before} -> ${PAPER.fig1.after}`,
      ours: o.horses.length ? `${flips.length} of ${o.horses.length} drawings flip; P(sing) ${o.horses.map((h) => `${f2(h.before)}->${f2(h.after)}`).join(', ')}` : 'n/a',
      criterion: 'at least one drawing moves P(sing) from below to above 0.51',
      held: yes(o.horses.length ? flips.length > 0 : null),
    },
    {
      claim: "LIME's top-3 segments often do not reproduce the flip (Table 1)",
      paper: '21-53 % still flipped',
      ours: `${f2(100 * top3)} % still flipped (all sets, weighted)`,
      criterion: 'fewer than 75 % still flipped',
      held: yes(Number.isFinite(top3) ? top3 < 0.75 : null),
    },
    {
      claim: 'Energy-based selection beats LIME with as many segments (Table 2)',
      paper: 'energy 55-99 % vs LIME 44-91 %, energy higher in all four settings',
      ours: `energy ${f2(100 * ep)} % vs LIME ${f2(100 * lp)} %; energy >= LIME in ${vs.filter((v) => v.energyPositive >= v.positive).length} of ${vs.length} settings`,
      criterion: 'energy >= LIME in every setting with adversaries',
      held: yes(vs.length ? vs.every((v) => v.energyPositive >= v.positive) : null),
    },
    {
      claim: "The energy curve is at or above LIME's for every k (Fig. 2)",
      paper: 'at or above everywhere',
      ours: `at or above (within 0.05) for ${atOrAbove} of ${curve.ks.length} k`,
      criterion: 'all k, pooled over settings, tolerance 0.05',
      held: yes(curve.ks.length ? atOrAbove === curve.ks.length : null),
    },
    {
      claim: 'LIME misses part of the truly perturbed segments (Fig. 3, planted truth)',
      paper: 'LIME detects only part of the k perturbed segments',
      ours: `LIME finds ${f2(100 * limeFrac)} % of planted segments in its top k (Integrated Gradients pooled: ${f2(100 * igFrac)} %)`,
      criterion: 'LIME finds fewer than 90 % of them',
      held: yes(Number.isFinite(limeFrac) ? limeFrac < 0.9 : null),
    },
    {
      claim: 'Fidelity does not tell correct from incorrect explanations (Fig. 4)',
      paper: `median fidelity correct ~${PAPER.fig4.correct} vs incorrect ~${PAPER.fig4.incorrect.join('-')}`,
      ours: `median correct ${f2(mc)} (n ${o.fidelity.correct.length}) vs incorrect ${f2(mi)} (n ${o.fidelity.incorrect.length})`,
      criterion: 'correct median not above incorrect median by more than 0.1',
      held: yes(Number.isFinite(mc) && Number.isFinite(mi) ? mc - mi <= 0.1 : null),
    },
  ];
}
