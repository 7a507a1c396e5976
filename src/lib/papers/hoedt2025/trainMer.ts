/**
 * Train (or load from the models/ cache) one P1 model (arXiv 2508.03780): merCnn with head A2E,
 * A2B2E or A2M2E, or an adversarially trained aA2E / aA2B2E.
 *
 *   loss = w MSE(emotions) + (1 - w) MSE(mid-level),  w = 0.5 for A2M2E, 1 otherwise   (merLoss)
 *   Adam, early stopping on the validation average correlation of the emotions (best epoch restored)
 *   aA2E / aA2B2E: fitAdversarial mode 'extraStep' -- every `scheduleEvery`-th epoch, after each clean
 *   step, craft adversaries with advTrainingAttack and take one extra step on them.
 *
 * trainingSeconds is measured when the model is trained and kept in its model card (so a cached
 * model reports the time it took to train).
 *
 * @example
 *   const m = await trainMer('A2M2E', 6, data, p1Config('demo'));  m.model; m.seconds; m.cached;
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { getOrTrain, merCnn } from '../../models';
import { fit, fitAdversarial, merLoss } from '../../train';
import type { FitOptions, Progress } from '../../train';
import { averageCorrelation } from '../../metrics';
import type { ModelKind, P1Config } from './config';
import type { P1Data } from './loadP1Data';
import { advTrainingAttack } from './advTrainingAttack';

export interface TrainedMer {
  kind: ModelKind;
  seed: number;
  model: tf.LayersModel;
  /** Training time in seconds (measured when trained; from the card when cached). */
  seconds: number;
  cached: boolean;
  epochs: number;
}

/** Head and loss weight of a model kind. */
export function kindSpec(kind: ModelKind): { head: 'A2E' | 'A2B2E' | 'A2M2E'; adversarial: boolean; w: number } {
  const adversarial = kind.startsWith('a');
  const head = (adversarial ? kind.slice(1) : kind) as 'A2E' | 'A2B2E' | 'A2M2E';
  if (!['A2E', 'A2B2E', 'A2M2E'].includes(head) || (adversarial && head === 'A2M2E')) throw new Error(`trainMer: unknown model kind "${kind}"; use A2E, A2B2E, A2M2E, aA2E or aA2B2E.`);
  return { head, adversarial, w: head === 'A2M2E' ? 0.5 : 1 };
}

/** Validation metric: average correlation over the 8 emotion columns. */
export function emotionCorr(yTrue: tf.Tensor, yPred: tf.Tensor): number {
  const [t, p] = tf.tidy(() => [tf.slice(yTrue, [0, 0], [-1, 8]), tf.slice(yPred, [0, 0], [-1, 8])]);
  try {
    return averageCorrelation(p, t).value;
  } finally {
    tf.dispose([t, p]);
  }
}

export async function trainMer(
  kind: ModelKind,
  seed: number,
  data: P1Data,
  cfg: P1Config,
  options: { onEpoch?: (p: Progress) => void; force?: boolean } = {},
): Promise<TrainedMer> {
  checkOptions('trainMer', options, ['onEpoch', 'force']);
  const { head, adversarial, w } = kindSpec(kind);
  const inputShape = data.train.x.shape.slice(1);
  const config = {
    paper: 'hoedt2025', kind, seed, head, w, inputShape, width: cfg.width, dropout: cfg.dropout,
    epochs: cfg.epochs, batchSize: cfg.batchSize, lr: cfg.lr, patience: cfg.patience,
    data: { source: data.source, clips: cfg.clips, frames: cfg.frames, splitSeed: cfg.splitSeed, train: data.train.ids.length },
    adversarial: adversarial ? { mode: 'extraStep', scheduleEvery: cfg.scheduleEvery, attack: cfg.advAttack } : null,
  };
  const name = `p1-${cfg.scale}-${kind}-s${seed}`;
  let epochsRun = 0;
  const r = await getOrTrain(name, config, async () => {
    const model = merCnn({ head, width: cfg.width, dropout: cfg.dropout, inputShape, seed });
    const opts: FitOptions = {
      valid: { x: data.valid.x, y: data.valid.y }, epochs: cfg.epochs, batchSize: cfg.batchSize, lr: cfg.lr,
      loss: merLoss({ w }), seed, metrics: { corr: emotionCorr },
      earlyStopping: { metric: 'valCorr', patience: cfg.patience, mode: 'max' }, onEpoch: options.onEpoch,
    };
    const train = { x: data.train.x, y: data.train.y };
    const res = adversarial
      ? await fitAdversarial(model, train, { ...opts, attack: advTrainingAttack(cfg.advAttack), mode: 'extraStep', scheduleEvery: cfg.scheduleEvery })
      : await fit(model, train, opts);
    epochsRun = res.history.length;
    return { model, history: res.history, metrics: { bestEpoch: res.bestEpoch, epochsRun } };
  }, { architecture: `merCnn/${head}`, force: options.force });
  const m = r.card.metrics as { epochsRun?: number };
  return { kind, seed, model: r.model, seconds: r.card.trainingSeconds ?? NaN, cached: r.cached, epochs: epochsRun || (m.epochsRun ?? NaN) };
}
