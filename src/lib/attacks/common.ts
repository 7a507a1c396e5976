/**
 * Plumbing shared by every attack, written once (input and model checks are engine/validate.ts): labels,
 * per-example sizes, range clipping, masks, chunking to a memory budget, seeded per-example noise.
 */
import * as tf from '@tensorflow/tfjs';
import { assertFinite, positiveNumber, probeModel, Rng, seedFor } from '../engine';
import type { ModelFn } from '../engine';
import type { Labels, Range } from './types';

/** A float copy of labels as a tensor (the caller's tensor is neither kept nor disposed); a number with n given is that label for all n examples. */
export function toTensor(where: string, y: Labels | tf.Tensor | number | undefined, what: string, n?: number): tf.Tensor {
  if (y === null || y === undefined) throw new Error(`${where}: ${what} is required.`);
  let t: tf.Tensor;
  if (y instanceof tf.Tensor) t = y.dtype === 'float32' ? y.clone() : y.toFloat();
  else if (typeof y === 'number') t = n === undefined ? tf.tensor1d([y]) : tf.fill([n], y); // one number for all n examples
  else if (Array.isArray(y)) t = tf.tensor(y as number[]);
  else throw new Error(`${where}: ${what} must be a tf.Tensor or an array of numbers.`);
  try {
    assertFinite(where, t, what);
  } catch (e) {
    t.dispose();
    throw e;
  }
  return t;
}

/** Check a range option and that x lies inside it (else clipping would move x itself). */
export function checkRange(where: string, x: tf.Tensor, range: Range): void {
  if (range === null) return;
  if (!Array.isArray(range) || range.length !== 2 || !(range[0] < range[1]) || Number.isNaN(range[0]) || Number.isNaN(range[1])) {
    throw new Error(`${where}: range must be [lo, hi] with lo < hi, or null for no clipping; got ${JSON.stringify(range)}.`);
  }
  const [mn, mx] = tf.tidy(() => [x.min().dataSync()[0], x.max().dataSync()[0]]);
  if (mn < range[0] || mx > range[1]) {
    throw new Error(
      `${where}: x spans [${mn}, ${mx}], outside range [${range[0]}, ${range[1]}]; pass the data's range, or range: null for no clipping.`,
    );
  }
}

/** Check a mask: 0/1 values, broadcastable to x with the broadcast shape equal to x's shape. */
export function checkMask(where: string, mask: tf.Tensor | undefined, x: tf.Tensor): void {
  if (mask === undefined) return;
  if (!(mask instanceof tf.Tensor)) throw new Error(`${where}: mask must be a 0/1 tf.Tensor broadcastable to x.`);
  const ok =
    mask.rank <= x.rank &&
    mask.shape.every((d, i) => {
      const xd = x.shape[x.rank - mask.rank + i];
      return d === xd || d === 1;
    });
  if (!ok) throw new Error(`${where}: mask of shape [${mask.shape}] does not broadcast to x of shape [${x.shape}].`);
  const binary = tf.tidy(() => tf.logicalOr(mask.equal(0), mask.equal(1)).all().dataSync()[0]);
  if (!binary) throw new Error(`${where}: mask must hold only 0 and 1.`);
}

/** [N] values reshaped to [N, 1, ..., 1] of the given rank, for broadcasting against a batch. */
export function perExample(v: tf.Tensor, rank: number): tf.Tensor {
  return v.reshape([v.shape[0], ...new Array(rank - 1).fill(1)]);
}

/** delta clipped so that x + delta stays inside range (norms can only shrink, since x is inside). */
export function clipDelta(x: tf.Tensor, delta: tf.Tensor, range: Range): tf.Tensor {
  if (range === null) return delta.clone();
  return tf.tidy(() => {
    let xa = x.add(delta);
    if (Number.isFinite(range[0])) xa = tf.maximum(xa, range[0]);
    if (Number.isFinite(range[1])) xa = tf.minimum(xa, range[1]);
    return xa.sub(x);
  });
}

