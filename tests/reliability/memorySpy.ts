/**
 * Shared by the memory-budget tests (issue 21 item 4): a plain-function model that records the rows
 * of every call and can throw on a chosen call, and a scope that sets ROBUSTLENS_MEMORY_MB.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { noLeak } from '../helpers';

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

/**
 * The error paths of a budgeted method: with `chunkMb` (a budget of a few rows) a model error on the
 * `failAt`-th next call rejects with that error and leaks nothing; with half a row's budget the call
 * is refused naming `name`, the pass, the estimate and the budget (and `refusal`, if given, after
 * it), leaks nothing, and only probe/check rows (<= 2) reach the model.
 */
export async function assertErrorPaths(
  spy: ReturnType<typeof spyModel>,
  o: { name: string; pass: string; per: number; chunkMb: number; failAt: number; call: () => Promise<unknown>; refusal?: string },
): Promise<void> {
  await withBudget(o.chunkMb, () =>
    noLeak(async () => {
      spy.failOn(o.failAt);
      await assert.rejects(o.call(), /model failed on purpose/);
    }),
  );
  spy.failOn(Infinity);
  const before = spy.calls.length;
  const message = new RegExp(
    `^Error: ${o.name}: one example needs about [0-9.]+ MiB in a ${o.pass} pass, more than the memory budget of [0-9.]+ MiB \\(ROBUSTLENS_MEMORY_MB\\)${o.refusal ?? ''}`,
  );
  await withBudget((0.5 * o.per) / 2 ** 20, () => noLeak(() => assert.rejects(o.call(), message)));
  assert.ok(spy.calls.slice(before).every((r) => r <= 2), `only probes/checks reached the model before the refusal: ${spy.calls.slice(before)}`);
}
