/**
 * Superpixels: a small seeded SLIC-like k-means segmentation on colour + position.
 *
 * Achanta et al. (2012), "SLIC Superpixels Compared to State-of-the-Art Superpixel Methods".
 * Centres start on a grid of spacing S = sqrt(h w / nSegments) (jittered with the seed); each
 * iteration assigns every pixel within 2S of a centre to the closest centre under
 *   D^2 = ||c_p - c_k||^2 + (compactness / S)^2 ||p - p_k||^2
 * (colours rescaled to [0, 1] by the image's range) and moves each centre to its members' mean.
 * No connectivity post-processing: a label may form more than one blob. Labels are renumbered
 * 0..K-1 in row-major order of first appearance (K <= nSegments; empty clusters vanish).
 *
 * @example
 *   const seg = superpixels(x.slice(0, 1).squeeze([0]), { nSegments: 30, seed: 1 });   // [h, w(, c)]
 *   await lime(model, x.slice(0, 1), { target: 0, segments: seg });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Rng } from '../engine';

export interface SuperpixelOptions {
  /** Target number of segments (default 50). */
  nSegments?: number;
  /** Weight of position vs colour (default 0.1; larger = more square segments). */
  compactness?: number;
  /** k-means iterations (default 10). */
  iters?: number;
  /** Seed of the centre jitter (default 0). */
  seed?: number;
}

const KNOWN = ['nSegments', 'compactness', 'iters', 'seed'] as const;

/** One example shaped [h, w] or [h, w, c]; returns an Int32Array label per pixel (row-major). */
export function superpixels(image: tf.Tensor, options: SuperpixelOptions = {}): Int32Array {
  const where = 'superpixels';
  checkOptions(where, options, KNOWN);
  const { nSegments = 50, compactness = 0.1, iters = 10, seed = 0 } = options;
  if (!(image instanceof tf.Tensor) || image.rank < 2 || image.rank > 3) {
    throw new Error(`${where}: image must be one example shaped [h, w] or [h, w, c].`);
  }
  if (!Number.isInteger(nSegments) || nSegments < 1) throw new Error(`${where}: nSegments must be a positive integer; got ${nSegments}.`);
  if (!Number.isInteger(iters) || iters < 0) throw new Error(`${where}: iters must be a non-negative integer; got ${iters}.`);
  if (!(compactness >= 0)) throw new Error(`${where}: compactness must be >= 0; got ${compactness}.`);
  const [h, w] = image.shape;
  const c: number = image.rank === 3 ? (image.shape[2] as number) : 1;
  const col = scaledColours(where, image.dataSync());
  const N = h * w;
  const S = Math.sqrt(N / Math.min(nSegments, N));
  const gr = Math.max(1, Math.min(h, Math.round(h / S)));
  const gc = Math.max(1, Math.min(w, Math.round(nSegments / gr)));
  const rng = new Rng(seed);
  const K = gr * gc;
  const st: Slic = { h, w, c, K, col, cy: new Float64Array(K), cx: new Float64Array(K), cc: new Float64Array(K * c), Sy: h / gr, Sx: w / gc, m2: 0 };
  for (let a = 0; a < gr; a++) {
    for (let b = 0; b < gc; b++) {
      const k = a * gc + b;
      const jitter = 0.25;
      st.cy[k] = clamp(((a + 0.5 + rng.range(-jitter, jitter)) * h) / gr, 0, h - 1);
      st.cx[k] = clamp(((b + 0.5 + rng.range(-jitter, jitter)) * w) / gc, 0, w - 1);
      const p = Math.round(st.cy[k]) * w + Math.round(st.cx[k]);
      for (let ch = 0; ch < c; ch++) st.cc[k * c + ch] = col[p * c + ch];
    }
  }
  st.m2 = (compactness / Math.sqrt(st.Sy * st.Sx)) ** 2;
  const label = new Int32Array(N);
  for (let it = 0; it <= iters; it++) {
    assignPixels(st, label);
    if (it === iters) break;
    moveCentres(st, label);
  }
  return renumber(label);
}

