/**
 * A 0/1 mask from axis-aligned boxes, one per example: 1 inside rows [top, bottom) and columns
 * [left, right) (end-exclusive, clipped to the image), for the localisation metrics.
 *
 * @example boxMask([2, 8, 8, 1], [{ top: 1, left: 2, bottom: 4, right: 6 }, { top: 0, left: 0, bottom: 8, right: 3 }])
 */
import * as tf from '@tensorflow/tfjs';

export interface Box {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** shape: [N, H, W] or [N, H, W, C] (the box covers every channel); boxes: one per example. */
export function boxMask(shape: number[], boxes: Box[]): tf.Tensor {
  const where = 'boxMask';
  if (shape.length !== 3 && shape.length !== 4) throw new Error(`${where}: shape must be [N, H, W] or [N, H, W, C], got [${shape}].`);
  const [n, h, w] = shape;
  const c = shape.length === 4 ? shape[3] : 1;
  if (!Array.isArray(boxes) || boxes.length !== n) throw new Error(`${where}: length mismatch, ${n} examples but ${boxes?.length} boxes.`);
  const out = new Float32Array(n * h * w * c);
  boxes.forEach((b, i) => {
    for (const k of ['top', 'left', 'bottom', 'right'] as const) {
      if (!Number.isFinite(b?.[k])) throw new Error(`${where}: box ${i} has ${k} = ${b?.[k]}; give finite top, left, bottom, right.`);
    }
    const r0 = Math.max(0, Math.floor(b.top));
    const r1 = Math.min(h, Math.ceil(b.bottom));
    const c0 = Math.max(0, Math.floor(b.left));
    const c1 = Math.min(w, Math.ceil(b.right));
    for (let r = r0; r < r1; r++) for (let q = c0; q < c1; q++) for (let ch = 0; ch < c; ch++) out[((i * h + r) * w + q) * c + ch] = 1;
  });
  return tf.tensor(out, shape);
}
