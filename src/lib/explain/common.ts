/**
 * Shared plumbing for the attribution methods: the Attribution type, target and baseline
 * checks, per-row target gradients, batched forward passes and the batched path integral that
 * Integrated Gradients and BIG share. Not part of the public surface except the types.
 */
import * as tf from '@tensorflow/tfjs';
import { assertFinite, checkOptions, ModelFn, outputCount, outputs2d, positiveInt, sameShape, checkInput, checkedModel, Model } from '../engine';

/**
 * What every attribution method returns (conventions.md #3). `map` is shaped like `x` and owned
 * by the caller (dispose it). Path methods add `gap`: per example,
 * sum(map) - (f(x)[target] - f(baseline)[target]).
 */
export interface Attribution {
  map: tf.Tensor;
  gap?: number[];
}

/** Options every method accepts: the class index per example (or one for all) and a baseline. */
export interface TargetOptions {
  /** Class index into the model's output (0 for a single-output model); one number or one per example. */
  target: number | number[];
}

/** A baseline: a number (constant input), a tensor shaped like x, or like one example (shared). */
export type Baseline = number | tf.Tensor;

/** The one signature (conventions.md #3): (model, x, {target, ...}) => Promise<Attribution>. */
export type AttributionMethod<O extends TargetOptions = TargetOptions, A extends Attribution = Attribution> = (
  model: import('../engine').Model,
  x: tf.Tensor,
  options: O,
) => Promise<A>;

/** Default rows per forward/backward pass when an option `batchSize` is not given. */
export const DEFAULT_BATCH = 64;

/** checkOptions plus the presence of `target`. */
export function checkMethodOptions(where: string, options: object | undefined, known: readonly string[]): void {
  if (!options || typeof options !== 'object') throw new Error(`${where}: options object with a target is required.`);
  checkOptions(where, options, known);
  if (!('target' in options) || (options as { target?: unknown }).target === undefined) {
    throw new Error(`${where}: option "target" is required (class index, 0 for a single-output model).`);
  }
}

/**
 * The first checks of every attribution method: the options (known keys, target given), then x
 * (a finite float32 batch of rank >= 2).
 */
export function checkMethodInput(where: string, options: object | undefined, known: readonly string[], x: tf.Tensor): void {
  checkMethodOptions(where, options, known);
  checkInput(where, x);
}

/**
 * The model as a checked function (one output tensor keeping the batch; errors name the method)
 * and one validated target class per example.
 */
export function modelAndTargets(where: string, model: Model, x: tf.Tensor, target: number | number[]): { fn: ModelFn; targets: number[] } {
  const fn = checkedModel(where, model);
  return { fn, targets: targetsFor(where, fn, x, target) };
}

/**
 * Normalise `target` to one validated class index per example. Checks integers, the batch length
 * and the range against the model's output size (nOut, from engine's `outputCount`).
 */
export function resolveTargets(where: string, target: number | number[], batch: number, nOut: number): number[] {
  const t = typeof target === 'number' ? new Array<number>(batch).fill(target) : Array.from(target);
  if (t.length !== batch) throw new Error(`${where}: target has ${t.length} entries but x has ${batch} examples.`);
  for (const v of t) {
    if (!Number.isInteger(v)) throw new Error(`${where}: target must be integer class indices; got ${v}.`);
    if (v < 0 || v >= nOut) {
      throw new Error(`${where}: target ${v} is out of range: the model has ${nOut} output${nOut === 1 ? '' : 's'} (valid 0..${nOut - 1}).`);
    }
  }
  return t;
}

/** Both steps in one: forward the first example for the output size, then resolveTargets. */
export function targetsFor(where: string, fn: ModelFn, x: tf.Tensor, target: number | number[]): number[] {
  return resolveTargets(where, target, x.shape[0], outputCount(where, fn, x));
}

/**
 * A reference input shaped like x (caller disposes): a number fills x's shape; a tensor must be
 * shaped like x or like one example (then shared by every example). Checks finiteness.
 */
export function resolveBaseline(where: string, x: tf.Tensor, baseline: Baseline | undefined, what = 'baseline'): tf.Tensor {
  if (baseline === undefined) return tf.zerosLike(x);
  if (typeof baseline === 'number') {
    if (!Number.isFinite(baseline)) throw new Error(`${where}: ${what} must be finite; got ${baseline}.`);
    return tf.fill(x.shape, baseline);
  }
  if (!(baseline instanceof tf.Tensor)) throw new Error(`${where}: ${what} must be a number or a tf.Tensor.`);
  const same = sameShape(baseline.shape, x.shape);
  const perExample = sameShape(baseline.shape, x.shape.slice(1));
  if (!same && !perExample) {
    throw new Error(
      `${where}: ${what} shape [${baseline.shape}] does not match x [${x.shape}] (or one example [${x.shape.slice(1)}]).`,
    );
  }
  assertFinite(where, baseline, what);
  return same ? baseline.clone() : tf.tidy(() => tf.broadcastTo(baseline.toFloat().expandDims(0), x.shape));
}

/** Rows of the target column: y[i, targets[i]] for a [rows, outputs] tensor. */
export function pickTargets(y2d: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  const mask = tf.equal(tf.range(0, y2d.shape[1], 1, 'int32').expandDims(0), targets.expandDims(1));
  return tf.sum(tf.mul(y2d, mask.toFloat()), 1) as tf.Tensor1D;
}

/** Gradient of sum_i f(x)[i, targets[i]] with respect to x (one backward pass, call inside tidy). */
export function targetGrad(fn: ModelFn, x: tf.Tensor, targets: number[]): tf.Tensor {
  const t = tf.tensor1d(targets, 'int32');
  return tf.grad((xx: tf.Tensor) => tf.sum(pickTargets(outputs2d(fn(xx)), t)))(x);
}

