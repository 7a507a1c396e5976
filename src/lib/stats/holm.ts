/**
 * Holm's step-down adjustment of p-values (Holm 1979) for a family of m tests:
 *   sort p ascending; p~_(k) = max_{j <= k} min(1, (m - j + 1) p_(j)); returned in the input order.
 * NaN p-values stay NaN and do not count in m.
 *
 * @example holm([0.01, 0.04, 0.03]) // [0.03, 0.06, 0.06]
 */
export function holm(values: ArrayLike<number>): number[] {
  if (!values || typeof values.length !== 'number') throw new Error('holm: give the p-values as an array of numbers.');
  const p = Array.from(values);
  p.forEach((v, i) => {
    if (typeof v !== 'number' || (!Number.isNaN(v) && !(v >= 0 && v <= 1))) throw new Error(`holm: p[${i}] is ${v}; p-values lie in [0, 1] (NaN for a test not run).`);
  });
  const idx = p.map((v, i) => [v, i] as const).filter(([v]) => Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
  const m = idx.length;
  const out = p.map(() => NaN);
  let run = 0;
  idx.forEach(([v, i], k) => {
    run = Math.max(run, Math.min(1, (m - k) * v));
    out[i] = run;
  });
  return out;
}
