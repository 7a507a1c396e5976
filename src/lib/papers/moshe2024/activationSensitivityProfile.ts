/**
 * Activation sensitivity per layer and per neuron (P3, arXiv 2211.08686; the measure is our
 * reconstruction): how far the activations a_l move when the input moves by an adversarial
 * perturbation (PGD, Linf budget eps) versus a random perturbation of the same L2 size:
 *   layer l:   S_l(delta)  = mean_i ||a_l(x_i + delta_i) - a_l(x_i)||_2 / ||a_l(x_i)||_2      (relative)
 *              T_l(delta)  = mean_i ||a_l(x_i + delta_i) - a_l(x_i)||_2 / s_l                  (in units of the spread)
 *              s_l = sqrt(mean_i ||a_l(x_i) - mean_j a_l(x_j)||^2), the spread of the clean activations over
 *              the images (how far apart different images lie in the layer; unchanged by shifting or
 *              scaling the layer, unlike S_l, which an offset added to every activation lowers)
 *   neuron k:  s_lk(delta) = mean_i mean_positions |a_lk(x_i + delta_i) - a_lk(x_i)|          (channel k of a conv layer)
 *   delta_adv = PGD(x, y; eps),  delta_rand = u ||delta_adv||_2 / ||u||_2,  u ~ U[-1, 1]^d (seeded),
 * both clipped so x + delta stays in [0, 1].
 *
 * @example
 *   const p = await activationSensitivityProfile(model, x, y, { layers: ['conv1', 'conv2', 'dense1'], eps: 0.1, steps: 10 });
 *   p.layers[0].relAdv / p.layers[0].relRand   // how much more the adversarial direction moves conv1
 *   p.layers[2].spreadAdv                       // how far PGD moves dense1, in units of the images' spread
 *
 * Two readings of "activation sensitivity": T_l(delta_adv) (or S_l) is the sensitivity itself, the
 * movement a worst-case perturbation of fixed budget causes; S_l(adv) / S_l(rand) is how much more the
 * worst case moves the layer than a typical direction (an anisotropy: for a linear layer a = W x it
 * grows as W concentrates on few input directions, and it is unchanged when W is scaled down).
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Rng } from '../../engine';
import { layerView } from '../../models';
import { pgd } from '../../attacks';

export interface SensitivityProfileOptions {
  layers: string[];
  eps: number;
  /** PGD iterations (default 10). */
  steps?: number;
  seed?: number;
}

export interface LayerSensitivity {
  layer: string;
  /** Relative change of the layer's activation vector, adversarial and random. */
  relAdv: number;
  relRand: number;
  /** Mean change in units of the layer's spread over the images (T_l), adversarial and random. */
  spreadAdv: number;
  spreadRand: number;
  /** Per example relative changes (for tests and box plots). */
  perExampleAdv: number[];
  perExampleRand: number[];
  /** Per neuron (channel / unit) mean absolute change. */
  neuronAdv: number[];
  neuronRand: number[];
}

export interface SensitivityProfile {
  layers: LayerSensitivity[];
  /** Mean L2 size of the perturbations (equal by construction, up to clipping). */
  l2Adv: number;
  l2Rand: number;
  /** Share of examples whose prediction the adversarial perturbation changed. */
  flipRate: number;
}

/**
 * One layer's change from activations a (clean) to b (perturbed): per example ||b - a|| (abs) and
 * ||b - a|| / ||a|| (rel), the spread s of a over the batch, and per neuron the mean |b - a|.
 */
export function layerChange(a: tf.Tensor, b: tf.Tensor): { rel: number[]; abs: number[]; spread: number; neuron: number[] } {
  return tf.tidy(() => {
    const n = a.shape[0];
    const k = a.shape[a.rank - 1];
    const d = tf.sub(b, a);
    const num = tf.sqrt(tf.sum(tf.square(d.reshape([n, -1])), 1));
    const den = tf.sqrt(tf.sum(tf.square(a.reshape([n, -1])), 1));
    const rel = Array.from(tf.div(num, tf.maximum(den, 1e-12)).dataSync());
    const flat = a.reshape([n, -1]);
    const spread = tf.sqrt(tf.mean(tf.sum(tf.square(tf.sub(flat, tf.mean(flat, 0, true))), 1))).dataSync()[0];
    const neuron = Array.from(tf.mean(tf.abs(d).reshape([-1, k]), 0).dataSync());
    return { rel, abs: Array.from(num.dataSync()), spread, neuron };
  });
}

export async function activationSensitivityProfile(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  options: SensitivityProfileOptions,
): Promise<SensitivityProfile> {
  checkOptions('activationSensitivityProfile', options, ['layers', 'eps', 'steps', 'seed']);
  const { layers, eps, steps = 10, seed = 0 } = options;
  if (!Array.isArray(layers) || layers.length === 0) throw new Error('activationSensitivityProfile: layers must be a non-empty list of layer names.');
  if (!(eps > 0)) throw new Error(`activationSensitivityProfile: eps must be > 0, got ${eps}.`);
  const view = layerView(model, layers, { withOutput: true });
  const adv = await pgd(model, x, y, { eps, steps, seed, norm: 'linf' });
  const rng = new Rng(seed + 7919);
  const xRand = tf.tidy(() => {
    const n = x.shape[0];
    const u = tf.tensor(rng.uniforms(x.size, -1, 1), x.shape);
    const scale = tf.div(tf.tensor1d(adv.l2), tf.sqrt(tf.sum(tf.square(u.reshape([n, -1])), 1)));
    return tf.clipByValue(tf.add(x, tf.mul(u, scale.reshape([n, ...x.shape.slice(1).map(() => 1)]))), 0, 1);
  });
  try {
    const [clean, onAdv, onRand] = [x, adv.xAdv, xRand].map((z) => view.apply(z, { training: false }) as tf.Tensor[]);
    const out: LayerSensitivity[] = layers.map((layer, l) => {
      const A = layerChange(clean[l], onAdv[l]);
      const R = layerChange(clean[l], onRand[l]);
      const m = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
      const s = Math.max(A.spread, 1e-12);
      return { layer, relAdv: m(A.rel), relRand: m(R.rel), spreadAdv: m(A.abs) / s, spreadRand: m(R.abs) / s, perExampleAdv: A.rel, perExampleRand: R.rel, neuronAdv: A.neuron, neuronRand: R.neuron };
    });
    const L = layers.length;
    const flipRate = tf.tidy(() => tf.mean(tf.notEqual(tf.argMax(clean[L], -1), tf.argMax(onAdv[L], -1)).toFloat()).dataSync()[0]);
    const l2Rand = tf.tidy(() => tf.mean(tf.sqrt(tf.sum(tf.square(tf.sub(xRand, x).reshape([x.shape[0], -1])), 1))).dataSync()[0]);
    tf.dispose([...clean, ...onAdv, ...onRand]);
    return { layers: out, l2Adv: adv.l2.reduce((s, t) => s + t, 0) / adv.l2.length, l2Rand, flipRate };
  } finally {
    tf.dispose([adv.xAdv, xRand]);
  }
}
