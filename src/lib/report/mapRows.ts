/**
 * Turn an image, an attribution map or a spectrogram into the number[][] rows the figure builders
 * take. Tensors of rank 2 [h, w], 3 [h, w, c] or 4 [n, h, w, c] (pick one with `index`); channels are
 * reduced by 'mean' (images), 'sum', 'sumAbs' or 'l2' (attributions), or 'first'. A matrix
 * {data, shape: [frames, bins]} (audio spectrograms) with `transpose: true` gives bins as rows, lowest
 * frequency first: heatmapFigure draws row 0 at the bottom, so time runs left to right and frequency
 * bottom to top (in mapGridFigure, whose maps draw row 0 on top like images, give the map `origin: 'lower'`).
 *
 * @example
 *   report.mapGridFigure({ maps: [{ title: 'x', z: report.mapRows(x, { index: 0 }) }], cols: 1 });
 */
import * as tf from '@tensorflow/tfjs';

export type ChannelReduce = 'mean' | 'sum' | 'sumAbs' | 'l2' | 'first';

export function mapRows(
  x: tf.Tensor | { data: ArrayLike<number>; shape: [number, number] },
  opts: { index?: number; channels?: ChannelReduce; transpose?: boolean } = {},
): number[][] {
  let h: number;
  let w: number;
  let c = 1;
  let data: ArrayLike<number>;
  let offset = 0;
  if (x instanceof tf.Tensor) {
    const s = x.shape as number[];
    if (s.length < 2 || s.length > 4) throw new Error(`mapRows: expected a tensor of rank 2, 3 or 4, got shape [${s}].`);
    const index = opts.index ?? 0;
    if (s.length === 4 && (index < 0 || index >= s[0])) throw new Error(`mapRows: index ${index} out of range for a batch of ${s[0]}.`);
    [h, w] = s.length === 4 ? [s[1], s[2]] : [s[0], s[1]];
    c = s.length === 4 ? s[3] : s.length === 3 ? s[2] : 1;
    data = x.dataSync();
    offset = s.length === 4 ? index * h * w * c : 0;
  } else if (x && x.data && Array.isArray(x.shape) && x.shape.length === 2) {
    [h, w] = x.shape;
    data = x.data;
  } else throw new Error('mapRows: expected a tf.Tensor or a matrix {data, shape: [rows, cols]}.');
  const how = opts.channels ?? 'mean';
  const at = (r: number, col: number): number => {
    const base = offset + (r * w + col) * c;
    if (how === 'first' || c === 1) return how === 'sumAbs' ? Math.abs(data[base]) : data[base];
    let s = 0;
    for (let k = 0; k < c; k++) {
      const v = data[base + k];
      s += how === 'sumAbs' ? Math.abs(v) : how === 'l2' ? v * v : v;
    }
    return how === 'mean' ? s / c : how === 'l2' ? Math.sqrt(s) : s;
  };
  if (opts.transpose) {
    return Array.from({ length: w }, (_, j) => Array.from({ length: h }, (_, i) => at(i, j)));
  }
  return Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => at(i, j)));
}
