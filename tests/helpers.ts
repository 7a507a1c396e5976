/** Shared test helpers: engine start-up, finite differences, closeness, leak checks. */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { ready } from '../src/lib/engine';

/** Start the engine (default choice: wasm here); call in before(). */
export async function setup(): Promise<string> {
  return ready();
}

/** Central finite-difference gradient of a scalar function f at x (float64 in JS). */
export function finiteDiff(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, h = 1e-2): Float32Array {
  const base = x.dataSync().slice() as Float32Array;
  const g = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const plus = base.slice();
    plus[i] += h;
    const minus = base.slice();
    minus[i] -= h;
    const fp = tf.tidy(() => f(tf.tensor(plus, x.shape)).dataSync()[0]);
    const fm = tf.tidy(() => f(tf.tensor(minus, x.shape)).dataSync()[0]);
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** Max relative error |a-b| / max(1, |b|)-style, with a floor to avoid dividing by ~0. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  assert.equal(a.length, b.length, 'length mismatch');
  let scale = floor;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / scale);
  return m;
}

export function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, msg = ''): void {
  const e = maxRelErr(a, b);
  assert.ok(e <= tol, `${msg} max relative error ${e} > ${tol}`);
}

/** Run fn and assert it leaves tf.memory().numTensors unchanged. */
export async function noLeak<T>(fn: () => Promise<T> | T): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  const after = tf.memory().numTensors;
  assert.equal(after, before, `tensor leak: ${after - before} tensors left behind`);
  return out;
}

/** Run fn on a given backend, then switch back. */
export async function onBackend<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const prev = tf.getBackend();
  await tf.setBackend(name);
  try {
    return await fn();
  } finally {
    await tf.setBackend(prev);
  }
}
