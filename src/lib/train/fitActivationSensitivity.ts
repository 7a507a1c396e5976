/**
 * Train with the activation-sensitivity regulariser (P3 reconstruction, arXiv 2211.08686):
 *   min_theta task(f(x), y) + lambda * sum_l mean_i ||a_l(x_i + eta_i) - a_l(x_i)||_2,
 * eta random in the Linf ball of radius eps, or one FGSM step on the task loss (see
 * activationSensitivityLoss). History gets 'task' and 'penalty' parts. eta is drawn before the
 * optimiser's gradient tape (it is a constant of the step, as in FGSM adversarial training), so an
 * adversarial eta needs no second-order gradients (there are none for max pooling's gradient).
 *
 * @example
 *   await fitActivationSensitivity(model, train, { layers: ['conv1', 'conv2'], lambda: 0.05, eps: 0.1,
 *     eta: 'adversarial', clip: [0, 1], epochs: 10, seed: 1 });
 */
import * as tf from '@tensorflow/tfjs';
import { Dataset } from './evaluate';
import { FitOptions, FitResult, runLoop } from './loop';
import { activationSensitivityLoss, sensitivityEta } from './activationSensitivityLoss';

export interface FitActivationSensitivityOptions extends FitOptions {
  layers: string[];
  lambda: number;
  eps: number;
  /** Default 'random'. */
  eta?: 'random' | 'adversarial';
  clip?: [number, number];
}

export async function fitActivationSensitivity(
  model: tf.LayersModel,
  train: Dataset,
  options: FitActivationSensitivityOptions,
): Promise<FitResult> {
  const { layers, lambda, eps, eta = 'random', clip } = options ?? ({} as FitActivationSensitivityOptions);
  if ((eta as unknown) instanceof tf.Tensor) throw new Error('fitActivationSensitivity: eta must be "random" or "adversarial" (a fixed tensor does not fit every batch)');
  const loss = options.loss ?? 'softmaxCE';
  const keys = ['layers', 'lambda', 'eps', 'eta', 'clip'];
  return runLoop('fitActivationSensitivity', model, train, options as unknown as FitOptions & Record<string, unknown>, keys, (ctx) => {
    // eta outside minimize's tape: a constant perturbation for this step (disposed by the loop's tidy)
    const e = sensitivityEta(ctx.model, ctx.x, ctx.y, { layers, lambda, eps, eta, loss, seed: ctx.seed });
    return ctx.minimize(() => {
      const r = activationSensitivityLoss(ctx.model, ctx.x, ctx.y, { layers, lambda, eta: e, clip, loss, seed: ctx.seed });
      return { loss: r.loss, parts: { task: r.task, penalty: r.penalty } };
    });
  });
}
