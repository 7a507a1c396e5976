/**
 * Mini-batches of an ImageSet as plain ImageSets (no tensors: wrap each in toTensors inside a
 * tf.tidy / dispose it), in a seeded shuffled order or in order.
 *
 * @example
 *   for (const b of batches(train, 32, { seed: 1 })) { const { x, y } = toTensors(b); ...; tf.dispose([x, y]); }
 */
import { checkOptions, Rng } from '../engine';
import { checkImageSet, ImageSet, subsetImages } from './imageSet';

export interface BatchOptions {
  /** Seed for the shuffle; default 0. */
  seed?: number;
  /** Shuffle before batching; default true. */
  shuffle?: boolean;
  /** Drop a last batch smaller than batchSize; default false. */
  dropLast?: boolean;
}

export function* batches(set: ImageSet, batchSize: number, options: BatchOptions = {}): Generator<ImageSet & { indices: number[] }> {
  checkOptions('batches', options, ['seed', 'shuffle', 'dropLast']);
  checkImageSet('batches', set);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batches: batchSize must be a positive integer, got ${batchSize}.`);
  const n = set.shape[0];
  let order = Array.from({ length: n }, (_, i) => i);
  if (options.shuffle ?? true) order = new Rng(options.seed ?? 0).shuffle(order);
  for (let s = 0; s < n; s += batchSize) {
    const indices = order.slice(s, s + batchSize);
    if (options.dropLast && indices.length < batchSize) break;
    yield { ...subsetImages(set, indices), indices };
  }
}
