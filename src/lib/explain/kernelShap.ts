/**
 * KernelSHAP over segments: Shapley values of the segments from a weighted linear regression
 * on coalitions.
 *
 * Lundberg, Lee (2017), "A Unified Approach to Interpreting Model Predictions" (arXiv 1705.07874).
 *   v(z) = f(x_z)[target],  x_z = off + (x - off) * z[label]     (z in {0,1}^M, M segments)
 *   pi(z) = (M - 1) / (C(M, |z|) |z| (M - |z|))                    (Shapley kernel, 0 < |z| < M)
 *   phi = argmin sum_z pi(z) (v(z) - phi_0 - phi.z)^2  s.t.  phi_0 = v(0),  sum phi = v(1) - v(0)
 * The efficiency constraint is imposed exactly by eliminating the last segment. With
 * 2^M - 2 <= nSamples every coalition is enumerated with its kernel weight and phi are the exact
 * Shapley values; otherwise coalition sizes are drawn with probability proportional to
 * C(M,k) pi(k) and a uniform subset of that size (plus its complement) gets weight 1.
 * For a tf.LayersModel, worker threads (option workers, default 'auto') evaluate part of the
 * coalitions in parallel; sampling stays on the main thread, so the numbers do not change.
 *
 * @example
 *   const r = await kernelShap(model, x, { target: 1, segments: imageGrid(28, 28, 4, 4), off: 0 });
 *   r.values[0];   // phi per segment; sum = f(x) - f(off)
 */
import * as tf from '@tensorflow/tfjs';
import { Model, Rng, seedFor, positiveInt, rowsPerPass } from '../engine';
import { Attribution, TargetOptions, checkMethodInput, modelAndTargets } from './common';
import { coalitionWorkers, evaluateCoalitions, Off, paint, resolveOff, resolveSegments, Segments, solve } from './coalitions';

