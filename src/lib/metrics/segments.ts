/**
 * Segmentation plumbing for the LIME veracity metrics (P2): resolve a segmentation (segment id per
 * input element, shared by the batch or one per example, optionally without the channel axis) and
 * build masks that keep chosen segments.
 */
import * as tf from '@tensorflow/tfjs';
import { sameShape } from '../engine';
import { TensorLike } from './common';

/** A segmentation: integer segment ids, shaped like one example, like x, or either without x's last axis. */
export type Segmentation = tf.Tensor | number[] | number[][] | number[][][] | number[][][][] | Int32Array;

export interface ResolvedSegmentation {
  /** Segment id per element: [N * size] (per example) or [size] (shared). */
  ids: Int32Array;
  perExample: boolean;
  /** Elements per example in the segmentation. */
  size: number;
  /** Number of segments: max id + 1. */
  nSegments: number;
  /** Shape of one example's mask, [...S]; broadcast to x's example shape when channel-less. */
  maskShape: number[];
  channelBroadcast: boolean;
}

export function resolveSegmentation(where: string, segmentation: Segmentation, x: tf.Tensor): ResolvedSegmentation {
  if (segmentation === null || segmentation === undefined) throw new Error(`${where}: segmentation is missing.`);
  let shape: number[];
  let vals: ArrayLike<number>;
  if (segmentation instanceof tf.Tensor) {
    shape = segmentation.shape;
    vals = segmentation.dataSync();
  } else if (segmentation instanceof Int32Array) {
    throw new Error(`${where}: give a flat Int32Array segmentation as a tf.Tensor with its shape.`);
  } else {
    const t = tf.tensor(segmentation as number[]);
    shape = t.shape;
    vals = t.dataSync();
    t.dispose();
  }
  const ex = x.shape.slice(1);
  const exNoC = x.shape.slice(1, -1);
  let perExample: boolean;
  let channelBroadcast = false;
  if (sameShape(shape, ex)) perExample = false;
  else if (sameShape(shape, x.shape)) perExample = true;
  else if (x.rank >= 3 && sameShape(shape, exNoC)) {
    perExample = false;
    channelBroadcast = true;
  } else if (x.rank >= 3 && sameShape(shape, x.shape.slice(0, -1))) {
    perExample = true;
    channelBroadcast = true;
  } else {
    throw new Error(`${where}: segmentation shape [${shape}] does not fit x [${x.shape}]; use [${ex}] (shared) or [${x.shape}] (per example)` +
      (x.rank >= 3 ? `, or the same without the last axis ([${exNoC}] / [${x.shape.slice(0, -1)}])` : '') + '.');
  }
  const ids = new Int32Array(vals.length);
  let max = -1;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (!Number.isInteger(v) || v < 0) throw new Error(`${where}: segmentation ids must be non-negative integers, found ${v} at ${i}.`);
    ids[i] = v;
    if (v > max) max = v;
  }
  const size = perExample ? vals.length / x.shape[0] : vals.length;
  const maskShape = perExample ? shape.slice(1) : shape;
  return { ids, perExample, size, nSegments: max + 1, maskShape, channelBroadcast };
}

/**
 * A [N, ...] 0/1 mask that is 1 on the selected segments of each example, broadcastable against x
 * (new tensor; dispose it).
 */
export function keepMask(seg: ResolvedSegmentation, selected: number[][], n: number): tf.Tensor {
  const m = new Float32Array(n * seg.size);
  for (let i = 0; i < n; i++) {
    const keep = new Set(selected[i]);
    if (keep.size === 0) continue;
    const off = seg.perExample ? i * seg.size : 0;
    for (let j = 0; j < seg.size; j++) if (keep.has(seg.ids[off + j])) m[i * seg.size + j] = 1;
  }
  const t = tf.tensor(m, [n, ...seg.maskShape]);
  if (!seg.channelBroadcast) return t;
  const e = t.expandDims(-1);
  t.dispose();
  return e;
}

/** Indices of the k largest values of a row (ties: lower index first). */
export function topKIndices(row: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: row.length }, (_, j) => j);
  idx.sort((p, q) => row[q] - row[p] || p - q);
  return idx.slice(0, Math.max(0, Math.min(k, row.length)));
}

/** Rows of a [N, K] weight matrix as arrays (from a tensor or nested array), validated. */
export function weightRows(where: string, weights: TensorLike, what: string, n?: number): number[][] {
  let rows: number[][];
  if (weights instanceof tf.Tensor) {
    if (weights.rank !== 2) throw new Error(`${where}: ${what} must be [N, K], got shape [${weights.shape}].`);
    rows = weights.arraySync() as number[][];
  } else if (Array.isArray(weights) && (weights as unknown[]).every((r) => Array.isArray(r))) rows = (weights as number[][]).map((r) => r.slice());
  else throw new Error(`${where}: ${what} must be a [N, K] tf.Tensor or an array of rows.`);
  if (rows.length === 0) throw new Error(`${where}: ${what} is empty.`);
  if (n !== undefined && rows.length !== n) throw new Error(`${where}: length mismatch, ${n} examples but ${rows.length} rows of ${what}.`);
  rows.forEach((r, i) =>
    r.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new Error(`${where}: ${what}[${i}][${j}] is ${v}; values must be finite.`);
    }),
  );
  return rows;
}

/** k per example: a number, one per example, or 'positive' (the count of positive weights). */
export function resolveK(where: string, k: number | number[] | 'positive', weights: number[][] | null, n: number): number[] {
  if (k === 'positive') {
    if (!weights) throw new Error(`${where}: k = 'positive' needs segment weights.`);
    return weights.map((r) => r.filter((v) => v > 0).length);
  }
  const ks = typeof k === 'number' ? new Array<number>(n).fill(k) : k;
  if (!Array.isArray(ks) || ks.length !== n) throw new Error(`${where}: length mismatch, ${n} examples but ${Array.isArray(ks) ? ks.length : '?'} values of k.`);
  ks.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${where}: k must be a non-negative integer, got k[${i}] = ${v}.`);
  });
  return ks.slice();
}
