/**
 * The image data set shape every image loader returns: plain typed arrays, not tensors, so sets can
 * be sliced, split and inspected without touching the backend (toTensors makes tensors on demand).
 *
 *   x: Float32Array, NHWC order, values in [0, 1]; pixel (i, r, c, k) is x[((i*h + r)*w + c)*ch + k]
 *   shape: [n, h, w, ch];  y: Int32Array of class indices in [0, classes.length);  classes: names
 *
 * @example
 *   const set = loadMnist(undefined, { split: 'test', limit: 100 }); set.shape // [100, 28, 28, 1]
 */
export interface ImageSet {
  x: Float32Array;
  shape: [number, number, number, number];
  y: Int32Array;
  classes: string[];
}

/** Throw a clear error (prefixed with `where`) if `set` is not a consistent ImageSet. */
export function checkImageSet(where: string, set: ImageSet): void {
  if (!set || !(set.x instanceof Float32Array) || !(set.y instanceof Int32Array) || !Array.isArray(set.shape) || set.shape.length !== 4) {
    throw new Error(`${where}: expected an ImageSet { x: Float32Array, shape: [n,h,w,c], y: Int32Array, classes }.`);
  }
  const [n, h, w, c] = set.shape;
  if (set.x.length !== n * h * w * c) throw new Error(`${where}: x has ${set.x.length} values but shape [${set.shape.join(', ')}] needs ${n * h * w * c}.`);
  if (set.y.length !== n) throw new Error(`${where}: y has ${set.y.length} labels but the set has ${n} images.`);
}

/** A new ImageSet holding the images at `indices` (in that order). */
export function subsetImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const [, h, w, c] = set.shape;
  const per = h * w * c;
  const m = indices.length;
  const x = new Float32Array(m * per);
  const y = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const i = indices[j];
    x.set(set.x.subarray(i * per, (i + 1) * per), j * per);
    y[j] = set.y[i];
  }
  return { x, shape: [m, h, w, c], y, classes: set.classes.slice() };
}