/** Repeat a per-example list k times: [a, b] x2 -> [a, b, a, b] (row r = copy * B + example). */
export function tileList<T>(xs: readonly T[], k: number): T[] {
  const out: T[] = [];
  for (let c = 0; c < k; c++) out.push(...xs);
  return out;
}

/**
 * f(x)[row, targets[row]] for every row, in chunks of batchSize rows; one read-back at the end.
 */
export async function forwardTargets(fn: ModelFn, x: tf.Tensor, targets: number[], batchSize: number): Promise<Float32Array> {
  const n = x.shape[0];
  const parts: tf.Tensor[] = [];
  try {
    for (let i = 0; i < n; i += batchSize) {
      const k = Math.min(batchSize, n - i);
      parts.push(
        tf.tidy(() => pickTargets(outputs2d(fn(x.slice(i, k))), tf.tensor1d(targets.slice(i, i + k), 'int32'))),
      );
    }
    const all = parts.length === 1 ? parts[0] : tf.concat(parts);
    const out = (await all.data()) as Float32Array;
    if (all !== parts[0]) all.dispose();
    return out;
  } finally {
    parts.forEach((p) => p.dispose()); // also when the model throws in a later chunk
  }
}

/** Per-example sums of a batch tensor ([B, ...] -> number[B]). */
export async function perExampleSum(t: tf.Tensor): Promise<number[]> {
  const s = tf.tidy(() => t.reshape([t.shape[0], -1]).sum(1));
  const v = Array.from(await s.data());
  s.dispose();
  return v;
}

/**
 * The weighted path integral shared by IG and BIG on the straight line from baseline to x:
 * returns sum_k weights[k] * grad f_target(baseline + alphas[k] * (x - baseline)), shaped like x.
 * Points are evaluated in chunks of at most batchSize rows (several alphas per chunk; the examples
 * in slices when there are more than batchSize).
 */
export function straightPathGradients(
  fn: ModelFn,
  x: tf.Tensor,
  baseline: tf.Tensor,
  targets: number[],
  alphas: number[],
  weights: number[],
  batchSize: number,
): tf.Tensor {
  const B = x.shape[0];
  if (B > batchSize) {
    // more examples than rows per pass: the examples in slices (each example's sum is unchanged)
    const parts: tf.Tensor[] = [];
    try {
      for (let i = 0; i < B; i += batchSize) {
        const k = Math.min(batchSize, B - i);
        const [xs, bs] = [x.slice(i, k), baseline.slice(i, k)];
        try {
          parts.push(straightPathGradients(fn, xs, bs, targets.slice(i, i + k), alphas, weights, batchSize));
        } finally {
          tf.dispose([xs, bs]);
        }
      }
      return tf.concat(parts);
    } finally {
      tf.dispose(parts);
    }
  }
  const rest = x.shape.slice(1);
  const ones = rest.map(() => 1);
  const perChunk = Math.max(1, Math.floor(batchSize / B));
  let acc = tf.zerosLike(x);
  try {
    for (let i = 0; i < alphas.length; i += perChunk) {
      const a = alphas.slice(i, i + perChunk);
      const w = weights.slice(i, i + perChunk);
      const next = tf.tidy(() => {
        const k = a.length;
        const aT = tf.tensor1d(a).reshape([k, 1, ...ones]);
        const wT = tf.tensor1d(w).reshape([k, 1, ...ones]);
        // x(alpha) = x' + alpha (x - x')
        const pts = baseline.expandDims(0).add(aT.mul(x.sub(baseline).expandDims(0))).reshape([k * B, ...rest]);
        const g = targetGrad(fn, pts, tileList(targets, k)).reshape([k, B, ...rest]);
        return acc.add(g.mul(wT).sum(0));
      });
      acc.dispose();
      acc = next;
    }
  } catch (e) {
    acc.dispose(); // the model threw part-way (error path, issue 21)
    throw e;
  }
  return acc;
}

/** Quadrature nodes and weights on [0, 1] with `steps` intervals. */
export function pathRule(where: string, steps: number, rule: string): { alphas: number[]; weights: number[] } {
  positiveInt(where, 'steps', steps);
  const alphas: number[] = [];
  const weights: number[] = [];
  if (rule === 'riemann') {
    // right Riemann sum, as in Sundararajan et al. eq. (3): (1/m) sum_{k=1..m} grad(x' + k/m (x - x'))
    for (let k = 1; k <= steps; k++) {
      alphas.push(k / steps);
      weights.push(1 / steps);
    }
  } else if (rule === 'trapezoid') {
    // (1/m) [g_0 / 2 + g_1 + ... + g_{m-1} + g_m / 2]
    for (let k = 0; k <= steps; k++) {
      alphas.push(k / steps);
      weights.push(k === 0 || k === steps ? 0.5 / steps : 1 / steps);
    }
  } else {
    throw new Error(`${where}: unknown rule "${rule}"; use 'riemann' or 'trapezoid'.`);
  }
  return { alphas, weights };
}

/**
 * Completeness gap per example: sum(map) - (f(x)[t] - f(baseline)[t]).
 */
export async function completenessGap(
  fn: ModelFn,
  x: tf.Tensor,
  baseline: tf.Tensor,
  map: tf.Tensor,
  targets: number[],
  batchSize: number,
): Promise<number[]> {
  const both = tf.concat([x, baseline]);
  let f: Float32Array;
  try {
    f = await forwardTargets(fn, both, tileList(targets, 2), batchSize);
  } finally {
    both.dispose();
  }
  const sums = await perExampleSum(map);
  const B = x.shape[0];
  return sums.map((s, i) => s - (f[i] - f[B + i]));
}