export interface KernelShapOptions extends TargetOptions {
  /** Segment labels per element (e.g. imageGrid, superpixels, audioTimeFreqGrid). */
  segments: Segments;
  /** Value of an absent segment (default 'mean': the example's mean). */
  off?: Off;
  /** Coalition budget besides the empty and full ones (default 2048). */
  nSamples?: number;
  /** Seed of the sampled coalitions (default 0); example i uses seedFor(seed, i). */
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

export interface KernelShapAttribution extends Attribution {
  /** Shapley value per segment, per example. */
  values: number[][];
  /** v(empty) = f(off)[target] per example (phi_0). */
  base: number[];
  /** v(full) = f(x)[target] per example. */
  prediction: number[];
  /** Whether all coalitions were enumerated (exact) per example. */
  exact: boolean[];
  segments: Int32Array[];
}

const KNOWN = ['target', 'segments', 'off', 'nSamples', 'seed', 'batchSize', 'workers'] as const;

export async function kernelShap(model: Model, x: tf.Tensor, options: KernelShapOptions): Promise<KernelShapAttribution> {
  const where = 'kernelShap';
  checkMethodInput(where, options, KNOWN, x);
  const { off = 'mean', nSamples = 2048, seed = 0, batchSize = 256, workers = 'auto' } = options;
  positiveInt(where, 'nSamples', nSamples);
  positiveInt(where, 'batchSize', batchSize);
  const segs = resolveSegments(where, options.segments, x);
  const { fn, targets } = modelAndTargets(where, model, x, options.target);
  const rows = rowsPerPass(where, model, x, batchSize, 'forward'); // rows per forward pass under the memory budget (a plain function measured on one probe row)
  const B = x.shape[0];
  const D = x.size / B;
  const par = coalitionWorkers(where, model, workers);
  if (par) par.rowsLeft = B * (nSamples + 2); // an estimate (enumeration may need fewer)
  const offAll = resolveOff(where, x, off);
  const res: KernelShapAttribution = {
    map: null as unknown as tf.Tensor, values: [], base: [], prediction: [], exact: [], segments: [],
  };
  const painted = new Float32Array(B * D);
  try {
    for (let i = 0; i < B; i++) {
      const seg = segs[i];
      const M = seg.nSegments;
      const { Z, w, n, exact } = coalitions(M, nSamples, new Rng(seedFor(seed, i)));
      // rows 0 and 1 are the empty and the full coalition
      const all = new Uint8Array((n + 2) * M);
      all.fill(1, M, 2 * M);
      all.set(Z, 2 * M);
      const xi = x.slice(i, 1);
      const offi = offAll.slice(i, 1);
      let v: Float32Array;
      try {
        v = await evaluateCoalitions(fn, xi, offi, seg, all, n + 2, targets[i], rows, par);
      } finally {
        xi.dispose();
        offi.dispose();
      }
      const phi = constrainedWls(where, Z, w, v.subarray(2), n, M, v[0], v[1]);
      res.values.push(Array.from(phi));
      res.base.push(v[0]);
      res.prediction.push(v[1]);
      res.exact.push(exact);
      res.segments.push(seg.labels);
      painted.set(paint(phi, seg, D), i * D);
    }
  } finally {
    offAll.dispose();
    await par?.close();
  }
  res.map = tf.tensor(painted, x.shape);
  return res;
}

/** Shapley kernel weight of a coalition of size k out of M. */
function shapleyKernel(M: number, k: number): number {
  return (M - 1) / (binom(M, k) * k * (M - k));
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Coalitions with 0 < |z| < M: all of them (kernel weights) if the budget allows, else sampled pairs. */
function coalitions(M: number, budget: number, rng: Rng): { Z: Uint8Array; w: Float64Array; n: number; exact: boolean } {
  if (M <= 1) return { Z: new Uint8Array(0), w: new Float64Array(0), n: 0, exact: true };
  if (M < 31 && 2 ** M - 2 <= budget) {
    const n = 2 ** M - 2;
    const Z = new Uint8Array(n * M);
    const w = new Float64Array(n);
    for (let c = 1; c <= n; c++) {
      let k = 0;
      for (let j = 0; j < M; j++) if ((c >> j) & 1) {
        Z[(c - 1) * M + j] = 1;
        k++;
      }
      w[c - 1] = shapleyKernel(M, k);
    }
    return { Z, w, n, exact: true };
  }
  // size k drawn with probability ~ C(M,k) pi(k) = (M-1) / (k (M-k)); paired with the complement
  const sizeP: number[] = [];
  let tot = 0;
  for (let k = 1; k < M; k++) {
    tot += 1 / (k * (M - k));
    sizeP.push(tot);
  }
  const pairs = Math.max(1, Math.floor(budget / 2));
  const n = 2 * pairs;
  const Z = new Uint8Array(n * M);
  const idx = Array.from({ length: M }, (_, j) => j);
  for (let p = 0; p < pairs; p++) {
    const u = rng.uniform() * tot;
    let k = 1;
    while (k < M - 1 && sizeP[k - 1] < u) k++;
    const chosen = rng.shuffle(idx).slice(0, k);
    const r1 = 2 * p * M;
    const r2 = (2 * p + 1) * M;
    Z.fill(1, r2, r2 + M);
    for (const j of chosen) {
      Z[r1 + j] = 1;
      Z[r2 + j] = 0;
    }
  }
  return { Z, w: new Float64Array(n).fill(1), n, exact: false };
}

/**
 * Weighted least squares with phi_0 = v0 and sum(phi) = v1 - v0, by eliminating phi_M:
 *   v(z) - v0 - z_M (v1 - v0) = sum_{j<M} (z_j - z_M) phi_j
 */
function constrainedWls(
  where: string,
  Z: Uint8Array,
  w: Float64Array,
  v: Float32Array,
  n: number,
  M: number,
  v0: number,
  v1: number,
): Float64Array {
  const phi = new Float64Array(M);
  const total = v1 - v0;
  if (M === 1) {
    phi[0] = total;
    return phi;
  }
  const P = M - 1;
  const A = new Float64Array(P * P);
  const b = new Float64Array(P);
  const row = new Float64Array(P);
  for (let i = 0; i < n; i++) {
    const zM = Z[i * M + P];
    for (let j = 0; j < P; j++) row[j] = Z[i * M + j] - zM;
    const yi = v[i] - v0 - zM * total;
    const wi = w[i];
    for (let r = 0; r < P; r++) {
      if (row[r] === 0) continue;
      b[r] += wi * row[r] * yi;
      for (let c = r; c < P; c++) A[r * P + c] += wi * row[r] * row[c];
    }
  }
  for (let r = 0; r < P; r++) for (let c = r + 1; c < P; c++) A[c * P + r] = A[r * P + c];
  const sol = solve(where, A, b, P);
  let s = 0;
  for (let j = 0; j < P; j++) {
    phi[j] = sol[j];
    s += sol[j];
  }
  phi[P] = total - s;
  return phi;
}
