/**
 * The P4 verdicts as data (stats.Claim rows): each claim of the paper (PAPER.claims) checked on the
 * synthetic ladder with a paired comparison over the same evaluation images (the image is the
 * independent unit) and a percentile-bootstrap CI of the mean difference; the verdict follows from
 * the interval (stats.verdictFromInterval: 'holds' if it lies above 0, 'reversed' below, 'not shown'
 * if it contains 0, 'too few' under minN images).
 *
 *   distance        d(x, x') most robust passing rung - standard   (closest success, the authors' distance)
 *   alignment       cos(grad at x, boundary normal at x'')  robust - standard
 *   matched radius  cos(grad z_c(x), grad z_c(x + r u))      robust - standard   (when given; gradientStability, our
 *                   control: the alignment mechanism at one radius r for both models, distance taken out)
 *   agreement       cos(SM, BSM) per image                  robust - standard   (when given; attributionAgreement)
 *   robustLocalise  saliency energy in the box              robust - standard
 *   boundaryHelps   standard model: BSM - saliency (and BSG - SmoothGrad when computed)
 *   bigVsIg         standard model: BIG - IG(b) for each fixed baseline b, Bonferroni-adjusted level
 *
 * Only rungs that passed maskingChecks enter; the others are listed in `excluded` with the reason,
 * as are images without a boundary point (never imputed) or with an undefined value.
 *
 * @example
 *   report.showClaims(claims(evidence, { nBoot: 2000, seed: 0, minN: 30 }));
 */
import { checkOptions } from '../../engine';
import { pairedDifference, spearman, verdictFromInterval } from '../../stats';
import type { Claim } from '../../stats';
import { PAPER } from './config';

export interface P4Evidence {
  /** Ladder order, standard model first; passed = the masking checks. */
  rungs: { name: string; eps: number; passed: boolean; failures: string[] }[];
  /** Per rung: distance of the closest success per image (NaN where no boundary was found). */
  distance: Record<string, number[]>;
  /** Per rung: cos(grad at x, boundary normal) per image (NaN where undefined). */
  alignment: Record<string, number[]>;
  /** Optional control of the alignment claim: gradient stability at one common radius per image, per rung (gradientStability). */
  alignmentMatched?: { radius: number; cosine: Record<string, number[]> };
  /** Per rung: cos(saliency, BSM) per image (NaN where undefined); optional second form of the alignment claim. */
  agreement?: Record<string, number[]>;
  /** Per rung, per method: energy in the box per image. */
  energy: Record<string, Record<string, number[]>>;
  /** Standard model: energy in the box per image for 'big' and each IG baseline ('ig:black', ...). */
  baselineEnergy: Record<string, number[]>;
}

export interface ClaimsOptions {
  nBoot?: number;
  seed?: number;
  /** Fewest images for a verdict (default 30). */
  minN?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : 'NaN');
const finiteMean = (v: number[]) => {
  const f = v.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
};

