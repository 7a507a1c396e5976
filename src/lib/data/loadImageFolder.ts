/**
 * Images from class folders: dir/{class}/*.png|jpg|jpeg, classes sorted by name (class index =
 * position), files sorted by name. PNG via pngjs, JPEG (baseline and progressive) via jpeg-js, both
 * pure JS. Pixels become byte / 255; RGB -> grey is 0.299 R + 0.587 G + 0.114 B; alpha is dropped.
 * All images must share one size unless `size` is given (then each is resized bilinearly,
 * half-pixel centres).
 *
 * @example
 *   const set = loadImageFolder('/data/imagenette/val', { size: [64, 64], limitPerClass: 20 });
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkOptions } from '../engine';
import { requireDir } from './files';
import { ImageSet } from './imageSet';

// pngjs ships no types; this is the one call used.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Uint8Array } } } };
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jpeg = require('jpeg-js') as { decode(b: Buffer, o: { useTArray: boolean; formatAsRGBA: boolean; maxMemoryUsageInMB?: number }): { width: number; height: number; data: Uint8Array } };

export interface ImageFolderOptions {
  /** Resize every image to [h, w] (bilinear); default: keep the size (all must match). */
  size?: [number, number];
  /** 1 (grey) or 3 (RGB, default). */
  channels?: 1 | 3;
  /** Keep at most this many images per class (the first by file name). */
  limitPerClass?: number;
}

const EXT = /\.(png|jpe?g)$/i;

/** Decode one PNG or JPEG file to RGBA bytes; errors name the file. */
export function decodeImage(path: string): { width: number; height: number; data: Uint8Array } {
  const b = readFileSync(path);
  try {
    if (b[0] === 0x89 && b[1] === 0x50) return PNG.sync.read(b);
    if (b[0] === 0xff && b[1] === 0xd8) return jpeg.decode(b, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  } catch (e) {
    throw new Error(`decodeImage: ${path} is corrupt or truncated (${(e as Error).message}); replace or remove it.`);
  }
  throw new Error(`decodeImage: ${path} is neither PNG nor JPEG (by its first bytes); convert it or remove it.`);
}

export function loadImageFolder(dir: string, options: ImageFolderOptions = {}): ImageSet {
  const where = 'loadImageFolder';
  checkOptions(where, options, ['size', 'channels', 'limitPerClass']);
  const ch = options.channels ?? 3;
  if (ch !== 1 && ch !== 3) throw new Error(`${where}: channels must be 1 or 3, got ${ch}.`);
  const expected = 'one sub-folder per class (e.g. cat/, dog/), each holding .png/.jpg/.jpeg images';
  requireDir(where, dir, expected);
  const classes = readdirSync(dir).filter((d) => !d.startsWith('.') && statSync(join(dir, d)).isDirectory()).sort();
  if (classes.length === 0) throw new Error(`${where}: ${dir} has no class sub-folders; expected ${expected}.`);
  const files: { path: string; label: number }[] = [];
  classes.forEach((c, k) => {
    let fs = readdirSync(join(dir, c)).filter((f) => EXT.test(f)).sort();
    if (options.limitPerClass !== undefined) fs = fs.slice(0, options.limitPerClass);
    for (const f of fs) files.push({ path: join(dir, c, f), label: k });
  });
  if (files.length === 0) throw new Error(`${where}: no .png/.jpg/.jpeg images in the class folders of ${dir} (${classes.join(', ')}).`);
  let h = 0;
  let w = 0;
  let x = new Float32Array(0);
  const y = new Int32Array(files.length);
  files.forEach((f, i) => {
    const img = decodeImage(f.path);
    if (i === 0) {
      [h, w] = options.size ?? [img.height, img.width];
      if (!(h > 0 && w > 0 && Number.isInteger(h) && Number.isInteger(w))) throw new Error(`${where}: size must be two positive integers [h, w], got [${h}, ${w}].`);
      x = new Float32Array(files.length * h * w * ch);
    }
    if (!options.size && (img.height !== h || img.width !== w)) {
      throw new Error(`${where}: ${f.path} is ${img.width}x${img.height} but ${files[0].path} is ${w}x${h}; pass { size: [h, w] } to resize them all.`);
    }
    writePixels(img, x, i * h * w * ch, h, w, ch);
    y[i] = f.label;
  });
  return { x, shape: [files.length, h, w, ch], y, classes };
}

/** RGBA bytes -> [h, w, ch] floats in [0, 1] at `out[offset...]`, bilinear resampling if sizes differ. */
function writePixels(img: { width: number; height: number; data: Uint8Array }, out: Float32Array, offset: number, h: number, w: number, ch: number): void {
  const { width: W, height: H, data } = img;
  const px = (r: number, c: number, k: number) => data[(r * W + c) * 4 + k];
  for (let r = 0; r < h; r++) {
    const sy = Math.min(H - 1, Math.max(0, ((r + 0.5) * H) / h - 0.5));
    const r0 = Math.floor(sy);
    const r1 = Math.min(H - 1, r0 + 1);
    const fy = sy - r0;
    for (let c = 0; c < w; c++) {
      const sx = Math.min(W - 1, Math.max(0, ((c + 0.5) * W) / w - 0.5));
      const c0 = Math.floor(sx);
      const c1 = Math.min(W - 1, c0 + 1);
      const fx = sx - c0;
      const rgb = [0, 1, 2].map((k) =>
        (1 - fy) * ((1 - fx) * px(r0, c0, k) + fx * px(r0, c1, k)) + fy * ((1 - fx) * px(r1, c0, k) + fx * px(r1, c1, k)));
      const o = offset + (r * w + c) * ch;
      if (ch === 3) for (let k = 0; k < 3; k++) out[o + k] = rgb[k] / 255;
      else out[o] = (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255;
    }
  }
}
