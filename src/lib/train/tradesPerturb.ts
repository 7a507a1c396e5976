/**
 * TRADES' inner maximisation (Zhang et al. 2019, arXiv 1901.08573, Alg. 1): find x' in the Linf
 * ball around x that maximises KL(softmax f(x) || softmax f(x')), by `steps` signed-gradient ascent
 * steps from x + 0.001 * N(0, 1) (seeded), projecting back onto the ball (and onto [clip] if given):
 *   x' <- Proj_{B_eps(x)}(x' + stepSize * sign(grad_x' KL(f(x) || f(x')))).
 * The model runs in inference mode (as TRADES' reference code). Softmax classifiers (logits) only.
 *
 * @example
 *   const xAdv = tradesPerturb(model, x, { eps: 0.3, stepSize: 0.01, steps: 10, seed: 1, clip: [0, 1] });
 */
import * as tf from '@tensorflow/tfjs';
import { Model, checkedModel, checkOptions, positiveNumber } from '../engine';
import { klDivergence } from './losses';

export interface TradesPerturbOptions {
  eps: number;
  /** Default eps / 4. */
  stepSize?: number;
  /** Default 10. */
  steps?: number;
  seed?: number;
  /** Valid input range, e.g. [0, 1]. Default: none. */
  clip?: [number, number];
}

export function tradesPerturb(model: Model, x: tf.Tensor, options: TradesPerturbOptions): tf.Tensor {
  const where = 'tradesPerturb';
  checkOptions(where, options, ['eps', 'stepSize', 'steps', 'seed', 'clip']);
  const { eps, steps = 10, seed = 0, clip } = options;
  const stepSize = options.stepSize ?? eps / 4;
  positiveNumber(where, 'eps', eps, true);
  if (!(Number.isInteger(steps) && steps >= 0)) throw new Error(`${where}: steps must be an integer >= 0, got ${steps}`);
  const f = checkedModel(where, model);
  return tf.tidy(() => {
    const logitsNat = f(x);
    const project = (z: tf.Tensor) => {
      const p = tf.minimum(tf.maximum(z, tf.sub(x, eps)), tf.add(x, eps));
      return clip ? tf.clipByValue(p, clip[0], clip[1]) : p;
    };
    let xAdv = project(tf.add(x, tf.mul(0.001, tf.randomNormal(x.shape, 0, 1, 'float32', seed))));
    const gradKl = tf.grad((z: tf.Tensor) => tf.sum(klDivergence(logitsNat, f(z))));
    for (let k = 0; k < steps; k++) {
      const prev = xAdv;
      xAdv = tf.tidy(() => project(tf.add(prev, tf.mul(stepSize, tf.sign(gradKl(prev))))));
      prev.dispose();
    }
    return xAdv;
  });
}