export function claims(ev: P4Evidence, options: ClaimsOptions = {}): Claim[] {
  const where = 'claims';
  checkOptions(where, options, ['nBoot', 'seed', 'minN', 'level']);
  const { nBoot = 2000, seed = 0, minN = 30, level = 0.95 } = options;
  if (ev.rungs.length < 2 || ev.rungs[0].eps !== 0) throw new Error(`${where}: needs the standard model first and at least one robust rung.`);
  const std = ev.rungs[0];
  const usable = ev.rungs.filter((r) => r.passed);
  const rob = [...usable].reverse().find((r) => r.eps > 0);
  const failed = ev.rungs.filter((r) => !r.passed).map((r) => `${r.name}: failed the masking checks (${r.failures.join('; ')})`);
  let k = 0;
  const out: Claim[] = [];
  const compare = (claim: string, what: string, a: number[] | undefined, b: number[] | undefined, lv = level, trend?: (n: string) => number[]): Claim => {
    const needsRobust = trend !== undefined;
    const criterion = `paired bootstrap ${Math.round(lv * 1000) / 10}% CI (${nBoot} resamples) of the per-image difference ${what} lies above 0; images where both values are defined; n >= ${minN}; rungs failing the masking checks left out`;
    if (!std.passed || (needsRobust && !rob) || !a || !b) {
      const why = !std.passed ? 'the standard model failed the masking checks' : needsRobust && !rob ? 'no robust rung passed the masking checks' : 'the values were not computed';
      return { claim, paper: '> 0', ours: `not computed: ${why}`, criterion, verdict: 'not tested', excluded: needsRobust ? failed : failed.filter((f) => f.startsWith(std.name)) };
    }
    const d = pairedDifference(a, b, { nBoot, seed: seed + k++, level: lv });
    const undefinedN = a.length - d.n;
    const rho = trend && usable.length >= 3 ? spearman(usable.map((r) => r.eps), usable.map((r) => finiteMean(trend(r.name)))) : NaN;
    const ours = `${fmt(d.diff)} [${fmt(d.lo)}, ${fmt(d.hi)}], n = ${d.n}` + (Number.isFinite(rho) ? `; Spearman(eps, mean) over ${usable.length} passing rungs ${rho.toFixed(2)}` : '');
    const verdict = d.n === 0 ? 'too few' : verdictFromInterval({ lo: d.lo, hi: d.hi, n: d.n }, { direction: 'greater', minN });
    const excluded = [...(needsRobust ? failed : []), ...(undefinedN > 0 ? [`${undefinedN} of ${a.length} images: value undefined for one of the two (e.g. no boundary found), not imputed`] : [])];
    return { claim, paper: '> 0', ours, criterion, verdict, excluded };
  };
  const pick = (rec: Record<string, number[]>, name: string | undefined) => (name && rec[name] ? rec[name] : undefined);
  const en = (name: string | undefined, m: string) => (name && ev.energy[name] ? ev.energy[name][m] : undefined);
  const robName = rob?.name ?? 'robust';
  out.push(compare(`${PAPER.claims.distance} (${robName} vs ${std.name})`, `d(x, x')[${robName}] - d(x, x')[${std.name}]`, pick(ev.distance, rob?.name), pick(ev.distance, std.name), level, (n) => ev.distance[n]));
  out.push(compare(`${PAPER.claims.alignment} (${robName} vs ${std.name})`, `cos(grad, normal)[${robName}] - [${std.name}]`, pick(ev.alignment, rob?.name), pick(ev.alignment, std.name), level, (n) => ev.alignment[n]));
  if (ev.alignmentMatched) {
    const am = ev.alignmentMatched;
    const r = fmt(am.radius);
    out.push(compare(`${PAPER.claims.alignment} Control at one radius r = ${r} for both models (ours): the gradient at x vs at x + r u, u towards the boundary (${robName} vs ${std.name})`, `cos(grad z_c(x), grad z_c(x + ${r} u))[${robName}] - [${std.name}]`, pick(am.cosine, rob?.name), pick(am.cosine, std.name), level, (n) => am.cosine[n] ?? []));
  }
  if (ev.agreement) {
    const ag = ev.agreement;
    out.push(compare(`${PAPER.claims.agreement} (${robName} vs ${std.name})`, `cos(SM, BSM)[${robName}] - [${std.name}]`, pick(ag, rob?.name), pick(ag, std.name), level, (n) => ag[n] ?? []));
  }
  out.push(compare(`${PAPER.claims.robustLocalise} (${robName} vs ${std.name})`, `saliency energy in box [${robName}] - [${std.name}]`, en(rob?.name, 'saliency'), en(std.name, 'saliency'), level, (n) => ev.energy[n]?.saliency ?? []));
  const bh = (m: string, base: string) => compare(`${PAPER.claims.boundaryHelps} (${m.toUpperCase()} vs ${base})`, `energy in box ${m.toUpperCase()} - ${base}, ${std.name}`, en(std.name, m), en(std.name, base));
  out.push(bh('bsm', 'saliency'));
  if (en(std.name, 'bsg')) out.push(bh('bsg', 'smoothGrad'));
  const igKeys = Object.keys(ev.baselineEnergy).filter((key) => key.startsWith('ig:'));
  const lvB = 1 - (1 - level) / Math.max(1, igKeys.length);
  for (const key of igKeys) {
    out.push(compare(`${PAPER.claims.bigVsIg} (BIG vs IG, ${key.slice(3)} baseline)`, `energy in box BIG - IG(${key.slice(3)}), ${std.name}; Bonferroni over ${igKeys.length} baselines`, ev.baselineEnergy.big, ev.baselineEnergy[key], lvB));
  }
  return out;
}
