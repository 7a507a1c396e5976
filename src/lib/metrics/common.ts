/**
 * Shared plumbing of the metrics: metadata (conventions.md #4), results, input conversion, batched
 * forward passes, labels and predictions. Not part of the public surface except the types.
 */
import * as tf from '@tensorflow/tfjs';
import { assertFinite, ModelFn, outputs2d, sameShape } from '../engine';
import { rowL2 } from '../attacks/perturbationSizes';

/** What a table needs to label and sort a metric without special cases (Quantus-style). */
export interface MetricMeta {
  /** Short display name, e.g. 'Accuracy'. */
  name: string;
  /** One sentence: what is measured. */
  description: string;
  /** true when larger values are better. */
  higherIsBetter: boolean;
  /** Attainable range, where bounded. */
  range?: [number, number];
  /** Source paper (arXiv id) where the metric comes from one. */
  paper?: string;
}

/** A metric's value: the aggregate, per-example values where meaningful, and its metadata. */
export interface MetricResult {
  meta: MetricMeta;
  /** Aggregate (the mean of the defined per-example values unless the metric says otherwise). */
  value: number;
  /** One value per example (NaN where undefined for that example). */
  perExample?: number[];
  /** How many per-example values were undefined (NaN / non-finite) and left out of `value`. */
  nUndefined?: number;
}

/** A function that carries its metric metadata as `.meta`. */
export type WithMeta<F> = F & { meta: MetricMeta };

export function withMeta<F extends (...args: any[]) => any>(fn: F, meta: MetricMeta): WithMeta<F> {
  return Object.assign(fn, { meta: Object.freeze({ ...meta }) as MetricMeta });
}

