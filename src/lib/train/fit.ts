/**
 * Train a LayersModel with a custom loop (seeded shuffling, Adam or SGD, dropout/BatchNorm in
 * training mode via model.apply(x, { training: true })), keeping per-epoch metrics; optional
 * early stopping restores the best epoch's weights.
 *
 * Formula (each step): theta <- theta - lr * update(grad_theta mean_i L(f_theta(x_i), y_i)).
 *
 * @example
 *   const r = await fit(model, { x, y }, { valid, epochs: 20, batchSize: 32, lr: 1e-3, loss: 'softmaxCE', seed: 1,
 *     earlyStopping: { metric: 'valAccuracy', patience: 5 }, onEpoch: (p) => console.log(p.epoch, p.loss) });
 *   r.history[0].metrics.valLoss; r.bestEpoch;
 */
import * as tf from '@tensorflow/tfjs';
import { Dataset } from './evaluate';
import { FitOptions, FitResult, runLoop } from './loop';

export async function fit(model: tf.LayersModel, train: Dataset, options: FitOptions = {}): Promise<FitResult> {
  return runLoop('fit', model, train, options as FitOptions & Record<string, unknown>, [], (ctx) =>
    ctx.minimize(() => ({ loss: ctx.lossFn(ctx.y, ctx.model.apply(ctx.x, { training: true }) as tf.Tensor) })),
  );
}
