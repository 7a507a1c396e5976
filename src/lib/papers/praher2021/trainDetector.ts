/**
 * Train P2's singing voice detector (models.singingVoiceCnn: zero-mean first convolution, 115 x 80
 * log-mel input) on standardised excerpts with binary cross-entropy and Adam (Praher et al. 2021,
 * arXiv 2107.09045; Schlueter & Lehner's network), and fit the per-band standardiser on the
 * training songs only.
 *
 *   loss = mean_i -(y_i log p_i + (1 - y_i) log(1 - p_i)),   p_i = CNN(Z(excerpt_i))
 *
 * @example
 *   const st = fitSongStandardizer(trainSongs);
 *   const { model, history } = await trainDetector(trainSongs, st, { perSong: 200, width: 0.25, epochs: 3 });
 */
import * as tf from '@tensorflow/tfjs';
import { fitStandardizer, Standardizer } from '../../audio';
import { checkOptions } from '../../engine';
import { singingVoiceCnn } from '../../models';
import { fit, type Progress, type EpochRecord } from '../../train';
import { AugmentOptions, augmentExcerpts } from './augmentExcerpts';
import { excerptLabels, logMelRows, pickExcerpts, standardisedBatch } from './excerpts';
import { SvdSong } from './songs';

/** The authors' learning-rate decay per epoch (CPJKU/veracity svd/default.vars: eta_decay 0.85, every epoch). */
export const AUTHORS_LR_DECAY = 0.85;

/** Per-band mean / std of the log-mel over all frames of the training songs. */
export function fitSongStandardizer(songs: SvdSong[]): Standardizer {
  if (songs.length === 0) throw new Error('fitSongStandardizer: no training songs.');
  return fitStandardizer(songs.map((s) => s.logMel), { perBand: true });
}

export interface TrainDetectorOptions {
  /** Random training excerpts per song. */
  perSong: number;
  /** Half the excerpts sung, half not (default true; the songs are 55-80 % sung). */
  balanced?: boolean;
  width?: number;
  /** Batch normalisation in the network (singingVoiceCnn's batchNorm; default false). */
  batchNorm?: boolean;
  /** Dropout of the dense layers (default 0.5 as the original). */
  dropout?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  /**
   * Learning rate per epoch e = 1..E: 'constant' (default), 'cosine' (lr (1 + cos(pi (e - 1) / E)) / 2) or
   * 'exponential' (lr 0.85^(e - 1), the authors' eta_decay of 0.85 after every epoch).
   */
  lrSchedule?: 'constant' | 'cosine' | 'exponential';
  /** Augmented copies of the training excerpts (augmentExcerpts; default none). */
  augment?: Omit<AugmentOptions, 'seed'>;
  seed?: number;
  onEpoch?: (p: Progress) => void | Promise<void>;
  onStep?: (p: Progress) => void | Promise<void>;
}

export async function trainDetector(
  songs: SvdSong[],
  st: Standardizer,
  options: TrainDetectorOptions,
): Promise<{ model: tf.LayersModel; history: EpochRecord[]; nExcerpts: number; positiveShare: number }> {
  checkOptions('trainDetector', options, ['perSong', 'balanced', 'width', 'batchNorm', 'dropout', 'epochs', 'batchSize', 'lr', 'lrSchedule', 'augment', 'seed', 'onEpoch', 'onStep']);
  const { perSong, balanced = true, width = 1, dropout = 0.5, epochs = 1, batchSize = 32, lr = 1e-3, lrSchedule = 'constant', augment, batchNorm = false, seed = 0 } = options;
  if (!['constant', 'cosine', 'exponential'].includes(lrSchedule)) throw new Error(`trainDetector: lrSchedule must be 'constant', 'cosine' or 'exponential', got ${lrSchedule}.`);
  const refs = balanced
    ? [0, 1].flatMap((label) => pickExcerpts(songs, { perSong: Math.ceil(perSong / 2), seed: seed + label, label: label as 0 | 1 }))
    : pickExcerpts(songs, { perSong, seed });
  let raw = logMelRows(songs, refs), labels: Float32Array = Float32Array.from(excerptLabels(songs, refs));
  if (augment && augment.copies > 0) ({ raw, labels } = augmentExcerpts(raw, labels, { ...augment, seed }));
  const { x, y } = standardisedBatch(raw, labels, st);
  try {
    const model = singingVoiceCnn({ width, dropout, batchNorm, seed });
    const schedule = lrSchedule === 'cosine' ? (e: number, E: number) => (lr * (1 + Math.cos((Math.PI * (e - 1)) / E))) / 2
      : lrSchedule === 'exponential' ? (e: number) => lr * AUTHORS_LR_DECAY ** (e - 1) : undefined;
    const r = await fit(model, { x, y }, { epochs, batchSize, lr, lrSchedule: schedule, loss: 'bce', seed, onEpoch: options.onEpoch, onStep: options.onStep });
    const positiveShare = labels.reduce((a, b) => a + b, 0) / labels.length;
    return { model, history: r.history, nExcerpts: labels.length, positiveShare };
  } finally {
    x.dispose();
    y.dispose();
  }
}
