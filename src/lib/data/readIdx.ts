/**
 * Read an IDX file (the MNIST / Fashion-MNIST format), gzipped or not.
 *
 * Layout (big-endian): bytes 0-1 = 0, byte 2 = element type (0x08 uint8, 0x09 int8, 0x0B int16,
 * 0x0C int32, 0x0D float32, 0x0E float64), byte 3 = number of dimensions d, then d uint32 sizes,
 * then prod(sizes) elements in row-major order.
 *
 * @example
 *   const { dims, data } = readIdx('data/mnist/train-images-idx3-ubyte.gz'); // dims [2000, 28, 28]
 */
import { gunzipOrPass, readMaybeGz } from './files';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface Idx {
  /** Sizes of each dimension, e.g. [n, 28, 28] for images, [n] for labels. */
  dims: number[];
  data: IdxData;
  type: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
}

const TYPES: Record<number, { type: Idx['type']; size: number }> = {
  0x08: { type: 'uint8', size: 1 },
  0x09: { type: 'int8', size: 1 },
  0x0b: { type: 'int16', size: 2 },
  0x0c: { type: 'int32', size: 4 },
  0x0d: { type: 'float32', size: 4 },
  0x0e: { type: 'float64', size: 8 },
};

/** Parse IDX bytes (or a file path); gzip is detected by its magic bytes. */
export function readIdx(input: string | Uint8Array, label?: string): Idx {
  const name = label ?? (typeof input === 'string' ? input : 'IDX bytes');
  const bytes = typeof input === 'string' ? readMaybeGz(input) : gunzipOrPass(input, name);
  const fix = 'The file is corrupt or not IDX: re-download it or re-run scripts/make-data.ts.';
  if (bytes.length < 4) throw new Error(`readIdx(${name}): truncated: ${bytes.length} bytes, an IDX header needs at least 4. ${fix}`);
  if (bytes[0] !== 0 || bytes[1] !== 0 || !TYPES[bytes[2]] || bytes[3] === 0) {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(`readIdx(${name}): bad magic number ${hex} (expected 00 00 <type 08|09|0b|0c|0d|0e> <ndims>). ${fix}`);
  }
  const t = TYPES[bytes[2]];
  const nd = bytes[3];
  const headerLen = 4 + 4 * nd;
  if (bytes.length < headerLen) throw new Error(`readIdx(${name}): truncated header (${bytes.length} bytes, need ${headerLen}). ${fix}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerLen + count * t.size;
  if (bytes.length !== expected) {
    throw new Error(`readIdx(${name}): size mismatch: header says dims [${dims.join(', ')}] of ${t.type} = ${expected} bytes, ` +
      `the file has ${bytes.length} (${bytes.length < expected ? 'truncated' : 'trailing bytes'}). ${fix}`);
  }
  let data: IdxData;
  if (t.type === 'uint8') data = bytes.slice(headerLen);
  else if (t.type === 'int8') data = new Int8Array(bytes.slice(headerLen).buffer);
  else {
    const Ctor = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[t.type];
    const out = new Ctor(count);
    for (let i = 0; i < count; i++) {
      const o = headerLen + i * t.size;
      out[i] = t.type === 'int16' ? view.getInt16(o, false) : t.type === 'int32' ? view.getInt32(o, false)
        : t.type === 'float32' ? view.getFloat32(o, false) : view.getFloat64(o, false);
    }
    data = out;
  }
  return { dims, data, type: t.type };
}