/** Aggregate per-example values: mean over finite values, counting the rest as undefined. */
export function summarise(meta: MetricMeta, perExample: number[], extra: object = {}): MetricResult {
  let s = 0;
  let n = 0;
  for (const v of perExample) {
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  const out: MetricResult = { meta, value: n > 0 ? s / n : NaN, perExample };
  if (n < perExample.length) out.nUndefined = perExample.length - n;
  return Object.assign(out, extra);
}

/** Numbers as input: a tf.Tensor, or nested arrays / typed arrays. */
export type TensorLike = tf.Tensor | number[] | number[][] | number[][][] | number[][][][] | Float32Array;

/**
 * A float32 tensor for a tensor-like input, with a flag saying whether the caller must dispose it
 * (true when it was created here). Throws on NaN/Infinity and empty input.
 */
export function asTensor(where: string, v: TensorLike, what: string): { t: tf.Tensor; owned: boolean } {
  if (v === null || v === undefined) throw new Error(`${where}: ${what} is missing.`);
  let t: tf.Tensor;
  let owned = false;
  if (v instanceof tf.Tensor) t = v;
  else {
    try {
      t = tf.tensor(v as number[]);
    } catch (e) {
      throw new Error(`${where}: ${what} must be a tf.Tensor or a (nested, rectangular) array of numbers: ${(e as Error).message}`);
    }
    owned = true;
  }
  if (t.size === 0) {
    if (owned) t.dispose();
    throw new Error(`${where}: ${what} is empty.`);
  }
  try {
    assertFinite(where, t, what);
  } catch (e) {
    if (owned) t.dispose();
    throw e;
  }
  return { t, owned };
}

/** Run `body` with tensor-like inputs converted, disposing the ones converted here. */
export function withTensors<R>(where: string, inputs: [TensorLike, string][], body: (...ts: tf.Tensor[]) => R): R {
  const made: tf.Tensor[] = [];
  try {
    const ts = inputs.map(([v, what]) => {
      const { t, owned } = asTensor(where, v, what);
      if (owned) made.push(t);
      return t;
    });
    return body(...ts);
  } finally {
    tf.dispose(made);
  }
}

export function checkSameShape(where: string, a: tf.Tensor, b: tf.Tensor, na: string, nb: string): void {
  if (!sameShape(a.shape, b.shape)) throw new Error(`${where}: shape mismatch, ${na} is [${a.shape}] and ${nb} is [${b.shape}].`);
}

export function checkBatch(where: string, x: tf.Tensor, what = 'x'): void {
  if (x.rank < 2) throw new Error(`${where}: ${what} must be a batch [N, ...] of rank >= 2, got shape [${x.shape}].`);
}

/** The model applied to x in chunks of batchSize rows, outputs concatenated as [N, C]. */
export function forward(fn: ModelFn, x: tf.Tensor, batchSize: number): tf.Tensor2D {
  const n = x.shape[0];
  if (n <= batchSize) return tf.tidy(() => outputs2d(fn(x)).clone());
  const parts: tf.Tensor2D[] = [];
  try {
    for (let i = 0; i < n; i += batchSize) {
      const size = Math.min(batchSize, n - i);
      parts.push(tf.tidy(() => outputs2d(fn(x.slice(i, size))).clone()));
    }
    return tf.concat(parts, 0) as tf.Tensor2D;
  } finally {
    tf.dispose(parts); // also when the model throws in a later chunk
  }
}

/** How to read a single-column output: sigmoid logits or probabilities. */
export type OutputKind = 'logits' | 'probabilities';

export function checkOutputKind(where: string, output: string): OutputKind {
  if (output !== 'logits' && output !== 'probabilities') {
    throw new Error(`${where}: unknown output "${output}"; use 'logits' or 'probabilities'.`);
  }
  return output;
}

/**
 * Predicted classes from [N, C] outputs: argmax for C > 1; for one column, 1 where the probability
 * (sigmoid of the logit, or the value itself for output 'probabilities') is >= threshold.
 */
export function predictedClasses(out: tf.Tensor2D, threshold: number, output: OutputKind): tf.Tensor1D {
  return tf.tidy(() => {
    if (out.shape[1] > 1) return tf.argMax(out, 1).toInt() as tf.Tensor1D;
    const p = output === 'logits' ? tf.sigmoid(out) : out;
    return tf.greaterEqual(p.reshape([-1]), threshold).toInt() as tf.Tensor1D;
  });
}

/** Class labels per example from a tensor or array: [N] indices, or [N, C] one-hot / scores (argmax). */
export function labelIndices(where: string, y: tf.Tensor | number[] | number[][], n: number): number[] {
  if (y === null || y === undefined) throw new Error(`${where}: labels y are missing.`);
  let out: number[];
  if (y instanceof tf.Tensor) {
    if (y.rank === 1) out = Array.from(y.dataSync());
    else if (y.rank === 2 && y.shape[1] === 1) out = Array.from(y.dataSync());
    else if (y.rank === 2) out = Array.from(tf.tidy(() => tf.argMax(y, 1).dataSync()));
    else throw new Error(`${where}: labels must be [N] or [N, C], got shape [${y.shape}].`);
  } else if (Array.isArray(y)) {
    out = (y as (number | number[])[]).map((v, i) => {
      if (Array.isArray(v)) return v.length === 1 ? v[0] : v.indexOf(Math.max(...v));
      if (typeof v !== 'number') throw new Error(`${where}: y[${i}] is not a number.`);
      return v;
    });
  } else throw new Error(`${where}: labels y must be a tf.Tensor or an array.`);
  if (out.length !== n) throw new Error(`${where}: length mismatch, ${n} examples but ${out.length} labels.`);
  out.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${where}: label y[${i}] = ${v} is not a non-negative integer class index.`);
  });
  return out;
}

/** Per-example L2 norms of a [N, ...] tensor (read back; attacks' rowL2). */
export function rowNorms(t: tf.Tensor): number[] {
  const n = rowL2(t);
  const v = Array.from(n.dataSync());
  n.dispose();
  return v;
}

/**
 * Run fn in a tensor scope that disposes every tensor it created; for bodies that return plain
 * numbers (tf.tidy only accepts tensor containers).
 */
export function scoped<R>(fn: () => R): R {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}
