/**
 * Seeded randomness. Everything random in robustlens takes a seed; same seed, same numbers.
 *
 * @example
 *   const r = new Rng(42); r.uniform(); r.normal(); r.int(10); r.shuffle([1, 2, 3]);
 */
export class Rng {
  private s: number;
  private spare: number | null = null;

  constructor(readonly seed: number) {
    this.s = hashSeed(seed, 'Rng') >>> 0;
  }

  /** Uniform in [0, 1) (mulberry32). */
  uniform(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard normal (Box-Muller), times sd plus mean. */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return mean + sd * v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A new array, shuffled (Fisher-Yates). */
  shuffle<T>(xs: readonly T[]): T[] {
    const a = xs.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  /** Float32Array of n normals. */
  normals(n: number, mean = 0, sd = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, sd);
    return out;
  }

  /** Float32Array of n uniforms in [lo, hi). */
  uniforms(n: number, lo = 0, hi = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.range(lo, hi);
    return out;
  }

  /** A child seed, for handing to tfjs ops or sub-generators. */
  nextSeed(): number {
    return Math.floor(this.uniform() * 2147483647);
  }
}

/** Derive a stable integer seed from a seed and labels, e.g. seedFor(42, 'init', 'layer1'). */
export function seedFor(seed: number, ...labels: (string | number)[]): number {
  let h = hashSeed(seed, labels.length ? `seedFor(${labels.map(String).join(', ')})` : 'seedFor');
  for (const l of labels) {
    const s = String(l);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h % 2147483647;
}

/** A seed that is not a finite number (NaN, 'abc', undefined) is an error, never silently seed 0. */
function hashSeed(seed: number, what: string): number {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`${what}: seed must be a finite number, got ${typeof seed === 'string' ? JSON.stringify(seed) : String(seed)}.`);
  let h = Math.floor(seed) ^ 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
