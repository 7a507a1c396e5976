/**
 * Synthetic images with planted ground truth: each image holds exactly one class-defining object
 * (its shape is the class) at a random place and scale on a textured, noisy background that does
 * not depend on the class. The exact object mask and its bounding box are returned, so attribution
 * localisation (P3, arXiv 2211.08686; P4, arXiv 2103.11257) can be scored against known truth.
 *
 * Generating formula, per image i (all draws from Rng(seed), in this order):
 *   class      k ~ U{0..K-1} (or balanced: k = i mod K, then the order is shuffled)
 *   background level beta ~ U[0.15, 0.45] (polarity 'random': U[0.3, 0.7]), per-channel tint
 *              t_ch ~ U[-0.05, 0.05]
 *   texture    amplitude a ~ U[0.04, 0.12], orientation theta ~ U[0, pi), period lambda ~ U[3, 8] px,
 *              phase phi ~ U[0, 2 pi)
 *   object     radius rho ~ U[minScale, maxScale] * s / 2; centre (cx, cy) ~ U[rho, s - rho]^2;
 *              contrast gamma ~ U[0.75, 1.25] * contrast; channel weights w_ch ~ U[0.7, 1.3]
 *   sign       polarity 'bright' (default): s = +1 (the object is brighter than its background);
 *              'random': s = -1 or +1 with probability 1/2 each (drawn last), so no fixed baseline
 *              (black, white) is favoured by construction (P4's IG baseline comparison)
 *   mask       M(r, c) = 1 iff (u, v) = ((c + 0.5 - cx) / rho, (r + 0.5 - cy) / rho) lies in the
 *              class shape S_k (SYNTH_SHAPES: square |u|,|v| <= 0.8; disc u^2+v^2 <= 1; cross
 *              arms of half-width 0.3; triangle apex up; horizontal bars; ring 0.5 <= |(u,v)| <= 1;
 *              diagonal X; vertical bars)
 *   pixel      x(r, c, ch) = clip( beta + t_ch + a sin(2 pi ((c cos theta + r sin theta) / lambda) + phi)
 *                                 + M(r, c) s gamma w_ch + sigma eps,  0, 1 ),   eps ~ N(0, 1) i.i.d.
 *   box        the tight box of M: [x0, y0, x1, y1] with x1, y1 exclusive.
 * Only M depends on k, so the class is recoverable from the pixels inside the box and not from the
 * background. Same seed and options -> identical bytes.
 *
 * @example
 *   const s = synthImages({ n: 100, size: 28, classes: 4, seed: 1 });
 *   s.shape // [100, 28, 28, 1]; s.masks[i*28*28 + r*28 + c]; s.boxes.subarray(4*i, 4*i + 4)
 */
import { checkOptions, Rng } from '../engine';
import { ImageSet } from './imageSet';

export const SYNTH_SHAPES = ['square', 'disc', 'cross', 'triangle', 'hbars', 'ring', 'xcross', 'vbars'];

export interface SynthImageSet extends ImageSet {
  /** Object polarity per image: +1 brighter than the background, -1 darker. */
  signs: Int8Array;
  /** Object masks, n*h*w, 1 on the object. */
  masks: Uint8Array;
  /** Tight boxes of the masks, n*4: [x0, y0, x1, y1] per image (x1, y1 exclusive). */
  boxes: Int32Array;
}

export interface SynthImagesOptions {
  /** Number of images; default 100. */
  n?: number;
  /** Image side s in pixels (>= 12); default 28. */
  size?: number;
  /** Channels, 1 or 3; default 1. */
  channels?: number;
  /** Number of classes K, 2..8 (shapes in SYNTH_SHAPES order); default 4. */
  classes?: number;
  /** Seed; default 0. */
  seed?: number;
  /** Object radius range as fractions of s/2; default 0.3 and 0.5. */
  minScale?: number;
  maxScale?: number;
  /** Mean object contrast over the background; default 0.4. */
  contrast?: number;
  /** Pixel noise sd sigma; default 0.06. */
  noise?: number;
  /** Equal class counts (i mod K, shuffled); default true. */
  balanced?: boolean;
  /** 'bright' (default): objects brighter than the background; 'random': the sign of the contrast is drawn per image. */
  polarity?: 'bright' | 'random';
}

/** Is (u, v) (object-local coordinates, radius 1) inside the shape of class k? */
export function inShape(k: number, u: number, v: number): boolean {
  const au = Math.abs(u);
  const av = Math.abs(v);
  switch (k) {
    case 0: return au <= 0.8 && av <= 0.8;
    case 1: return u * u + v * v <= 1;
    case 2: return (au <= 0.3 && av <= 1) || (av <= 0.3 && au <= 1);
    case 3: return v >= -0.9 && v <= 0.9 && au <= (v + 0.9) / 1.8;
    case 4: return au <= 0.9 && av <= 0.9 && Math.floor((v + 0.9) / 0.36) % 2 === 0;
    case 5: { const d = u * u + v * v; return d <= 1 && d >= 0.25; }
    case 6: return au <= 0.85 && av <= 0.85 && (Math.abs(u - v) <= 0.35 || Math.abs(u + v) <= 0.35);
    case 7: return au <= 0.9 && av <= 0.9 && Math.floor((u + 0.9) / 0.36) % 2 === 0;
    default: throw new Error(`inShape: no shape for class ${k}.`);
  }
}

