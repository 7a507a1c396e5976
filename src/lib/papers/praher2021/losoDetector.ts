/**
 * Leave-one-song-out (LOSO) evaluation of P2's singing voice detector (Praher et al. 2021, arXiv
 * 2107.09045; the issue's request, not a procedure of the paper, whose detector is trained on 61
 * Jamendo songs and tested on 16): for each song k, the detector is trained on the other songs with
 * the notebook's settings (standardiser fit on those songs only), cached through getOrTrain, and
 * scored on song k at threshold 0.51 (evaluateDetector's grid of excerpts). Reported per held-out
 * song and pooled over all held-out excerpts:
 *   error = (FP + FN) / N,  recall = TP / (TP + FN),  specificity = TN / (TN + FP).
 * The fold whose training songs are the notebook's training split is the notebook's own detector
 * (same cache name and config), so it is not trained twice.
 *
 * @example
 *   const r = await losoDetector(data, cfg, { name: 'p2_svd_demo' });   // r.folds[0].error, r.pooled.error
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { binaryDetection } from '../../metrics';
import { getOrTrain } from '../../models';
import type { P2Config } from './config';
import { evaluateDetector } from './evaluateDetector';
import type { P2Data } from './prepareData';
import { SvdSong } from './songs';
import { fitSongStandardizer, trainDetector } from './trainDetector';
import type { Standardizer } from '../../audio';

/** The config a P2 detector is cached under: the detector's training settings, the seed, its training songs and the data settings. */
export function detectorCacheConfig(cfg: P2Config, trainSongs: SvdSong[]): Record<string, unknown> {
  const { testPerSong: _unused, ...trainOpts } = cfg.detector;
  return { ...trainOpts, seed: cfg.seed, songs: trainSongs.map((s) => s.name), seconds: cfg.data.seconds ?? null, mergeGap: cfg.data.mergeGap };
}

/** Load the detector trained on `songs` with cfg's settings from the model cache, or train and cache it. */
export async function detectorFor(
  name: string,
  cfg: P2Config,
  songs: SvdSong[],
  st: Standardizer,
  options: { onEpoch?: (p: { epoch: number; loss?: number }) => void; dir?: string; log?: (m: string) => void } = {},
): Promise<{ model: tf.LayersModel; cached: boolean; trainingSeconds?: number }> {
  checkOptions('detectorFor', options, ['onEpoch', 'dir', 'log']);
  const det = cfg.detector;
  const r = await getOrTrain(name, detectorCacheConfig(cfg, songs), async () => {
    const t = await trainDetector(songs, st, { perSong: det.perSong, width: det.width, epochs: det.epochs, batchSize: det.batchSize, lr: det.lr,
      dropout: det.dropout, batchNorm: det.batchNorm, lrSchedule: det.lrSchedule, augment: det.augment, seed: cfg.seed, onEpoch: options.onEpoch });
    return { model: t.model, history: t.history, data: { excerpts: t.nExcerpts, positiveShare: t.positiveShare } };
  }, { architecture: 'singingVoiceCnn', dir: options.dir, log: options.log });
  return { model: r.model, cached: r.cached, trainingSeconds: r.card.trainingSeconds ?? undefined };
}

export interface LosoFold {
  /** The held-out song, and how many of its excerpts were scored. */
  song: string;
  n: number;
  sungShare: number;
  error: number;
  recall: number;
  specificity: number;
  /** Cache name of the fold's detector, and whether it was loaded rather than trained. */
  model: string;
  cached: boolean;
}

export interface LosoResult {
  folds: LosoFold[];
  /** Over all held-out excerpts of all folds. */
  pooled: { n: number; error: number; recall: number; specificity: number };
}

export async function losoDetector(
  data: P2Data,
  cfg: P2Config,
  options: { name: string; onFold?: (song: string) => void; dir?: string; log?: (m: string) => void },
): Promise<LosoResult> {
  checkOptions('losoDetector', options, ['name', 'onFold', 'dir', 'log']);
  const all = [...data.train, ...data.test];
  if (all.length < 2) throw new Error(`losoDetector: needs at least 2 songs, got ${all.length}.`);
  const mainSongs = JSON.stringify(data.train.map((s) => s.name));
  const folds: LosoFold[] = [];
  const probs: number[] = [], labels: number[] = [];
  for (let k = 0; k < all.length; k++) {
    const train = all.filter((_, i) => i !== k);
    const name = JSON.stringify(train.map((s) => s.name)) === mainSongs ? options.name : `${options.name}_loso${k}`;
    const st = fitSongStandardizer(train);
    const { model, cached } = await detectorFor(name, cfg, train, st, { dir: options.dir, log: options.log });
    try {
      const ev = evaluateDetector(model, [all[k]], st, { perSong: cfg.detector.testPerSong, threshold: cfg.threshold });
      const D = ev.detection;
      folds.push({
        song: all[k].name, n: ev.refs.length, sungShare: ev.labels.reduce((a, b) => a + b, 0) / Math.max(1, ev.labels.length),
        error: D.error.value, recall: D.recall.value, specificity: D.specificity.value, model: name, cached,
      });
      probs.push(...ev.probs);
      labels.push(...ev.labels);
    } finally {
      model.dispose();
    }
    options.onFold?.(all[k].name);
  }
  const P = binaryDetection(probs, labels, { threshold: cfg.threshold });
  return { folds, pooled: { n: probs.length, error: P.error.value, recall: P.recall.value, specificity: P.specificity.value } };
}
