/**
 * Input, model and option checks, written once for attacks, explain, metrics and train: every
 * error names the calling method (`where`) and says what to change.
 *
 * @example
 *   checkOptions(where, options, KNOWN);
 *   checkInput(where, x);                 // tf.Tensor, batch first, non-empty, float32, finite
 *   const fn = checkedModel(where, model); // one output tensor, batch kept, clear error on a wrong input shape
 *   const nOut = outputCount(where, fn, x);
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, Model, ModelFn } from './model';

/** Throw a clear error naming the option if `options` holds a key not in `known`. */
export function checkOptions(where: string, options: object | undefined, known: readonly string[]): void {
  if (!options) return;
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) {
      throw new Error(`${where}: unknown option "${k}". Known options: ${known.join(', ')}.`);
    }
  }
}

/** Throw if a tensor holds NaN or Infinity (reads it back: use outside inner loops). */
export function assertFinite(where: string, t: tf.Tensor, what = 'input'): void {
  const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(t)).any().dataSync()[0]);
  if (bad) throw new Error(`${where}: ${what} contains NaN or Infinity; clean the data (or lower the step size) and retry.`);
}

/**
 * x must be a tf.Tensor batch [batch, ...example] of rank >= 2, non-empty and float32 (an int or
 * bool tensor is an error naming the fix, not a kernel dtype error later). No read-back.
 */
export function checkInputShape(where: string, x: unknown, what = 'x'): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor)) throw new Error(`${where}: ${what} must be a tf.Tensor with the batch first, got ${typeof x}.`);
  if (x.rank < 2) throw new Error(`${where}: ${what} must be a batch of rank >= 2 (the batch dimension first, then at least one feature dimension), got shape [${x.shape}].`);
  if (x.shape[0] === 0) throw new Error(`${where}: ${what} is an empty batch.`);
  if (x.dtype !== 'float32') throw new Error(`${where}: ${what} must be float32, got ${x.dtype}; convert it with ${what}.toFloat().`);
}

/** checkInputShape, and x must be finite (one read-back). */
export function checkInput(where: string, x: unknown, what = 'x'): asserts x is tf.Tensor {
  checkInputShape(where, x, what);
  assertFinite(where, x, what);
}

/** The one check of a model's output for a batch of n rows: one tf.Tensor that keeps the batch first. */
function checkOutput(where: string, out: unknown, n: number): asserts out is tf.Tensor {
  if (Array.isArray(out)) {
    throw new Error(
      `${where}: the model returned ${out.length} outputs (a multi-output model); it must return one tf.Tensor: pass (x) => model.apply(x)[k] for the output k to use.`,
    );
  }
  if (!(out instanceof tf.Tensor)) throw new Error(`${where}: the model must return one tf.Tensor.`);
  if (out.rank < 1 || out.shape[0] !== n) {
    throw new Error(`${where}: the model returned shape [${out.shape}] for a batch of ${n}; it must keep the batch dimension first.`);
  }
}

/** The model threw on an input: the error names the method and keeps the model's own error as `modelError`. */
class ModelCallError extends Error {
  constructor(where: string, x: tf.Tensor, readonly modelError: unknown) {
    super(
      `${where}: the model could not be applied to x of shape [${x.shape}] (${(modelError as Error)?.message}). Check the input shape the model expects.`,
    );
  }
}

/**
 * A Model as a function whose every call is checked (shapes only, no read-back): an input the
 * model cannot take, a multi-output model, or an output without the batch dimension is an error
 * naming the calling method.
 */
export function checkedModel(where: string, model: Model): ModelFn {
  let fn: ModelFn;
  try {
    fn = asFn(model);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  return (x: tf.Tensor) => {
    let out: unknown;
    try {
      out = fn(x);
    } catch (e) {
      throw new ModelCallError(where, x, e);
    }
    checkOutput(where, out, x.shape[0]);
    return out;
  };
}

/**
 * Apply the model to the first (up to two) examples and return the per-example output shape; a
 * model that cannot take x, returns several tensors, or does not keep the batch dimension is a
 * clear error.
 */
export function probeModel(where: string, fn: ModelFn, x: tf.Tensor): number[] {
  return tf.tidy(() => {
    let out: unknown;
    const first = x.slice(0, Math.min(2, x.shape[0]));
    try {
      out = fn(first);
    } catch (e) {
      // the model's own error (unwrapped if checkedModel named the probe's slice), with x's shape
      throw new ModelCallError(where, x, e instanceof ModelCallError ? e.modelError : e);
    }
    checkOutput(where, out, first.shape[0]);
    return out.shape.slice(1);
  }) as unknown as number[];
}

/** Number of model outputs per example (the product of the per-example output shape; 1 for [N]). */
export function outputCount(where: string, fn: ModelFn, x: tf.Tensor): number {
  return probeModel(where, fn, x).reduce((a, b) => a * b, 1);
}

/** Model outputs as [N, C]: [N] -> [N, 1], [N, ...] -> [N, prod(...)]. */
export function outputs2d(y: tf.Tensor): tf.Tensor2D {
  if (y.rank === 1) return y.reshape([y.shape[0], 1]);
  if (y.rank === 2) return y as tf.Tensor2D;
  return y.reshape([y.shape[0], -1]);
}

/** A positive integer option (returned for use in an expression). */
export function positiveInt(where: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${where}: ${name} must be a positive integer, got ${v}.`);
  return v;
}

/** A positive (or, with allowZero, non-negative) finite number option. */
export function positiveNumber(where: string, name: string, v: number, allowZero = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new Error(`${where}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number, got ${v}.`);
  }
  return v;
}

/**
 * Several numeric options in one call, checked in the order given:
 * `checkNumbers(where, { steps: [plan.steps, 'int'], lr: [plan.lr, 'positive'], c: [plan.c, 'nonNegative'] })`.
 */
export function checkNumbers(where: string, spec: Record<string, [number, 'int' | 'positive' | 'nonNegative']>): void {
  for (const [name, [v, kind]] of Object.entries(spec)) {
    if (kind === 'int') positiveInt(where, name, v);
    else positiveNumber(where, name, v, kind === 'nonNegative');
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Check a name that becomes one file or folder name (a figure, result table, audio clip, model):
 * letters, digits, '.', '_' and '-', starting with a letter or digit (so never '..', a hidden file
 * or a path). Returns the name.
 */
export function checkName(where: string, name: unknown, what = 'name'): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new Error(`${where}: ${what} "${name}" must use only letters, digits, '.', '_' and '-', starting with a letter or digit (it becomes a file or folder name).`);
  }
  return name;
}
