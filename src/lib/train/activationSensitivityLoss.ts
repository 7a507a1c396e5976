/**
 * The activation-sensitivity regularised loss (P3 reconstruction, arXiv 2211.08686; labelled as a
 * reconstruction: only the paper's abstract could be read):
 *   L = task(f(x), y) + lambda * sum_{l in layers} mean_i ||a_l(x_i + eta_i) - a_l(x_i)||_2
 * with eta uniform in the Linf ball of radius eps ('random', seeded), one FGSM step on the task
 * loss ('adversarial': eta = eps * sign(grad_x task)), or a given tensor.
 * The task loss uses training mode; the activations for the penalty are compared in inference
 * mode, so dropout masks and batch statistics add no noise to S_l. Gradients flow through both
 * a_l(x + eta) and a_l(x). Call inside an optimiser's minimize (fitActivationSensitivity does).
 *
 * @example
 *   const { loss, task, penalty } = activationSensitivityLoss(model, x, y, { layers: ['dense1'], lambda: 0.1, eps: 0.1 });
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions } from '../engine';
import { layerView } from '../models';
import { LossFn, LossName, activationSensitivity, resolveLoss } from './losses';

export interface ActivationSensitivityOptions {
  /** Names of the layers whose activations are regularised. */
  layers: string[];
  lambda: number;
  /** 'random' (default), 'adversarial', or an explicit perturbation shaped like x. */
  eta?: 'random' | 'adversarial' | tf.Tensor;
  /** Linf radius of eta (unused for an explicit eta). */
  eps?: number;
  loss?: LossName | LossFn;
  seed?: number;
  /** Valid input range for x + eta. Default: none. */
  clip?: [number, number];
  /** training flag for the task-loss forward pass. Default true. */
  training?: boolean;
}

export const ACTIVATION_SENSITIVITY_KEYS = ['layers', 'lambda', 'eta', 'eps', 'loss', 'seed', 'clip', 'training'] as const;

const views = new WeakMap<tf.LayersModel, Map<string, tf.LayersModel>>();

/** A cached multi-output view [a_l..., f(x)] of the model (shares its weights). */
export function activationView(model: tf.LayersModel, layers: string[]): tf.LayersModel {
  let m = views.get(model);
  if (!m) views.set(model, (m = new Map()));
  const key = layers.join('\u0000');
  if (!m.has(key)) m.set(key, layerView(model, layers, { withOutput: true }));
  return m.get(key)!;
}

/** The perturbation eta (outside any gradient tape). */
export function sensitivityEta(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: ActivationSensitivityOptions): tf.Tensor {
  const { eta = 'random', eps = 0, seed = 0 } = options;
  if (eta instanceof tf.Tensor) {
    if (eta.shape.join() !== x.shape.join()) throw new Error(`activationSensitivityLoss: eta has shape [${eta.shape}], x has [${x.shape}]`);
    return tf.clone(eta);
  }
  if (!(eps > 0)) throw new Error(`activationSensitivityLoss: eps must be > 0 for eta = '${eta}', got ${eps}`);
  if (eta === 'random') return tf.randomUniform(x.shape, -eps, eps, 'float32', seed);
  if (eta === 'adversarial') {
    const f = asFn(model);
    const lossFn = resolveLoss(options.loss ?? 'softmaxCE', 'activationSensitivityLoss');
    return tf.tidy(() => tf.mul(eps, tf.sign(tf.grad((z: tf.Tensor) => lossFn(y, f(z)))(x)))); // FGSM: eps * sign(grad_x task)
  }
  throw new Error(`activationSensitivityLoss: eta must be 'random', 'adversarial' or a tensor, got ${String(eta)}`);
}

export function activationSensitivityLoss(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  options: ActivationSensitivityOptions,
): { loss: tf.Scalar; task: tf.Scalar; penalty: tf.Scalar } {
  checkOptions('activationSensitivityLoss', options, ACTIVATION_SENSITIVITY_KEYS);
  const { layers, lambda, clip, training = true } = options;
  if (!Array.isArray(layers) || layers.length === 0) throw new Error('activationSensitivityLoss: layers must be a non-empty list of layer names');
  if (!(lambda >= 0)) throw new Error(`activationSensitivityLoss: lambda must be >= 0, got ${lambda}`);
  const lossFn = resolveLoss(options.loss ?? 'softmaxCE', 'activationSensitivityLoss');
  const view = activationView(model, layers);
  const eta = sensitivityEta(model, x, y, options);
  const xp = tf.tidy(() => (clip ? tf.clipByValue(tf.add(x, eta), clip[0], clip[1]) : tf.add(x, eta)));
  eta.dispose();
  const task = tf.tidy(() => lossFn(y, model.apply(x, { training }) as tf.Tensor));
  const penalty = tf.tidy(() => {
    const a = view.apply(x, { training: false }) as tf.Tensor[];
    const b = view.apply(xp, { training: false }) as tf.Tensor[];
    return activationSensitivity(a.slice(0, layers.length), b.slice(0, layers.length)); // sum_l mean_i ||a_l(x+eta) - a_l(x)||
  });
  xp.dispose();
  const loss = tf.tidy(() => tf.add(task, tf.mul(lambda, penalty)) as tf.Scalar);
  return { loss, task, penalty };
}