export function synthImages(options: SynthImagesOptions = {}): SynthImageSet {
  const where = 'synthImages';
  checkOptions(where, options, ['n', 'size', 'channels', 'classes', 'seed', 'minScale', 'maxScale', 'contrast', 'noise', 'balanced', 'polarity']);
  const { n = 100, size: s = 28, channels: ch = 1, classes: K = 4, seed = 0, minScale = 0.3, maxScale = 0.5, contrast = 0.4, noise = 0.06, balanced = true, polarity = 'bright' } = options;
  if (!Number.isInteger(n) || n < 0) throw new Error(`${where}: n must be a non-negative integer, got ${n}.`);
  if (!Number.isInteger(s) || s < 12) throw new Error(`${where}: size must be an integer >= 12, got ${s}.`);
  if (ch !== 1 && ch !== 3) throw new Error(`${where}: channels must be 1 or 3, got ${ch}.`);
  if (!Number.isInteger(K) || K < 2 || K > SYNTH_SHAPES.length) throw new Error(`${where}: classes must be an integer in 2..${SYNTH_SHAPES.length}, got ${K}.`);
  if (!(minScale > 0 && minScale <= maxScale && maxScale <= 0.9)) throw new Error(`${where}: need 0 < minScale <= maxScale <= 0.9, got ${minScale}, ${maxScale}.`);
  if (!(noise >= 0) || !Number.isFinite(contrast)) throw new Error(`${where}: noise must be >= 0 and contrast finite.`);
  if (polarity !== 'bright' && polarity !== 'random') throw new Error(`${where}: polarity must be 'bright' or 'random', got ${JSON.stringify(polarity)}.`);
  const random = polarity === 'random';
  const rng = new Rng(seed);
  const labels = balanced ? rng.shuffle(Array.from({ length: n }, (_, i) => i % K)) : Array.from({ length: n }, () => rng.int(K));
  const hw = s * s;
  const x = new Float32Array(n * hw * ch);
  const masks = new Uint8Array(n * hw);
  const boxes = new Int32Array(n * 4);
  const y = Int32Array.from(labels);
  const signs = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const k = labels[i];
    const beta = random ? rng.range(0.3, 0.7) : rng.range(0.15, 0.45);
    const tint = Array.from({ length: ch }, () => (ch === 1 ? 0 : rng.range(-0.05, 0.05)));
    const a = rng.range(0.04, 0.12);
    const theta = rng.range(0, Math.PI);
    const lambda = rng.range(3, 8);
    const phi = rng.range(0, 2 * Math.PI);
    const rho = (rng.range(minScale, maxScale) * s) / 2;
    const cx = rng.range(rho, s - rho);
    const cy = rng.range(rho, s - rho);
    const gamma = rng.range(0.75, 1.25) * contrast;
    const w = Array.from({ length: ch }, () => (ch === 1 ? 1 : rng.range(0.7, 1.3)));
    const sign = random && rng.uniform() < 0.5 ? -1 : 1;
    signs[i] = sign;
    const [ct, st] = [Math.cos(theta), Math.sin(theta)];
    let x0 = s, y0 = s, x1 = 0, y1 = 0;
    for (let r = 0; r < s; r++) {
      for (let c = 0; c < s; c++) {
        const m = inShape(k, (c + 0.5 - cx) / rho, (r + 0.5 - cy) / rho) ? 1 : 0;
        const p = i * hw + r * s + c;
        masks[p] = m;
        if (m) { x0 = Math.min(x0, c); y0 = Math.min(y0, r); x1 = Math.max(x1, c + 1); y1 = Math.max(y1, r + 1); }
        const tex = a * Math.sin((2 * Math.PI * (c * ct + r * st)) / lambda + phi);
        for (let q = 0; q < ch; q++) {
          const v = beta + tint[q] + tex + m * sign * gamma * w[q] + noise * rng.normal();
          x[p * ch + q] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
      }
    }
    if (x1 === 0) throw new Error(`${where}: image ${i} got an empty mask (radius ${rho.toFixed(2)} px too small); raise minScale or size.`);
    boxes.set([x0, y0, x1, y1], i * 4);
  }
  return { x, shape: [n, s, s, ch], y, classes: SYNTH_SHAPES.slice(0, K), signs, masks, boxes };
}
