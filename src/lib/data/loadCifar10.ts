/**
 * CIFAR-10 (Krizhevsky 2009), 32x32 RGB, 10 classes, from the CIFAR "binary version" layout:
 * each record is 3073 bytes = 1 label byte, then 1024 R, 1024 G, 1024 B bytes (row-major 32x32).
 * Train = data_batch_1..5.bin[.gz] (those present), test = test_batch.bin[.gz]; class names from
 * batches.meta.txt when present. Output is NHWC, x = byte / 255.
 *
 * The embedded subset (data/cifar10: 2,000 train + 1,000 test, stratified) and the shared copy it is
 * drawn from were decoded from JPEG copies (quality ~75), so they are slightly lossy.
 *
 * @example
 *   const test = loadCifar10(undefined, { split: 'test', limit: 100 }); // shape [100, 32, 32, 3]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { checkOptions } from '../engine';
import { dataDir } from './dataDir';
import { readMaybeGz, requireDir } from './files';
import { ImageSet } from './imageSet';
import { limit as resolveLimit } from './loadIdxImages';

export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const RECORD = 3073;

export interface Cifar10Options {
  /** 'train' (data_batch_*) or 'test' (test_batch); default 'train'. */
  split?: 'train' | 'test';
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
}

export function loadCifar10(dir?: string, options: Cifar10Options = {}): ImageSet {
  const where = 'loadCifar10';
  checkOptions(where, options, ['split', 'limit']);
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new Error(`${where}: split must be 'train' or 'test', got ${JSON.stringify(split)}.`);
  let root = dir ?? dataDir('cifar10');
  const expected = 'CIFAR-10 binary batches data_batch_1..5.bin[.gz] and test_batch.bin[.gz] (3073-byte records)';
  requireDir(where, root, expected);
  if (existsSync(join(root, 'cifar-10-batches-bin'))) root = join(root, 'cifar-10-batches-bin');
  const names = split === 'train' ? [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`) : ['test_batch.bin'];
  const paths: string[] = [];
  for (const n of names) {
    for (const cand of [n, n + '.gz']) if (existsSync(join(root, cand))) { paths.push(join(root, cand)); break; }
  }
  if (paths.length === 0) throw new Error(`${where}: no ${split} batch (${names.join(' / ')}[.gz]) in ${root}; expected ${expected}.`);
  let classes = CIFAR10_CLASSES.slice();
  const meta = join(root, 'batches.meta.txt');
  if (existsSync(meta)) {
    const lines = readFileSync(meta, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
    if (lines.length !== 10) throw new Error(`${where}: ${meta} should list 10 class names, one a line; found ${lines.length}.`);
    classes = lines;
  }
  const chunks = paths.map((p) => {
    const b = readMaybeGz(p);
    if (b.length === 0 || b.length % RECORD !== 0) {
      throw new Error(`${where}: ${p} has ${b.length} bytes, not a multiple of ${RECORD} (1 label + 3072 pixel bytes per image): ` +
        'the file is truncated or not a CIFAR-10 binary batch (the python pickle version is not supported).');
    }
    return { p, b };
  });
  const total = chunks.reduce((a, c) => a + c.b.length / RECORD, 0);
  const n = resolveLimit(where, options.limit, total);
  const x = new Float32Array(n * 3072);
  const y = new Int32Array(n);
  let i = 0;
  for (const { p, b } of chunks) {
    for (let r = 0; r < b.length / RECORD && i < n; r++, i++) {
      const o = r * RECORD;
      const label = b[o];
      if (label > 9) throw new Error(`${where}: label byte ${label} of record ${r} in ${p} is out of range [0, 10): the file is corrupt.`);
      y[i] = label;
      for (let px = 0; px < 1024; px++) {
        const dst = i * 3072 + px * 3;
        x[dst] = b[o + 1 + px] / 255;
        x[dst + 1] = b[o + 1 + 1024 + px] / 255;
        x[dst + 2] = b[o + 1 + 2048 + px] / 255;
      }
    }
  }
  return { x, shape: [n, 32, 32, 3], y, classes };
}
