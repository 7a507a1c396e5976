/** Shared test helpers: engine start-up, finite differences, closeness, leak checks, child processes. */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
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

/**
 * A guard against hangs, never a timing assertion: resolves with p, or rejects once guardMs pass
 * (default 15 min, far beyond any normal run on a loaded machine) naming what hung.
 */
export async function within<T>(what: string, p: Promise<T>, guardMs = 15 * 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: did not finish within ${guardMs / 1000} s (hung?)`)), guardMs);
  });
  try {
    return await Promise.race([p, guard]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the guard killed the child. */
  hung: boolean;
}

/**
 * Run `node <args>` (with tsx loaded, so .ts files run) from the project root, asynchronously (the
 * test's event loop keeps running), killing it only after a generous guard (default 15 min): a slow
 * start on a busy machine passes, a real hang fails with hung = true.
 */
export function runChild(args: string[], options: { env?: NodeJS.ProcessEnv; guardMs?: number; tsx?: boolean } = {}): Promise<ChildResult> {
  const argv = options.tsx === false ? args : ['--import', 'tsx', ...args];
  const child = spawn(process.execPath, argv, { cwd: join(__dirname, '..'), env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, options.guardMs ?? 15 * 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, hung });
    });
  });
}
