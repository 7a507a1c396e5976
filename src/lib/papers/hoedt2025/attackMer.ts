/**
 * P1's evaluation attack on one model (arXiv 2508.03780): regressionAttack on the emotion outputs
 * (sign-Adam on the MSE, per-song correlation thresholds from ceil(10 r)/10 down to -0.9), on the
 * first `examples` songs of a split; clip 'code' (the authors' no-op clip: unbounded) or 'bounded'
 * (delta in [-eps, eps]). Returns the attack's per-song numbers and the model's full outputs
 * (emotions and, for A2M2E, the 7 mid-level concepts) on clean and adversarial input.
 *
 *   MAE increase = mean_i (MAE_i(x + delta) - MAE_i(x)),  corrAfter = mean_i r_i(x + delta)
 *   SNR_i = 20 log10(||x_i|| / ||delta_i||)  (on the normalised spectrogram)
 *
 * @example
 *   const a = await attackMer(model, data.test, { steps: 1000, lr: 0.002, clip: 'code' });
 *   a.maeIncrease; a.perSongMaeAdv; a.xAdv.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { regressionAttack } from '../../attacks';
import type { RegressionAttackResult } from '../../attacks';
import { median } from '../../stats';
import { emotionsFn } from './advTrainingAttack';

export interface MerAttackOptions {
  steps: number;
  lr: number;
  clip?: 'code' | 'bounded';
  eps?: number;
  /** Attack the first n songs of the split (default: all). */
  examples?: number | null;
}

export interface MerAttack extends RegressionAttackResult {
  /** Mean over songs of the MAE change. */
  maeIncrease: number;
  maeCleanMean: number;
  maeAdvMean: number;
  /** Mean over songs of the per-song correlation after the attack. */
  corrAfter: number;
  /** Median over songs of the SNR in dB. */
  snrMedian: number;
  /** Per-song MAE after attack (for the paired t-tests). */
  perSongMaeAdv: number[];
  /** Full model outputs [n][8 or 15] on clean and adversarial input, and the targets [n][15]. */
  predClean: number[][];
  predAdv: number[][];
  yTrue: number[][];
  /** The clean inputs that were attacked ([n, ...]; dispose with xAdv). */
  x: tf.Tensor;
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

export async function attackMer(model: tf.LayersModel, split: { x: tf.Tensor; y: tf.Tensor }, options: MerAttackOptions): Promise<MerAttack> {
  checkOptions('attackMer', options, ['steps', 'lr', 'clip', 'eps', 'examples']);
  const { steps, lr, clip = 'code', eps } = options;
  const n = Math.min(split.x.shape[0], options.examples ?? split.x.shape[0]);
  const x = tf.slice(split.x, 0, n);
  const y = tf.slice(split.y, 0, n);
  const yE = tf.slice(y, [0, 0], [-1, 8]);
  try {
    const r = await regressionAttack(emotionsFn(model), x, yE, { steps, lr, clip, ...(clip === 'bounded' ? { eps: eps ?? 0.001 } : {}) });
    const [pc, pa] = tf.tidy(() => [model.apply(x, { training: false }) as tf.Tensor, model.apply(r.xAdv, { training: false }) as tf.Tensor]);
    const predClean = pc.arraySync() as number[][], predAdv = pa.arraySync() as number[][];
    tf.dispose([pc, pa]);
    const finite = r.snrDb.filter(Number.isFinite);
    return {
      ...r,
      maeIncrease: mean(r.maeChange), maeCleanMean: mean(r.maeClean), maeAdvMean: mean(r.maeAdv),
      corrAfter: mean(r.corrFinal.filter((v) => !Number.isNaN(v))),
      snrMedian: finite.length ? median(finite) : Infinity,
      perSongMaeAdv: r.maeAdv, predClean, predAdv, yTrue: y.arraySync() as number[][], x,
    };
  } catch (e) {
    x.dispose();
    throw e;
  } finally {
    tf.dispose([y, yE]);
  }
}
