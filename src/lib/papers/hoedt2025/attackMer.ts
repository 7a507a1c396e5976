/**
 * P1's evaluation attack on one model (arXiv 2508.03780): regressionAttack on the emotion outputs
 * (sign-Adam on the MSE, per-song correlation thresholds from ceil(10 r)/10 down to -0.9), on the
 * first `examples` songs of a split; clip 'code' (the authors' no-op clip: unbounded) or 'bounded'
 * (delta in [-eps, eps]). Returns one ExcerptRecord per attacked song, as the authors log it
 * (adversary/attacker.py, Attacker.attack), so the statistics of the replay apply unchanged:
 *
 *   predClean = f(x),  predLast = f(x + delta_{T-1}) (the last iterate: the authors' new-pred),
 *   predKept  = f(x + kept delta) (our adversarial example; not in the authors' logs)
 *   snrDb     = approxSnrDb(x, kept delta)       (the authors' definition, on our log filterbank)
 *   snrL2Db   = 20 log10(||x|| / ||kept delta||) (ours, on the normalised spectrogram)
 *
 * Also the model's full outputs (emotions and, for A2M2E, the 7 concepts) on clean input and at
 * the kept delta, for the mid-level analysis.
 *
 * @example
 *   const a = await attackMer(model, data.test, { steps: 1000, lr: 0.002, clip: 'code' });
 *   maeIncrease(a.excerpts, 'last'); a.xAdv.dispose(); a.x.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { regressionAttack } from '../../attacks';
import type { RegressionAttackResult } from '../../attacks';
import { emotionsFn } from './advTrainingAttack';
import { approxSnrDb } from './approxSnrDb';
import type { ExcerptRecord } from './attackRecords';

export interface MerAttackOptions {
  steps: number;
  lr: number;
  clip?: 'code' | 'bounded';
  eps?: number;
  /** Attack the first n songs of the split (default: all). */
  examples?: number | null;
}

export interface MerAttack extends RegressionAttackResult {
  /** One record per attacked song (the statistics' input). */
  excerpts: ExcerptRecord[];
  /** Full model outputs [n][8 or 15] on clean input and at the kept delta, and the targets [n][15]. */
  outClean: number[][];
  outKept: number[][];
  yTrue: number[][];
  /** The clean inputs that were attacked ([n, ...]; dispose with xAdv). */
  x: tf.Tensor;
}

export async function attackMer(model: tf.LayersModel, split: { x: tf.Tensor; y: tf.Tensor; ids?: string[] }, options: MerAttackOptions): Promise<MerAttack> {
  checkOptions('attackMer', options, ['steps', 'lr', 'clip', 'eps', 'examples']);
  const { steps, lr, clip = 'code', eps } = options;
  const n = Math.min(split.x.shape[0], options.examples ?? split.x.shape[0]);
  const x = tf.slice(split.x, 0, n);
  const y = tf.slice(split.y, 0, n);
  const yE = tf.slice(y, [0, 0], [-1, 8]);
  try {
    const r = await regressionAttack(emotionsFn(model), x, yE, { steps, lr, clip, ...(clip === 'bounded' ? { eps: eps ?? 0.001 } : {}) });
    const [pc, pa] = tf.tidy(() => [model.apply(x, { training: false }) as tf.Tensor, model.apply(r.xAdv, { training: false }) as tf.Tensor]);
    const outClean = pc.arraySync() as number[][], outKept = pa.arraySync() as number[][];
    tf.dispose([pc, pa]);
    const delta = tf.sub(r.xAdv, x);
    let snr: number[];
    try {
      snr = approxSnrDb(x, delta);
    } finally {
      delta.dispose();
    }
    const yTrue = y.arraySync() as number[][];
    const excerpts: ExcerptRecord[] = yTrue.map((row, i) => ({
      excerpt: split.ids?.[i] ?? String(i),
      yTrue: row.slice(0, 8), predClean: outClean[i].slice(0, 8), predLast: r.predLast[i], predKept: outKept[i].slice(0, 8),
      snrDb: snr[i], snrL2Db: r.snrDb[i],
    }));
    return { ...r, excerpts, outClean, outKept, yTrue, x };
  } catch (e) {
    x.dispose();
    throw e;
  } finally {
    tf.dispose([y, yE]);
  }
}
