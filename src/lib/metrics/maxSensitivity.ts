/**
 * Max-sensitivity of an explanation (Yeh et al. 2019, "On the (In)fidelity and Sensitivity of
 * Explanations", arXiv 1901.09392): the largest relative change of the explanation under small
 * random input perturbations, estimated with n seeded samples u_j ~ Uniform([-r, r]^d):
 *   SENS_max(e, x) = max_j ||e(x + u_j) - e(x)||_2 / ||e(x)||_2     (normalise: true, default)
 *   SENS_max(e, x) = max_j ||e(x + u_j) - e(x)||_2                  (normalise: false, Yeh's original)
 * `explain` is an attribution callback on a batch (e.g. x => saliency(model, x, { target })); it is
 * called n + 1 times on the whole batch; its outputs are disposed here.
 *
 * @example maxSensitivity((x) => saliency(model, x, { target: 0 }), x, { radius: 0.05, n: 10, seed: 1 })
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Rng, positiveInt } from '../engine';
import { checkBatch, checkSameShape, MetricMeta, MetricResult, rowNorms, summarise, withMeta } from './common';

/** What an attribution callback may return: the map, or an Attribution {map}. */
export type ExplanationOutput = tf.Tensor | { map: tf.Tensor };
export type ExplainFn = (x: tf.Tensor) => ExplanationOutput | Promise<ExplanationOutput>;

export interface MaxSensitivityOptions {
  /** Radius r of the Linf ball (required). */
  radius: number;
  /** Number of perturbations (default 10). */
  n?: number;
  /** Seed of the perturbations (default 0). */
  seed?: number;
  /** Divide by ||e(x)|| (default true). */
  normalise?: boolean;
  /** Clip perturbed inputs to this valid range [lo, hi] (default: no clipping). */
  clip?: [number, number];
}

const META: MetricMeta = { name: 'Max-sensitivity', description: 'Largest relative change of the explanation under random perturbations in a small Linf ball.', higherIsBetter: false, range: [0, Infinity], paper: 'arXiv 1901.09392' };

/** Await an explanation callback and take ownership of its map. */
export async function explainMap(where: string, explain: ExplainFn, x: tf.Tensor): Promise<tf.Tensor> {
  const r = await explain(x);
  const map = r instanceof tf.Tensor ? r : r?.map;
  if (!(map instanceof tf.Tensor)) throw new Error(`${where}: the explain callback must return a tf.Tensor or {map: tf.Tensor}.`);
  return map;
}

async function maxSensitivityImpl(explain: ExplainFn, x: tf.Tensor, options: MaxSensitivityOptions): Promise<MetricResult> {
  const where = 'maxSensitivity';
  checkOptions(where, options, ['radius', 'n', 'seed', 'normalise', 'clip']);
  if (typeof explain !== 'function') throw new Error(`${where}: explain must be a function (x) => attribution map.`);
  if (!(x instanceof tf.Tensor)) throw new Error(`${where}: x must be a tf.Tensor batch.`);
  checkBatch(where, x);
  const radius = options?.radius;
  if (!(radius > 0) || !Number.isFinite(radius)) throw new Error(`${where}: option "radius" must be a finite number > 0, got ${radius}.`);
  const n = positiveInt(where, 'n', options.n ?? 10);
  const normalise = options.normalise ?? true;
  const clip = options.clip;
  if (clip && !(clip.length === 2 && clip[0] < clip[1])) throw new Error(`${where}: clip must be [lo, hi] with lo < hi.`);
  const rng = new Rng(options.seed ?? 0);
  const e0 = await explainMap(where, explain, x);
  try {
    checkSameShape(where, e0, x, 'the explanation', 'x');
    const base = rowNorms(e0);
    const worst = new Array<number>(x.shape[0]).fill(0);
    for (let j = 0; j < n; j++) {
      const xp = tf.tidy(() => {
        const u = tf.tensor(rng.uniforms(x.size, -radius, radius), x.shape);
        const p = tf.add(x, u);
        return clip ? tf.clipByValue(p, clip[0], clip[1]) : p;
      });
      let ej: tf.Tensor;
      try {
        ej = await explainMap(where, explain, xp);
      } finally {
        xp.dispose();
      }
      const diff = tf.sub(ej, e0);
      ej.dispose();
      const d = rowNorms(diff);
      diff.dispose();
      d.forEach((v, i) => {
        worst[i] = Math.max(worst[i], v);
      });
    }
    const per = worst.map((v, i) => (!normalise ? v : base[i] > 0 ? v / base[i] : v === 0 ? 0 : NaN));
    return summarise(META, per);
  } finally {
    e0.dispose();
  }
}

export const maxSensitivity = withMeta(maxSensitivityImpl, META);
