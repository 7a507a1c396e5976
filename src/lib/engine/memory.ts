/**
 * A memory budget for batched tensor work. On wasm every tensor lives in one heap; a batch whose
 * tensors outgrow it fails with "memory access out of bounds" and leaves the backend aborted for
 * the whole process (every later op throws "Aborted()"). So batched methods estimate what a batch
 * needs and shrink it under the budget, or refuse with a clear message, before calling the backend.
 *
 * Budget: ROBUSTLENS_MEMORY_MB (MiB), default 1024 (wasm32's heap is 4 GiB at most, shared with
 * the models, the data and tfjs' own copies).
 *
 * Every method that batches model calls (explain, metrics, attacks, train.evaluate) asks
 * rowsPerPass for its rows per pass: the user's batchSize (or the whole batch), lowered so that
 * rows x (bytes per row of one forward or backward pass) fits the budget. Bytes per row: analytic for
 * a tf.LayersModel's forward pass (input plus every layer output), measured on one probe row
 * otherwise (a plain function, or any backward pass). Chunking changes no result: the rows of a
 * pass are independent, and sums over chunks only change their order (tests: 1e-6).
 *
 * @example
 *   const rows = rowsPerPass('saliency', model, x, batchSize, 'backward');   // <= batchSize
 */
import * as tf from '@tensorflow/tfjs';
import { checkedModel, probeModel } from './validate';
import type { Model } from './model';

/** The budget in bytes (ROBUSTLENS_MEMORY_MB, default 1024 MiB). */
export function memoryBudgetBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = (env.ROBUSTLENS_MEMORY_MB ?? '').trim();
  if (raw === '') return 1024 * 2 ** 20;
  const mb = Number(raw);
  if (!(Number.isFinite(mb) && mb > 0)) throw new Error(`ROBUSTLENS_MEMORY_MB="${env.ROBUSTLENS_MEMORY_MB}" is not a positive number of MiB.`);
  return mb * 2 ** 20;
}

/**
 * Bytes one example needs in a forward pass of a tf.LayersModel (float32): its input plus every
 * layer's output, all alive until the pass's scope ends. null for a plain function (unknown).
 */
export function bytesPerRow(model: Model, rowShape: readonly number[]): number | null {
  if (!(model instanceof tf.LayersModel)) return null;
  let elements = rowShape.reduce((a, b) => a * b, 1);
  for (const layer of model.layers) {
    const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as (number | null)[][];
    for (const s of shapes) elements += s.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
  }
  return 4 * elements;
}

/** Which pass a batched call makes: a forward pass, or a forward pass plus a backward pass for input gradients. */
export type Pass = 'forward' | 'backward';

const measured = new WeakMap<object, Map<string, number>>();

/**
 * Peak bytes the backend allocates while `run` executes (tensors created and kept at any kernel
 * boundary, relative to the start), measured synchronously with the engine's profiling switch (the
 * same bookkeeping as tf.profile, without its await). 0 if no kernel ran.
 */
function peakBytesDuring(run: () => void): number {
  const state = (tf.engine() as unknown as { state?: { profiling: boolean; numBytes: number; activeProfile?: { kernels: { totalBytesSnapshot: number }[] } } }).state;
  if (!state || !state.activeProfile || !Array.isArray(state.activeProfile.kernels)) {
    throw new Error('engine/memory: this tfjs version does not expose its profiling state; cannot measure a probe.');
  }
  const wasProfiling = state.profiling;
  const saved = state.activeProfile.kernels;
  const start = state.numBytes;
  state.activeProfile.kernels = [];
  state.profiling = true;
  try {
    run();
    let peak = start;
    for (const k of state.activeProfile.kernels) peak = Math.max(peak, k.totalBytesSnapshot);
    return peak - start;
  } finally {
    state.profiling = wasProfiling;
    state.activeProfile.kernels = saved;
  }
}

/**
 * Bytes one example needs in one batched pass of `model` on rows shaped like x's (float32).
 * - forward on a tf.LayersModel: bytesPerRow (input plus every layer output; no call made).
 * - otherwise (a plain function, whose layers are unknown, or any backward pass): measured on one
 *   probe row, the input row plus the peak the backend allocates during fn(row), or during
 *   d sum(fn(row)) / d row for 'backward' (the tape's activations plus the gradients). Linear
 *   scaling from one row is conservative: fixed costs (constants a function makes) count per row.
 *   For a LayersModel the analytic forward estimate is checked against the budget first, so a row
 *   that cannot fit is refused before the probe reaches the backend. Measurements are cached per
 *   model, row shape and pass.
 */
export function passBytesPerRow(where: string, model: Model, x: tf.Tensor, pass: Pass, budget = memoryBudgetBytes()): number {
  const rowShape = x.shape.slice(1);
  if (model instanceof tf.LayersModel) {
    const fwd = bytesPerRow(model, rowShape) as number;
    if (fwd > budget) overBudget(where, fwd, budget, 'forward');
    if (pass === 'forward') return fwd;
  }
  const key = `${pass}:${rowShape.join('x')}`;
  let byModel = measured.get(model);
  const hit = byModel?.get(key);
  if (hit !== undefined) return hit;
  const fn = checkedModel(where, model);
  probeModel(where, fn, x); // model mistakes (shape, outputs) named like the method's own checks, with x's shape
  const row = x.slice(0, 1);
  let peak: number;
  try {
    peak = peakBytesDuring(() =>
      tf.tidy(() => {
        if (pass === 'forward') fn(row);
        else tf.grad((r: tf.Tensor) => tf.sum(fn(r)))(row);
      }),
    );
  } finally {
    row.dispose();
  }
  const bytes = 4 * rowShape.reduce((a, b) => a * b, 1) + peak;
  if (!byModel) measured.set(model, (byModel = new Map()));
  byModel.set(key, bytes);
  return bytes;
}

function overBudget(where: string, per: number, budget: number, pass: Pass): never {
  throw new Error(
    `${where}: one example needs about ${(per / 2 ** 20).toFixed(1)} MiB in a ${pass} pass, more than the memory budget ` +
      `of ${(budget / 2 ** 20).toFixed(1)} MiB (ROBUSTLENS_MEMORY_MB); use a smaller input or model, or raise ROBUSTLENS_MEMORY_MB.`,
  );
}

/**
 * Rows per batched pass for `where`: `requested` (the user's batchSize, or the whole batch),
 * lowered so that rows * (passBytesPerRow + extraBytesPerRow: what the method itself builds per
 * row, e.g. masked copies) stays within the budget; an error naming `where`, the estimate and the
 * budget, before the batched call, when one row does not fit.
 *
 * @example
 *   const rows = rowsPerPass('integratedGradients', model, x, batchSize, 'backward');
 */
export function rowsPerPass(
  where: string,
  model: Model,
  x: tf.Tensor,
  requested: number,
  pass: Pass,
  options: { budget?: number; extraBytesPerRow?: number } = {},
): number {
  const { budget = memoryBudgetBytes(), extraBytesPerRow = 0 } = options;
  if (!Number.isInteger(requested) || requested < 1) throw new Error(`${where}: batchSize must be a positive integer, got ${requested}.`);
  const per = passBytesPerRow(where, model, x, pass, budget) + extraBytesPerRow;
  const fit = Math.floor(budget / Math.max(per, 1));
  if (fit < 1) overBudget(where, per, budget, pass);
  return Math.max(1, Math.min(requested, fit));
}
