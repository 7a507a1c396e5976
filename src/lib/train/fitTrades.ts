/**
 * TRADES training (Zhang et al. 2019, arXiv 1901.08573) for softmax classifiers:
 *   min_theta mean_i [ CE(f(x_i), y_i) + beta * max_{x'_i in B_eps(x_i)} KL(f(x_i) || f(x'_i)) ],
 * the inner max by tradesPerturb each step. History gets 'natural' (CE) and 'robust' (KL) parts.
 * Defaults follow the paper's CIFAR setting scaled to the caller's eps: beta 6, 10 steps, stepSize eps/4.
 *
 * @example
 *   await fitTrades(model, train, { eps: 0.1, beta: 6, steps: 5, clip: [0, 1], epochs: 10, seed: 1 });
 */
import * as tf from '@tensorflow/tfjs';
import { Dataset } from './evaluate';
import { FitOptions, FitResult, runLoop } from './loop';
import { tradesLoss } from './losses';
import { tradesPerturb } from './tradesPerturb';

export interface FitTradesOptions extends Omit<FitOptions, 'loss'> {
  eps: number;
  /** Weight of the KL term. Default 6. */
  beta?: number;
  stepSize?: number;
  steps?: number;
  clip?: [number, number];
}

export async function fitTrades(model: tf.LayersModel, train: Dataset, options: FitTradesOptions): Promise<FitResult> {
  const { eps, beta = 6, stepSize, steps, clip } = options ?? ({} as FitTradesOptions);
  if (!(eps >= 0)) throw new Error(`fitTrades: eps must be >= 0, got ${eps}`);
  if ('loss' in (options as object)) throw new Error('fitTrades: unknown option "loss" (TRADES defines its own loss: CE + beta * KL)');
  return runLoop('fitTrades', model, train, { ...options, loss: 'softmaxCE' } as FitOptions & Record<string, unknown>, ['eps', 'beta', 'stepSize', 'steps', 'clip'], (ctx) => {
    const xAdv = tradesPerturb(model, ctx.x, { eps, stepSize, steps, clip, seed: ctx.seed });
    return ctx.minimize(() => {
      const logitsNat = ctx.model.apply(ctx.x, { training: true }) as tf.Tensor;
      const logitsAdv = ctx.model.apply(xAdv, { training: true }) as tf.Tensor;
      const { loss, natural, robust } = tradesLoss(ctx.y, logitsNat, logitsAdv, beta);
      return { loss, parts: { natural, robust } };
    });
  });
}
