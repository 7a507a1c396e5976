/**
 * P3's figures and wide tables as pure builders (data -> plotly spec / records), so the notebook
 * cells stay one line each and the shapes can be tested as JSON.
 *
 * @example
 *   await report.showFigure(sensitivityLayerFigure(profile, 'synth'), 'p3_sensitivity_layers');
 */
import type { SynthImageSet } from '../../data';
import { barFigure, FigureSpec, lineFigure, mapGridFigure, scatterFigure } from '../../report/figures';
import { SensitivityProfile } from './activationSensitivityProfile';
import { METHOD_LABELS, METHODS, METRIC_META, METRICS, MethodName } from './interpretabilityScores';
import { FamilySummary } from './summariseFamilies';

/** Rows of an h x w x c image (channel mean) from a flat array. */
export function rowsOf(flat: ArrayLike<number>, h: number, w: number, c = 1, abs = false): number[][] {
  return Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, col) => {
    let s = 0;
    for (let k = 0; k < c; k++) s += abs ? Math.abs(flat[(r * w + col) * c + k]) : flat[(r * w + col) * c + k];
    return s / c;
  }));
}

/** k planted-object images with their masks beneath them. */
export function synthExamplesFigure(set: SynthImageSet, k = 6): FigureSpec {
  const [, h, w, c] = set.shape;
  const n = Math.min(k, set.shape[0]);
  const img = (i: number) => ({ title: `${set.classes[set.y[i]]}`, z: rowsOf(set.x.subarray(i * h * w * c, (i + 1) * h * w * c), h, w, c) });
  const msk = (i: number) => ({ title: 'mask', z: rowsOf(set.masks.subarray(i * h * w, (i + 1) * h * w), h, w, 1) });
  return mapGridFigure({ maps: [...Array.from({ length: n }, (_, i) => img(i)), ...Array.from({ length: n }, (_, i) => msk(i))], cols: n, title: 'Planted objects (top) and their masks (bottom)', cellSize: 110 });
}

/** Relative activation change per layer: adversarial vs random perturbation of equal L2 size. */
export function sensitivityLayerFigure(p: SensitivityProfile, label: string): FigureSpec {
  return barFigure({
    categories: p.layers.map((l) => l.layer),
    series: [{ name: 'adversarial (PGD)', values: p.layers.map((l) => l.relAdv) }, { name: 'random, same L2', values: p.layers.map((l) => l.relRand) }],
    title: `Activation sensitivity per layer, standard model (${label})`,
    yTitle: 'mean ||a(x+δ) − a(x)|| / ||a(x)||',
  });
}

/** One point per neuron (channel or unit): random vs adversarial mean |change|. */
export function sensitivityNeuronFigure(p: SensitivityProfile, label: string): FigureSpec {
  let top = 0;
  for (const l of p.layers) for (const v of [...l.neuronAdv, ...l.neuronRand]) top = Math.max(top, v);
  return scatterFigure({
    groups: p.layers.map((l) => ({ name: l.layer, x: l.neuronRand, y: l.neuronAdv })),
    title: `Per-neuron sensitivity, standard model (${label})`,
    xTitle: 'random perturbation: mean |Δa|',
    yTitle: 'adversarial perturbation: mean |Δa|',
    diagonal: [0, top],
  });
}

/** Robust accuracy vs eps, one line per family (mean over seeds). */
export function robustnessFigure(rows: { family: string; eps: number; robustAccuracy: number }[], label: string): FigureSpec {
  const fams = [...new Set(rows.map((r) => r.family))];
  const eps = [...new Set(rows.map((r) => r.eps))].sort((a, b) => a - b);
  const m = (f: string, e: number) => {
    const v = rows.filter((r) => r.family === f && r.eps === e).map((r) => r.robustAccuracy);
    return v.reduce((s, t) => s + t, 0) / v.length;
  };
  return lineFigure({ x: eps, series: fams.map((f) => ({ name: f, y: eps.map((e) => m(f, e)) })), title: `Robust accuracy under PGD (${label})`, xTitle: 'eps (Linf)', yTitle: 'robust accuracy' });
}

