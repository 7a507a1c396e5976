/**
 * GatherV2 on wasm along axis 0 (taking a minibatch of rows: train.fit's batches, batched
 * attribution paths): one block copy per index inside the wasm memory. tfjs-wasm 4.22's kernel
 * computes an index per element (about 4 ms for a batch of 8 P1 spectrograms). Other axes,
 * batchDims, dtypes, small rows and out-of-range indices go to tfjs' own kernel.
 *
 * @example
 *   tf.gather(x, tf.tensor1d([3, 1], 'int32'));   // rows 3 and 1 of x, copied as blocks
 */
import * as tf from '@tensorflow/tfjs';
import { callStock, KernelArgs, wasmKernel, WasmBackendLike } from './wasmUtil';

interface HeapBackend extends WasmBackendLike {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export function gatherWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as HeapBackend;
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const { axis, batchDims } = (args.attrs ?? {}) as { axis?: number; batchDims?: number };
  const ax = tf.util.parseAxisParam(axis ?? 0, x.shape)[0];
  const row = tf.util.sizeFromShape(x.shape.slice(1));
  if (ax === 0 && !batchDims && (x.dtype === 'float32' || x.dtype === 'int32') && indices.dtype === 'int32' && row >= 16 && x.shape.length > 0) {
    const n = tf.util.sizeFromShape(indices.shape);
    const rows = x.shape[0];
    const idx = backend.typedArrayFromHeap(indices) as Int32Array;
    let inRange = true;
    for (let i = 0; i < n; i++) if (!(idx[i] >= 0 && idx[i] < rows)) inRange = false;
    if (inRange) {
      const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
      if (n * row === 0) return out;
      // views after the allocation (it can grow the heap); copy within one view of the memory
      const xv = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
      const ov = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
      const iv = backend.typedArrayFromHeap(indices) as Int32Array;
      const heap = new Int32Array(xv.buffer);
      const x0 = xv.byteOffset >> 2, o0 = ov.byteOffset >> 2;
      for (let i = 0; i < n; i++) heap.copyWithin(o0 + i * row, x0 + iv[i] * row, x0 + (iv[i] + 1) * row);
      return out;
    }
  }
  return callStock('GatherV2', args);
}

export const gatherWasmConfig = wasmKernel('GatherV2', gatherWasm);
