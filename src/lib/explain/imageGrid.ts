/**
 * A rectangular grid segmentation of an h x w image: rows x cols cells of (nearly) equal size.
 *
 *   label(r, c) = floor(r * rows / h) * cols + floor(c * cols / w)
 * Returns one Int32Array label per pixel (row-major); LIME / KernelSHAP broadcast it over
 * trailing channel dimensions.
 *
 * @example
 *   const seg = imageGrid(28, 28, 4, 4);   // 16 segments
 *   await lime(model, x, { target: 3, segments: seg });
 */
export function imageGrid(h: number, w: number, rows: number, cols: number): Int32Array {
  for (const [n, v] of [['h', h], ['w', w], ['rows', rows], ['cols', cols]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`imageGrid: ${n} must be a positive integer; got ${v}.`);
  }
  if (rows > h || cols > w) throw new Error(`imageGrid: a ${rows} x ${cols} grid does not fit a ${h} x ${w} image.`);
  const out = new Int32Array(h * w);
  for (let r = 0; r < h; r++) {
    const gr = Math.floor((r * rows) / h);
    for (let c = 0; c < w; c++) out[r * w + c] = gr * cols + Math.floor((c * cols) / w);
  }
  return out;
}