/** Image and the three attribution maps (|map|) of each family for one test image. */
export function attributionGridFigure(
  set: SynthImageSet,
  image: number,
  rows: { family: string; maps: Record<MethodName, Float32Array[]> }[],
): FigureSpec {
  const [, h, w, c] = set.shape;
  const maps: { title: string; z: number[][]; colorscale?: string }[] = [];
  const x = rowsOf(set.x.subarray(image * h * w * c, (image + 1) * h * w * c), h, w, c);
  const mask = rowsOf(set.masks.subarray(image * h * w, (image + 1) * h * w), h, w, 1);
  for (const r of rows) {
    maps.push({ title: `${r.family}: input`, z: x });
    for (const m of METHODS) maps.push({ title: METHOD_LABELS[m], z: rowsOf(r.maps[m][image], h, w, c, true), colorscale: 'Hot' });
  }
  maps.push({ title: 'ground-truth mask', z: mask });
  return mapGridFigure({ maps, cols: 1 + METHODS.length, title: `|attribution| per family (rows) and method (columns), test image ${image}`, cellSize: 130 });
}

/** The family x metric table for display: one row per (family, method), cells "mean [lo, hi]". */
export function familyTableWide(s: FamilySummary[], digits = 3): Record<string, string>[] {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
  const keys = [...new Set(s.map((r) => `${r.family}|${r.method}`))];
  return keys.map((k) => {
    const [family, method] = k.split('|');
    const row: Record<string, string> = { family, method: METHOD_LABELS[method as MethodName] ?? method };
    for (const r of s.filter((q) => q.family === family && q.method === method)) {
      const meta = METRIC_META[r.metric as keyof typeof METRIC_META];
      row[`${meta?.name ?? r.metric} ${r.higherIsBetter ? '↑' : '↓'}`] = `${f(r.mean)} [${f(r.lo)}, ${f(r.hi)}]`;
    }
    return row;
  });
}

/**
 * The regulariser's trade-off over lambda (lambdaSweep rows, lambda 0 = standard): both readings of
 * activation sensitivity on the regularised layers relative to the standard model's (the adversarial
 * change in units of the layers' spread, and the adversarial / random ratio) and clean accuracy, on
 * one axis (all three near 1 for the standard model).
 */
export function tradeoffFigure(rows: { lambda: number; accuracy: number; ratio: number; sensitivity: number }[], o: { chosen?: number | null; label?: string } = {}): FigureSpec {
  const base = rows.find((r) => r.lambda === 0);
  if (!base) throw new Error('tradeoffFigure: the rows need the standard model (lambda 0) as the reference.');
  const x = rows.map((r) => (r.lambda === 0 ? 'standard' : `λ=${r.lambda}${r.lambda === o.chosen ? ' (chosen)' : ''}`));
  return lineFigure({
    x,
    series: [
      { name: 'adversarial activation change ÷ standard', y: rows.map((r) => r.sensitivity / base.sensitivity) },
      { name: 'adv/random activation ratio ÷ standard', y: rows.map((r) => r.ratio / base.ratio) },
      { name: 'clean accuracy', y: rows.map((r) => r.accuracy) },
    ],
    title: `Activation-sensitivity regulariser: sensitivity vs accuracy over λ${o.label ? ` (${o.label})` : ''}`,
    xTitle: 'λ',
    yTitle: 'relative to standard / accuracy',
  });
}

/** One method's metrics per family as bars with 95% CI half-widths (summariseFamilies rows), arrows giving each metric's direction. */
export function metricsBarFigure(s: FamilySummary[], method: MethodName): FigureSpec {
  const rows = s.filter((r) => r.method === method);
  const cell = (f: string, k: string) => {
    const r = rows.find((q) => q.family === f && q.metric === k);
    if (!r) throw new Error(`metricsBarFigure: no ${method} / ${k} summary for "${f}".`);
    return r;
  };
  return barFigure({
    categories: METRICS.map((k) => METRIC_META[k].name + (METRIC_META[k].higherIsBetter ? ' ↑' : ' ↓')),
    series: [...new Set(rows.map((r) => r.family))].map((f) => ({ name: f, values: METRICS.map((k) => cell(f, k).mean), error: METRICS.map((k) => (cell(f, k).hi - cell(f, k).lo) / 2) })),
    title: `${METHOD_LABELS[method]} maps: interpretability metrics per family (95% CI)`,
    yTitle: 'value',
  });
}
