/**
 * LIME over segments: fit a weighted linear surrogate to the model on random on/off patterns of
 * input segments.
 *
 * Ribeiro, Singh, Guestrin (2016), "Why Should I Trust You?" (arXiv 1602.04938); settings of
 * audioLIME as used by P2 (Praher et al. 2021, arXiv 2107.09045).
 *   z ~ Bernoulli(0.5)^S (first sample all ones),  x_z = off + (x - off) * z[label]
 *   pi(z) = sqrt(exp(-d(z)^2 / w^2)),  d = cosine distance of z to the all-ones vector, w = 0.25
 *   g = argmin sum_z pi(z) (f(x_z) - b - v.z)^2 + alpha ||v||^2      (ridge, alpha = 1, intercept b)
 *   fidelity = weighted R^2 of g on the samples.
 * The weights v (one per segment) are painted onto x's shape as `map`. Samples are evaluated in
 * batches of batchSize rows, so 8192 samples of a 115 x 80 excerpt need ~batchSize copies in memory.
 * For a tf.LayersModel, worker threads (option workers, default 'auto') evaluate part of the
 * samples in parallel; the samples are drawn on the main thread, so the numbers do not change.
 *
 * @example
 *   const seg = audioTimeFreqGrid(115, 80);                            // 5 x 4 = 20 components
 *   const r = await lime(model, x, { target: 0, segments: seg, nSamples: 8192, off: 'mean', seed: 1 });
 *   r.weights[0];  r.fidelity[0];  r.map.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { Model, Rng, seedFor, positiveInt, rowsPerPass } from '../engine';
import { Attribution, TargetOptions, checkMethodInput, modelAndTargets } from './common';
import { coalitionWorkers, evaluateCoalitions, Off, paint, resolveOff, resolveSegments, Segments, solve } from './coalitions';

export interface LimeOptions extends TargetOptions {
  /** Segment labels per element (e.g. imageGrid, superpixels, audioTimeFreqGrid). */
  segments: Segments;
  /** Value of a switched-off segment (default 'mean', as in P2). */
  off?: Off;
  /** Number of perturbed samples, the first all ones (default 1000; P2: 8192). */
  nSamples?: number;
  /** Kernel width w on the cosine distance (default 0.25). */
  kernelWidth?: number;
  /** Ridge penalty (default 1, as sklearn's Ridge in LIME). */
  alpha?: number;
  /** Seed of the samples (default 0); example i uses seedFor(seed, i). */
  seed?: number;
  /** Rows per forward pass (default 256; with worker threads, split between the threads). */
  batchSize?: number;
  /**
   * Worker threads that evaluate samples beside the main thread (default 'auto':
   * os.availableParallelism() - 1, or ROBUSTLENS_WORKERS - 1; 0 = main thread only). Only for a
   * tf.LayersModel, and only once the work left pays for their ~1 s start; same numbers either way.
   */
  workers?: number | 'auto';
}

export interface LimeAttribution extends Attribution {
  /** Surrogate weight per segment, per example. */
  weights: number[][];
  intercept: number[];
  /** Weighted R^2 of the surrogate, per example. */
  fidelity: number[];
  /** The segmentation used, per example. */
  segments: Int32Array[];
  /** f(x)[target] per example (the all-ones sample). */
  prediction: number[];
}

const KNOWN = ['target', 'segments', 'off', 'nSamples', 'kernelWidth', 'alpha', 'seed', 'batchSize', 'workers'] as const;

