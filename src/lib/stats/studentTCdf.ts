/**
 * CDF of Student's t distribution with df > 0 degrees of freedom (df may be fractional, as in
 * Welch's test): for t < 0, F(t) = ½ I_{df/(df+t²)}(df/2, ½); F(t) = 1 - F(-t) otherwise.
 *
 * @example studentTCdf(2.262157, 9) // ≈ 0.975
 */
import { incompleteBeta } from './incompleteBeta';

export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t)) throw new Error('studentTCdf: t is NaN.');
  if (!(df > 0)) throw new Error(`studentTCdf: df must be > 0, got ${df}.`);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  if (df === Infinity) throw new Error('studentTCdf: df is Infinity; use normalCdf.');
  const tail = 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t)); // P(T < -|t|)
  return t < 0 ? tail : 1 - tail;
}

/** Two-sided tail probability P(|T| >= |t|), accurate for large |t|. */
export function studentTTwoSided(t: number, df: number): number {
  if (Number.isNaN(t)) throw new Error('studentTTwoSided: t is NaN.');
  if (!(df > 0)) throw new Error(`studentTTwoSided: df must be > 0, got ${df}.`);
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / 2, 0.5, df / (df + t * t));
}
