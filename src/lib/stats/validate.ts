/** Input checks shared by the statistics: numbers in, clear errors out. */
import * as tf from '@tensorflow/tfjs';

/** A sample: a plain array, a typed array or a (1-D or any-rank, read flat) tf.Tensor. */
export type Sample = ArrayLike<number> | tf.Tensor;

/** Copy a sample to a Float64Array; throw on empty input or NaN/Infinity (naming the position). */
export function toNumbers(where: string, values: Sample, what = 'values', minLength = 1): Float64Array {
  if (values === null || values === undefined) throw new Error(`${where}: ${what} is missing.`);
  const src: ArrayLike<number> = values instanceof tf.Tensor ? values.dataSync() : values;
  if (typeof src.length !== 'number') throw new Error(`${where}: ${what} must be an array of numbers or a tf.Tensor.`);
  if (src.length < minLength) {
    throw new Error(`${where}: ${what} needs at least ${minLength} value(s), got ${src.length} (empty input?).`);
  }
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${where}: ${what}[${i}] is ${v}; every value must be a finite number (NaN/Infinity are not allowed).`);
    }
    out[i] = v;
  }
  return out;
}

/** Two samples of equal length (paired data). */
export function toPaired(where: string, a: Sample, b: Sample, minLength = 1): [Float64Array, Float64Array] {
  const x = toNumbers(where, a, 'a', minLength);
  const y = toNumbers(where, b, 'b', minLength);
  if (x.length !== y.length) throw new Error(`${where}: length mismatch, a has ${x.length} values and b has ${y.length}; paired samples must have equal length.`);
  return [x, y];
}

/** Throw unless p lies in the open interval (0, 1) (or closed, if allowed). */
export function checkProbability(where: string, p: number, what = 'p', closed = false): void {
  const ok = Number.isFinite(p) && (closed ? p >= 0 && p <= 1 : p > 0 && p < 1);
  if (!ok) throw new Error(`${where}: ${what} must be in ${closed ? '[0, 1]' : '(0, 1)'}, got ${p}.`);
}