/** Colours scaled to [0, 1] over the whole image (float64); NaN / Infinity is an error. */
function scaledColours(where: string, raw: ArrayLike<number>): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (!Number.isFinite(v)) throw new Error(`${where}: image contains NaN or Infinity.`);
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const scale = hi > lo ? 1 / (hi - lo) : 0;
  const col = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) col[i] = (raw[i] - lo) * scale;
  return col;
}

/** SLIC state: image size, channels, colours, K centres (row, column, colour), grid spacing, (compactness / S)^2. */
interface Slic {
  h: number;
  w: number;
  c: number;
  K: number;
  col: Float64Array;
  cy: Float64Array;
  cx: Float64Array;
  cc: Float64Array;
  Sy: number;
  Sx: number;
  m2: number;
}

/** Squared SLIC distance of pixel p (at y, x) to centre k: colour distance + m2 * spatial distance. */
function dist2(st: Slic, p: number, k: number, y: number, x: number): number {
  let d = 0;
  for (let ch = 0; ch < st.c; ch++) {
    const e = st.col[p * st.c + ch] - st.cc[k * st.c + ch];
    d += e * e;
  }
  return d + st.m2 * ((y - st.cy[k]) ** 2 + (x - st.cx[k]) ** 2);
}

/** Each pixel to the nearest centre whose 2S window holds it; pixels outside every window to the nearest centre overall. */
function assignPixels(st: Slic, label: Int32Array): void {
  const { h, w, K, cy, cx, Sy, Sx } = st;
  const N = h * w;
  const dist = new Float64Array(N).fill(Infinity);
  label.fill(-1);
  for (let k = 0; k < K; k++) {
    const y0 = Math.max(0, Math.floor(cy[k] - 2 * Sy));
    const y1 = Math.min(h - 1, Math.ceil(cy[k] + 2 * Sy));
    const x0 = Math.max(0, Math.floor(cx[k] - 2 * Sx));
    const x1 = Math.min(w - 1, Math.ceil(cx[k] + 2 * Sx));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const p = y * w + x;
        const d = dist2(st, p, k, y, x);
        if (d < dist[p]) {
          dist[p] = d;
          label[p] = k;
        }
      }
    }
  }
  for (let p = 0; p < N; p++) {
    if (label[p] >= 0) continue;
    const y = Math.floor(p / w);
    const x = p % w;
    for (let k = 0; k < K; k++) {
      const d = dist2(st, p, k, y, x);
      if (d < dist[p]) {
        dist[p] = d;
        label[p] = k;
      }
    }
  }
}

/** Centres <- their members' mean colour and position (an empty centre is parked far away). */
function moveCentres(st: Slic, label: Int32Array): void {
  const { w, c, K, col, cy, cx, cc } = st;
  const N = label.length;
  const n = new Float64Array(K);
  cy.fill(0);
  cx.fill(0);
  const sumC = new Float64Array(K * c);
  for (let p = 0; p < N; p++) {
    const k = label[p];
    n[k]++;
    cy[k] += Math.floor(p / w);
    cx[k] += p % w;
    for (let ch = 0; ch < c; ch++) sumC[k * c + ch] += col[p * c + ch];
  }
  for (let k = 0; k < K; k++) {
    if (n[k] === 0) {
      cy[k] = cx[k] = -1e9;
      continue;
    }
    cy[k] /= n[k];
    cx[k] /= n[k];
    for (let ch = 0; ch < c; ch++) cc[k * c + ch] = sumC[k * c + ch] / n[k];
  }
}

/** Labels renumbered 0..K'-1 by first appearance. */
function renumber(label: Int32Array): Int32Array {
  const remap = new Map<number, number>();
  const out = new Int32Array(label.length);
  for (let p = 0; p < label.length; p++) {
    let r = remap.get(label[p]);
    if (r === undefined) {
      r = remap.size;
      remap.set(label[p], r);
    }
    out[p] = r;
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
