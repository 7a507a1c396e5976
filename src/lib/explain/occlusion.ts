/**
 * Occlusion: slide a patch of baseline values over the input and record the drop of the output.
 *
 * Zeiler, Fergus (2014), "Visualizing and Understanding Convolutional Networks" (arXiv 1311.2901).
 * For each window W (patch size, stride) the input inside W is replaced by the baseline:
 *   d_W = f(x)[target] - f(x with x_W := b_W)[target]
 * and every element gets the mean of d_W over the windows that cover it (Captum's convention:
 * positive = the region supports the target). For f(x) = w.x, baseline 0 and non-overlapping
 * windows, every element of W gets sum_{j in W} w_j x_j. Elements no window covers get 0.
 * All occluded copies are evaluated in batches of batchSize rows (lowered under the memory budget,
 * engine/memory.ts).
 *
 * `patch` / `stride` give sizes for the leading per-example dimensions; a number means the same
 * size for the first two (the first one for 1-D examples); dimensions not given are covered
 * whole (e.g. all channels of an [H, W, C] image). Stride defaults to the patch.
 *
 * @example
 *   const { map } = await occlusion(model, x, { target: 0, patch: [8, 8], stride: 4, baseline: 0 });
 */
import * as tf from '@tensorflow/tfjs';
import { Model, positiveInt, rowsPerPass } from '../engine';
import { Attribution, Baseline, forwardTargets, resolveBaseline, TargetOptions, checkMethodInput, modelAndTargets } from './common';

export interface OcclusionOptions extends TargetOptions {
  /** Window size per leading per-example dimension (default 4). */
  patch?: number | number[];
  /** Step per dimension (default: the patch). */
  stride?: number | number[];
  /** Replacement inside the window: a number (default 0), a tensor like x or like one example. */
  baseline?: Baseline;
  /** Rows per forward pass (default 128). */
  batchSize?: number;
}

export interface OcclusionAttribution extends Attribution {
  /** Number of windows per example. */
  windows: number;
}

const KNOWN = ['target', 'patch', 'stride', 'baseline', 'batchSize'] as const;

export async function occlusion(model: Model, x: tf.Tensor, options: OcclusionOptions): Promise<OcclusionAttribution> {
  const where = 'occlusion';
  checkMethodInput(where, options, KNOWN, x);
  const { batchSize = 128 } = options;
  positiveInt(where, 'batchSize', batchSize);
  const shape = x.shape.slice(1);
  const patch = sizes(where, 'patch', options.patch ?? 4, shape);
  const stride = sizes(where, 'stride', options.stride ?? options.patch ?? 4, shape);
  const { fn, targets } = modelAndTargets(where, model, x, options.target);
  const B = x.shape[0];
  const D = shape.reduce((a, b) => a * b, 1);
  const starts = windowStarts(shape, patch, stride);
  const nW = starts.length;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));

  // element indices of each window (per-example flat indices)
  const windowIdx = starts.map((s) => windowElements(s, patch, shape, strides));
  const rows = rowsPerPass(where, model, x, batchSize, 'forward'); // rows (windows x examples) per forward pass
  const baseline = resolveBaseline(where, x, options.baseline);
  const drops = new Float32Array(nW * B); // d_W per window, example
  try {
    const fx = await forwardTargets(fn, x, targets, rows);
    const perChunk = Math.max(1, Math.floor(rows / B));
    for (let w0 = 0; w0 < nW; w0 += perChunk) {
      const k = Math.min(perChunk, nW - w0);
      const mask = new Float32Array(k * D);
      for (let c = 0; c < k; c++) for (const e of windowIdx[w0 + c]) mask[c * D + e] = 1;
      const occluded = tf.tidy(() => {
        const m = tf.tensor(mask, [k, 1, ...shape]);
        // x with x_W := b_W
        return x.expandDims(0).mul(tf.sub(1, m)).add(baseline.expandDims(0).mul(m)).reshape([k * B, ...shape]);
      });
      const rowTargets: number[] = [];
      for (let c = 0; c < k; c++) rowTargets.push(...targets);
      let f: Float32Array;
      try {
        f = await forwardTargets(fn, occluded, rowTargets, rows);
      } finally {
        occluded.dispose();
      }
      for (let r = 0; r < k * B; r++) drops[w0 * B + r] = fx[r % B] - f[r];
    }
  } finally {
    baseline.dispose();
  }
  const sum = new Float32Array(B * D);
  const count = new Float32Array(D);
  for (let w = 0; w < nW; w++) {
    for (const e of windowIdx[w]) {
      count[e] += 1;
      for (let i = 0; i < B; i++) sum[i * D + e] += drops[w * B + i];
    }
  }
  for (let i = 0; i < B; i++) for (let e = 0; e < D; e++) if (count[e] > 0) sum[i * D + e] /= count[e];
  return { map: tf.tensor(sum, x.shape), windows: nW };
}

/** Sizes for every per-example dimension: given leading ones, the rest whole. */
function sizes(where: string, name: string, v: number | number[], shape: number[]): number[] {
  const given = typeof v === 'number' ? new Array<number>(Math.min(2, shape.length)).fill(v) : v;
  if (!Array.isArray(given) || given.length > shape.length) {
    throw new Error(`${where}: ${name} must be a number or at most ${shape.length} sizes (one per example dimension).`);
  }
  return shape.map((s, d) => {
    const g = d < given.length ? given[d] : s;
    positiveInt(where, name, g);
    if (g > s && name === 'patch') throw new Error(`${where}: patch size ${g} exceeds dimension ${d + 1} of x (${s}).`);
    return g;
  });
}

/** Window origins: 0, stride, ... with the last window flush with the end (so all is covered). */
function windowStarts(shape: number[], patch: number[], stride: number[]): number[][] {
  const perDim = shape.map((s, d) => {
    const out: number[] = [];
    for (let p = 0; p + patch[d] <= s; p += stride[d]) out.push(p);
    if (out[out.length - 1] + patch[d] < s) out.push(s - patch[d]);
    return out;
  });
  let combos: number[][] = [[]];
  for (const opts of perDim) combos = combos.flatMap((c) => opts.map((o) => [...c, o]));
  return combos;
}

function windowElements(start: number[], patch: number[], shape: number[], strides: number[]): number[] {
  let idx = [0];
  for (let d = 0; d < shape.length; d++) {
    const next: number[] = [];
    for (const base of idx) for (let p = 0; p < patch[d]; p++) next.push(base + (start[d] + p) * strides[d]);
    idx = next;
  }
  return idx;
}
