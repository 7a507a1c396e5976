/**
 * The detector's error, recall and specificity on test songs at P2's threshold 0.51 (Praher et al.
 * 2021, arXiv 2107.09045; metrics.binaryDetection), on an evenly spaced grid of excerpts per song
 * (every frame when perSong exceeds the song's length), evaluated in chunks.
 *
 * @example
 *   const r = evaluateDetector(model, test, st, { perSong: 600 });   // r.detection.error.value, r.probs
 */
import * as tf from '@tensorflow/tfjs';
import { Standardizer } from '../../audio';
import { checkOptions } from '../../engine';
import { binaryDetection, BinaryDetectionResult } from '../../metrics';
import { excerptBatch, ExcerptRef, pickExcerpts } from './excerpts';
import { SvdSong } from './songs';

export function evaluateDetector(
  model: tf.LayersModel,
  songs: SvdSong[],
  st: Standardizer,
  options: { perSong: number; threshold?: number; batchSize?: number },
): { detection: BinaryDetectionResult; probs: number[]; labels: number[]; refs: ExcerptRef[] } {
  checkOptions('evaluateDetector', options, ['perSong', 'threshold', 'batchSize']);
  const { perSong, threshold = 0.51, batchSize = 256 } = options;
  const refs = pickExcerpts(songs, { perSong, mode: 'grid' });
  const probs: number[] = [];
  const labels: number[] = [];
  for (let s = 0; s < refs.length; s += batchSize) {
    const { x, y } = excerptBatch(songs, refs.slice(s, s + batchSize), st);
    const p = tf.tidy(() => (model.apply(x, { training: false }) as tf.Tensor).dataSync());
    probs.push(...p);
    labels.push(...y.dataSync());
    tf.dispose([x, y]);
  }
  return { detection: binaryDetection(probs, labels, { threshold }), probs, labels, refs };
}
