/**
 * Quantile of Student's t distribution: the t with studentTCdf(t, df) = p. Bracketing from the
 * normal quantile, then bisection refined by Newton steps on the density (accurate to ~1e-12).
 *
 * @example studentTQuantile(0.975, 9) // 2.2621571627...
 */
import { checkProbability } from './validate';
import { studentTCdf } from './studentTCdf';
import { logGamma } from './logGamma';
import { normalQuantile } from './normalQuantile';

export function studentTQuantile(p: number, df: number): number {
  checkProbability('studentTQuantile', p);
  if (!(df > 0) || !Number.isFinite(df)) throw new Error(`studentTQuantile: df must be finite and > 0, got ${df}.`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // p > 0.5: t > 0. Bracket [0, hi].
  let lo = 0;
  let hi = Math.max(1, normalQuantile(p) * 2);
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const density = (t: number) => Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
  let t = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(t, df) - p;
    if (f > 0) hi = t;
    else lo = t;
    // Newton step, kept inside the bracket; bisect otherwise.
    let next = t - f / density(t);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}
