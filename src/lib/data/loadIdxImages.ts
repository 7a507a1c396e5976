/** Shared body of loadMnist / loadFashionMnist: an IDX image file plus its IDX label file. */
import { checkOptions } from '../engine';
import { findFile, requireDir } from './files';
import { ImageSet } from './imageSet';
import { readIdx } from './readIdx';

export interface IdxSplitOptions {
  /** 'train' (train-*-ubyte) or 'test' (t10k-*-ubyte); default 'train'. */
  split?: 'train' | 'test';
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
}

export function loadIdxImages(where: string, dir: string, classes: string[], options: IdxSplitOptions = {}): ImageSet {
  checkOptions(where, options, ['split', 'limit']);
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new Error(`${where}: split must be 'train' or 'test', got ${JSON.stringify(split)}.`);
  const prefix = split === 'train' ? 'train' : 't10k';
  requireDir(where, dir, `${prefix}-images-idx3-ubyte[.gz] and ${prefix}-labels-idx1-ubyte[.gz] (IDX files as published)`);
  const imgPath = findFile(where, dir, [`${prefix}-images-idx3-ubyte`, `${prefix}-images.idx3-ubyte`]);
  const lblPath = findFile(where, dir, [`${prefix}-labels-idx1-ubyte`, `${prefix}-labels.idx1-ubyte`]);
  const img = readIdx(imgPath);
  const lbl = readIdx(lblPath);
  if (img.type !== 'uint8' || img.dims.length !== 3) {
    throw new Error(`${where}: ${imgPath} should hold uint8 images [n, h, w], found ${img.type} [${img.dims.join(', ')}].`);
  }
  if (lbl.type !== 'uint8' || lbl.dims.length !== 1) {
    throw new Error(`${where}: ${lblPath} should hold uint8 labels [n], found ${lbl.type} [${lbl.dims.join(', ')}].`);
  }
  const [nAll, h, w] = img.dims;
  if (lbl.dims[0] !== nAll) {
    throw new Error(`${where}: label file ${lblPath} has ${lbl.dims[0]} labels but image file ${imgPath} has ${nAll} images; ` +
      'they do not belong together: use the matching pair of files.');
  }
  const n = limit(where, options.limit, nAll);
  const x = new Float32Array(n * h * w);
  const src = img.data as Uint8Array;
  for (let i = 0; i < x.length; i++) x[i] = src[i] / 255;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = lbl.data[i];
    if (v >= classes.length) throw new Error(`${where}: label ${v} at index ${i} of ${lblPath} is out of range [0, ${classes.length}).`);
    y[i] = v;
  }
  return { x, shape: [n, h, w, 1], y, classes: classes.slice() };
}

/** Resolve a `limit` option against the number available. */
export function limit(where: string, lim: number | undefined, available: number): number {
  if (lim === undefined) return available;
  if (!Number.isInteger(lim) || lim < 0) throw new Error(`${where}: limit must be a non-negative integer, got ${lim}.`);
  return Math.min(lim, available);
}
