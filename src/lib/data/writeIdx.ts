/**
 * Encode a uint8 IDX file (the inverse of readIdx for image and label subsets).
 *
 * @example
 *   writeIdx([2, 2], new Uint8Array([0, 1, 2, 3])) // 00 00 08 02 | 00 00 00 02 | 00 00 00 02 | 00 01 02 03
 */
export function writeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`writeIdx: dims [${dims.join(', ')}] need ${count} values, got ${data.length}.`);
  const out = new Uint8Array(4 + 4 * dims.length + count);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
