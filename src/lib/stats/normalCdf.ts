/**
 * Standard normal CDF Φ(z) = ½ erfc(-z / √2), with erfc(u) = Q(½, u²) for u ≥ 0 (regularised
 * upper incomplete gamma), so both tails keep relative precision.
 *
 * @example normalCdf(1.96) // 0.9750021...
 */
import { incompleteGammaQ } from './incompleteGamma';

export function normalCdf(z: number, mean = 0, sd = 1): number {
  if (Number.isNaN(z)) throw new Error('normalCdf: z is NaN.');
  if (!(sd > 0)) throw new Error(`normalCdf: sd must be > 0, got ${sd}.`);
  const u = (z - mean) / sd;
  if (u === Infinity) return 1;
  if (u === -Infinity) return 0;
  const half = 0.5 * incompleteGammaQ(0.5, (u * u) / 2); // ½ erfc(|u|/√2) = upper tail of |u|
  return u < 0 ? half : 1 - half;
}
