/**
 * Regularised incomplete gamma functions P(a, x) = γ(a, x) / Γ(a) and Q(a, x) = 1 - P(a, x),
 * by series for x < a + 1 and continued fraction otherwise (Numerical Recipes §6.2); each is
 * computed directly in its accurate region, so tails keep their relative precision.
 *
 * @example incompleteGammaQ(0.5, 4) // erfc(2)
 */
import { logGamma } from './logGamma';

export function incompleteGammaP(a: number, x: number): number {
  check(a, x);
  if (x === 0) return 0;
  return x < a + 1 ? series(a, x) : 1 - fraction(a, x);
}

export function incompleteGammaQ(a: number, x: number): number {
  check(a, x);
  if (x === 0) return 1;
  return x < a + 1 ? 1 - series(a, x) : fraction(a, x);
}

function check(a: number, x: number): void {
  if (!(a > 0) || !Number.isFinite(a)) throw new Error(`incompleteGamma: a must be finite and > 0, got ${a}.`);
  if (!(x >= 0)) throw new Error(`incompleteGamma: x must be >= 0, got ${x}.`);
}

function series(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let n = 0; n < 100000; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * 1e-17) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function fraction(a: number, x: number): number {
  const TINY = 1e-300;
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}