/** [start, end) row ranges of at most batchSize rows. */
export function chunkRanges(n: number, batchSize: number | undefined): [number, number][] {
  const b = batchSize === undefined ? n : batchSize;
  if (!Number.isInteger(b) || b < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}.`);
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += b) out.push([s, Math.min(n, s + b)]);
  return out;
}

/** Rows [start, end) of t if it has n rows; a tensor broadcast over the batch (first dim 1, or lower rank) as is. */
export function batchRows(t: tf.Tensor, start: number, end: number, n: number, batchRank: number): tf.Tensor {
  if (t.rank === batchRank && t.shape[0] === n && n !== 1) return t.slice(start, end - start);
  return t;
}

/**
 * The checks an attack runs once its options are resolved: the range (and x inside it), the mask,
 * and the model applied to x; returns the per-example output shape.
 */
export function checkAttackSetup(where: string, fn: ModelFn, x: tf.Tensor, range: Range, mask: tf.Tensor | undefined): number[] {
  checkRange(where, x, range);
  checkMask(where, mask, x);
  return probeModel(where, fn, x);
}

/**
 * Per-example seeded noise, identical whatever the chunking: example i of restart r draws from
 * Rng(seedFor(seed, tag, r, i)). kind 'uniform' gives U[-1, 1), 'normal' N(0, 1).
 */
export function seededNoise(shape: number[], ids: number[], seed: number, tag: string, restart: number, kind: 'uniform' | 'normal'): tf.Tensor {
  const d = shape.slice(1).reduce((a, b) => a * b, 1);
  const buf = new Float32Array(ids.length * d);
  ids.forEach((id, k) => {
    const rng = new Rng(seedFor(seed, tag, restart, id));
    const v = kind === 'uniform' ? rng.uniforms(d, -1, 1) : rng.normals(d);
    buf.set(v, k * d);
  });
  return tf.tensor(buf, [ids.length, ...shape.slice(1)]);
}

/** Concatenate chunk tensors along the batch and dispose the parts. */
export function concatRows(parts: tf.Tensor[]): tf.Tensor {
  if (parts.length === 1) return parts[0];
  const out = tf.concat(parts, 0);
  parts.forEach((p) => p.dispose());
  return out;
}

/**
 * Run a per-chunk attack over the batch: slices x, the labels and the mask per chunk (a label or
 * mask tensor broadcast over the batch is passed whole), collects each chunk's xAdv into one tensor
 * and its per-example arrays in order, and disposes the slices. The caller owns and disposes `lab`.
 */
export function attackInChunks<K extends string>(
  x: tf.Tensor,
  lab: tf.Tensor,
  mask: tf.Tensor | undefined,
  batchSize: number | undefined,
  run: (xs: tf.Tensor, ls: tf.Tensor, ms: tf.Tensor | undefined) => { xAdv: tf.Tensor } & Record<K, number[] | boolean[]>,
  keys: readonly K[],
): { xAdv: tf.Tensor } & Record<K, any[]> {
  const n = x.shape[0];
  const parts: tf.Tensor[] = [];
  const acc = Object.fromEntries(keys.map((k) => [k, [] as unknown[]])) as Record<K, any[]>;
  try {
    for (const [s, e] of chunkRanges(n, batchSize)) {
      const xs = x.slice(s, e - s);
      const ls = batchRows(lab, s, e, n, lab.rank);
      const ms = mask ? batchRows(mask, s, e, n, x.rank) : undefined;
      try {
        const r = run(xs, ls, ms);
        parts.push(r.xAdv);
        for (const k of keys) acc[k].push(...(r[k] as unknown[]));
      } finally {
        tf.dispose([xs, ...(ls !== lab ? [ls] : []), ...(ms && ms !== mask ? [ms] : [])]);
      }
    }
  } catch (e) {
    tf.dispose(parts);
    throw e;
  }
  return { xAdv: concatRows(parts), ...acc };
}

/** The decision threshold on a binary (bce) model's probability: `threshold` ?? 0.5, in (0, 1). */
export function resolveThreshold(where: string, threshold: number | undefined): number {
  const t = threshold ?? 0.5;
  if (!(t > 0 && t < 1)) throw new Error(`${where}: threshold must lie in (0, 1), got ${t}.`);
  return t;
}

/** A classification loss name: 'ce' (softmax cross-entropy, the default) or 'bce' (one logit). */
export function resolveClassLoss(where: string, loss: unknown): 'ce' | 'bce' {
  const l = loss ?? 'ce';
  if (l !== 'ce' && l !== 'bce') throw new Error(`${where}: loss must be 'ce' or 'bce', got ${JSON.stringify(l)}.`);
  return l;
}

/** A per-example list of budgets from a number or an array of length n. */
export function perExampleList(where: string, name: string, v: number | number[], n: number, allowZero = true): number[] {
  const arr = Array.isArray(v) ? v : new Array(n).fill(v);
  if (arr.length !== n) throw new Error(`${where}: ${name} has ${arr.length} entries for ${n} examples.`);
  arr.forEach((e) => positiveNumber(where, name, e, allowZero));
  return arr;
}

/** A manual Adam state on one tensor (PyTorch defaults, eps 1e-8): returns the step lr * mhat / (sqrt(vhat) + eps). */
export class Adam {
  private m: tf.Tensor | null = null;
  private v: tf.Tensor | null = null;
  private t = 0;
  constructor(private readonly lr: number | tf.Tensor, private readonly b1 = 0.9, private readonly b2 = 0.999, private readonly eps = 1e-8) {}

  step(g: tf.Tensor): tf.Tensor {
    this.t += 1;
    const [m, v, upd] = tf.tidy(() => {
      const m = this.m ? this.m.mul(this.b1).add(g.mul(1 - this.b1)) : g.mul(1 - this.b1);
      const v = this.v ? this.v.mul(this.b2).add(g.square().mul(1 - this.b2)) : g.square().mul(1 - this.b2);
      const mhat = m.div(1 - Math.pow(this.b1, this.t));
      const vhat = v.div(1 - Math.pow(this.b2, this.t));
      return [m, v, mhat.div(vhat.sqrt().add(this.eps)).mul(this.lr)];
    });
    this.m?.dispose();
    this.v?.dispose();
    // the state outlives any tidy the caller runs step() in
    this.m = tf.keep(m);
    this.v = tf.keep(v);
    return upd;
  }

  /** Reset to the initial state (used between C&W binary-search rounds). */
  reset(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.m = this.v = null;
    this.t = 0;
  }

  dispose(): void {
    this.reset();
  }
}

/** Row-wise select: rows of a where cond [N] is true, else rows of b. */
export function whereRows(cond: tf.Tensor, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.where(perExample(cond.cast('bool'), a.rank).tile([1, ...a.shape.slice(1)]), a, b));
}

/**
 * Run f inside a gradient computation and also return the auxiliary tensors it hands to `keep`
 * (one forward and backward pass gives the gradient and the outputs at the current point).
 */
export function gradWithAux<A extends Record<string, tf.Tensor>>(
  f: (v: tf.Tensor, keep: (aux: A) => void) => tf.Scalar,
  v: tf.Tensor,
): { grad: tf.Tensor; aux: A } {
  let aux: A | null = null;
  const grad = tf.grad((t: tf.Tensor) =>
    f(t, (a) => {
      for (const k of Object.keys(a)) tf.keep(a[k]);
      aux = a;
    }),
  )(v);
  if (!aux) throw new Error('gradWithAux: f did not hand its auxiliary tensors to keep.');
  return { grad, aux };
}
