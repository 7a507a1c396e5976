/**
 * Minimum and Maximum for float32 on wasm, as one pass over the output in JS on the wasm heap.
 *
 * tfjs-backend-wasm 4.22 computes these with a generic element-index loop that is very slow when
 * an operand is broadcast (measured: clipping a [64,28,28,16] tensor to a per-example budget
 * [64,1,1,1] took ~200 ms per op, against ~12 ms for clipByValue), and PGD projects onto its
 * budget that way every step. Here dimensions are first collapsed (adjacent dimensions with the
 * same broadcast pattern merge), so the inner loop runs over long contiguous rows. Results equal
 * Math.min / Math.max elementwise, as the cpu backend computes them (NaN propagates).
 * Other dtypes go to tfjs' own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { callStock, heapF32, KernelArgs, WasmBackendLike } from './wasmUtil';

/**
 * Collapse a broadcast: drop output dimensions of size 1, merge neighbours whose broadcast
 * pattern (a broadcast?, b broadcast?) is the same, and return element strides per input
 * (0 along broadcast dimensions).
 */
export function collapseBroadcast(outShape: number[], aShape: number[], bShape: number[]): { dims: number[]; sa: number[]; sb: number[] } {
  const r = outShape.length;
  const pad = (s: number[]) => [...new Array(r - s.length).fill(1), ...s];
  const a = pad(aShape);
  const b = pad(bShape);
  const dims: number[] = [];
  const ba: boolean[] = [];
  const bb: boolean[] = [];
  for (let d = 0; d < r; d++) {
    if (outShape[d] === 1) continue;
    const pa = a[d] === 1;
    const pb = b[d] === 1;
    const k = dims.length - 1;
    if (k >= 0 && ba[k] === pa && bb[k] === pb) dims[k] *= outShape[d];
    else {
      dims.push(outShape[d]);
      ba.push(pa);
      bb.push(pb);
    }
  }
  const strides = (bcast: boolean[]) => {
    const s = new Array(dims.length).fill(0);
    let acc = 1;
    for (let d = dims.length - 1; d >= 0; d--) {
      if (!bcast[d]) {
        s[d] = acc;
        acc *= dims[d];
      }
    }
    return s;
  };
  return { dims, sa: strides(ba), sb: strides(bb) };
}

function broadcastLoop(av: Float32Array, bv: Float32Array, ov: Float32Array, dims: number[], sa: number[], sb: number[], isMin: boolean): void {
  const r = dims.length;
  if (r === 0) {
    ov[0] = isMin ? Math.min(av[0], bv[0]) : Math.max(av[0], bv[0]);
    return;
  }
  const inner = dims[r - 1];
  const ia = sa[r - 1];
  const ib = sb[r - 1];
  let outer = 1;
  for (let d = 0; d < r - 1; d++) outer *= dims[d];
  const idx = new Array(Math.max(0, r - 1)).fill(0);
  let offA = 0;
  let offB = 0;
  let o = 0;
  for (let row = 0; row < outer; row++) {
    let pa = offA;
    let pb = offB;
    if (isMin) for (let j = 0; j < inner; j++, pa += ia, pb += ib) ov[o++] = Math.min(av[pa], bv[pb]);
    else for (let j = 0; j < inner; j++, pa += ia, pb += ib) ov[o++] = Math.max(av[pa], bv[pb]);
    for (let d = r - 2; d >= 0; d--) {
      idx[d]++;
      offA += sa[d];
      offB += sb[d];
      if (idx[d] < dims[d]) break;
      offA -= sa[d] * dims[d];
      offB -= sb[d] * dims[d];
      idx[d] = 0;
    }
  }
}

function makeKernel(name: 'Minimum' | 'Maximum'): tf.KernelFunc {
  const isMin = name === 'Minimum';
  return (args) => {
    const { inputs } = args as unknown as KernelArgs;
    const backend = args.backend as unknown as WasmBackendLike;
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') {
      return callStock(name, args as unknown as KernelArgs);
    }
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = backend.makeOutput(outShape, 'float32');
    if (tf.util.sizeFromShape(outShape) === 0) return out;
    const { dims, sa, sb } = collapseBroadcast(outShape, a.shape, b.shape);
    // Views only after the allocation (makeOutput may grow the heap).
    broadcastLoop(heapF32(backend, a), heapF32(backend, b), heapF32(backend, out), dims, sa, sb, isMin);
    return out;
  };
}

export const minimumWasmConfig: tf.KernelConfig = { kernelName: 'Minimum', backendName: 'wasm', kernelFunc: makeKernel('Minimum') };
export const maximumWasmConfig: tf.KernelConfig = { kernelName: 'Maximum', backendName: 'wasm', kernelFunc: makeKernel('Maximum') };
