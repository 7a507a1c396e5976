/**
 * Shared by the memory-budget tests (issue 21 item 4): a plain-function model that records the rows
 * of every call and can throw on a chosen call, and a scope that sets ROBUSTLENS_MEMORY_MB.
 */
import * as tf from '@tensorflow/tfjs';

/** f(x) = 2 tanh(x W) with W [d, c] = scale sin(1.3 i + 0.4): records each call's rows; failOn(k) throws on the k-th next call. */
export function spyModel(d: number, c: number, scale = 1) {
  const W = tf.tensor2d(Array.from({ length: d * c }, (_, i) => Math.sin(1.3 * i + 0.4) * scale), [d, c]);
  const calls: number[] = [];
  let failAt = Infinity;
  const f = (x: tf.Tensor) => {
    calls.push(x.shape[0]);
    if (calls.length === failAt) throw new Error('model failed on purpose');
    return tf.tanh(tf.matMul(x as tf.Tensor2D, W)).mul(2);
  };
  return { f, calls, W, failOn: (k: number) => (failAt = calls.length + k) };
}

/** Run with ROBUSTLENS_MEMORY_MB = mb (undefined: unset), restoring the previous value afterwards, also on error. */
export async function withBudget<T>(mb: number | undefined, run: () => Promise<T> | T): Promise<T> {
  const old = process.env.ROBUSTLENS_MEMORY_MB;
  if (mb === undefined) delete process.env.ROBUSTLENS_MEMORY_MB;
  else process.env.ROBUSTLENS_MEMORY_MB = String(mb);
  try {
    return await run();
  } finally {
    if (old === undefined) delete process.env.ROBUSTLENS_MEMORY_MB;
    else process.env.ROBUSTLENS_MEMORY_MB = old;
  }
}