export async function lime(model: Model, x: tf.Tensor, options: LimeOptions): Promise<LimeAttribution> {
  const where = 'lime';
  checkMethodInput(where, options, KNOWN, x);
  const { off = 'mean', nSamples = 1000, kernelWidth = 0.25, alpha = 1, seed = 0, batchSize = 256, workers = 'auto' } = options;
  positiveInt(where, 'nSamples', nSamples);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`${where}: seed must be a finite number; got ${typeof seed === 'string' ? JSON.stringify(seed) : String(seed)}.`);
  positiveInt(where, 'batchSize', batchSize);
  if (!(kernelWidth > 0)) throw new Error(`${where}: kernelWidth must be > 0; got ${kernelWidth}.`);
  if (!(alpha >= 0)) throw new Error(`${where}: alpha must be >= 0; got ${alpha}.`);
  // rows per forward pass under the memory budget (a wasm out-of-memory aborts the backend for good)
  const rows = rowsPerPass(where, model, x, batchSize, 'forward'); // a plain function is measured on one probe row
  const segs = resolveSegments(where, options.segments, x);
  const { fn, targets } = modelAndTargets(where, model, x, options.target);
  const B = x.shape[0];
  const D = x.size / B;
  const par = coalitionWorkers(where, model, workers);
  if (par) par.rowsLeft = B * nSamples;
  const offAll = resolveOff(where, x, off);
  const result: LimeAttribution = { map: null as unknown as tf.Tensor, weights: [], intercept: [], fidelity: [], segments: [], prediction: [] };
  const painted = new Float32Array(B * D);
  try {
    for (let i = 0; i < B; i++) {
      const seg = segs[i];
      const S = seg.nSegments;
      // the surrogate has S weights and an intercept: fewer samples fit anything (fidelity 1)
      if (nSamples < S + 1) throw new Error(`${where}: nSamples = ${nSamples} is too few for a surrogate of ${S} segments; use at least ${S + 1} (default 1000).`);
      const rng = new Rng(seedFor(seed, i));
      const Z = new Uint8Array(nSamples * S);
      Z.fill(1, 0, S); // the first sample is x itself
      for (let j = S; j < Z.length; j++) Z[j] = rng.uniform() < 0.5 ? 1 : 0;
      const xi = x.slice(i, 1);
      const offi = offAll.slice(i, 1);
      let y: Float32Array;
      try {
        y = await evaluateCoalitions(fn, xi, offi, seg, Z, nSamples, targets[i], rows, par);
      } finally {
        xi.dispose();
        offi.dispose();
      }
      const w = limeKernel(Z, nSamples, S, kernelWidth);
      const fit = weightedRidge(where, Z, Float64Array.from(y), w, nSamples, S, alpha);
      result.weights.push(Array.from(fit.coef));
      result.intercept.push(fit.intercept);
      result.fidelity.push(fit.r2);
      result.segments.push(seg.labels);
      result.prediction.push(y[0]);
      painted.set(paint(fit.coef, seg, D), i * D);
    }
  } finally {
    offAll.dispose();
    await par?.close();
  }
  result.map = tf.tensor(painted, x.shape);
  return result;
}

/** pi(z) = sqrt(exp(-d^2 / w^2)), d = 1 - cos(z, 1) = 1 - sqrt(|z| / S) (d = 1 for z = 0, as sklearn). */
export function limeKernel(Z: Uint8Array, N: number, S: number, width: number): Float64Array {
  const w = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let on = 0;
    for (let j = 0; j < S; j++) on += Z[i * S + j];
    const d = on === 0 ? 1 : 1 - Math.sqrt(on / S);
    w[i] = Math.sqrt(Math.exp(-(d * d) / (width * width)));
  }
  return w;
}

/**
 * Weighted ridge with an unpenalised intercept (sklearn's Ridge with sample_weight):
 * centre X and y at their weighted means, solve (Xc' W Xc + alpha I) v = Xc' W yc,
 * b = ym - xm.v; r2 = weighted R^2 (1 if y is constant and fitted exactly, else 0 when constant).
 */
export function weightedRidge(
  where: string,
  Z: Uint8Array,
  y: Float64Array,
  w: Float64Array,
  N: number,
  S: number,
  alpha: number,
): { coef: Float64Array; intercept: number; r2: number } {
  let sw = 0;
  const xm = new Float64Array(S);
  let ym = 0;
  for (let i = 0; i < N; i++) {
    sw += w[i];
    ym += w[i] * y[i];
    for (let j = 0; j < S; j++) if (Z[i * S + j]) xm[j] += w[i];
  }
  ym /= sw;
  for (let j = 0; j < S; j++) xm[j] /= sw;
  // X'WX and X'Wy on the raw binary columns, then centre: Xc'WXc = X'WX - sw xm xm'
  const A = new Float64Array(S * S);
  const b = new Float64Array(S);
  const on = new Int32Array(S);
  for (let i = 0; i < N; i++) {
    let n = 0;
    for (let j = 0; j < S; j++) if (Z[i * S + j]) on[n++] = j;
    const wi = w[i];
    const wy = wi * (y[i] - ym);
    for (let a = 0; a < n; a++) {
      const ja = on[a];
      b[ja] += wy;
      for (let c = a; c < n; c++) A[ja * S + on[c]] += wi;
    }
  }
  for (let r = 0; r < S; r++) {
    for (let c = r; c < S; c++) {
      const v = A[r * S + c] - sw * xm[r] * xm[c];
      A[r * S + c] = v;
      A[c * S + r] = v;
    }
    A[r * S + r] += alpha;
  }
  const coef = solve(where, A, b, S);
  let intercept = ym;
  for (let j = 0; j < S; j++) intercept -= xm[j] * coef[j];
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < N; i++) {
    let p = intercept;
    for (let j = 0; j < S; j++) if (Z[i * S + j]) p += coef[j];
    ssRes += w[i] * (y[i] - p) ** 2;
    ssTot += w[i] * (y[i] - ym) ** 2;
  }
  const r2 = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
  return { coef, intercept, r2 };
}
