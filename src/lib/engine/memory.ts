/**
 * A memory budget for batched tensor work. On wasm every tensor lives in one heap; a batch whose
 * tensors outgrow it fails with "memory access out of bounds" and leaves the backend aborted for
 * the whole process (every later op throws "Aborted()"). So batched methods estimate what a batch
 * needs and shrink it under the budget, or refuse with a clear message, before calling the backend.
 *
 * Budget: ROBUSTLENS_MEMORY_MB (MiB), default 1024 (wasm32's heap is 4 GiB at most, shared with
 * the models, the data and tfjs' own copies).
 *
 * @example
 *   const rows = rowsWithinBudget('lime', model, x.shape.slice(1), batchSize);   // <= batchSize
 */
import * as tf from '@tensorflow/tfjs';
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

/**
 * Rows per forward pass: `requested`, lowered so that rows * bytesPerRow stays within the budget;
 * an error naming `where` when a single row does not fit.
 */
export function rowsWithinBudget(where: string, model: Model, rowShape: readonly number[], requested: number, budget = memoryBudgetBytes()): number {
  const per = bytesPerRow(model, rowShape);
  if (per === null) return requested;
  const fit = Math.floor(budget / per);
  if (fit < 1) {
    throw new Error(
      `${where}: one example needs about ${(per / 2 ** 20).toFixed(1)} MiB in a forward pass, more than the memory budget ` +
        `of ${(budget / 2 ** 20).toFixed(1)} MiB (ROBUSTLENS_MEMORY_MB); use a smaller input or model, or raise the budget.`,
    );
  }
  return Math.min(requested, fit);
}
