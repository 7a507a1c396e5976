/**
 * UnsortedSegmentSum for the wasm backend (the gradient of tf.gather): sums the slices of x
 * that share a segment id.
 *
 *   out[k, ...] = sum_{i : segmentIds[i] = k} x[i, ...]      (ids outside [0, numSegments) are dropped)
 *
 * segmentIds may have any rank r <= rank(x); it indexes the first r axes of x, and the output has
 * shape [numSegments, ...x.shape.slice(r)]. float32 and int32 x.
 *
 * @example
 *   tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([0, 1, 0], 'int32'), 2) // [4, 2]
 */
import * as tf from '@tensorflow/tfjs';
import { KernelArgs, readI32, wasmKernel, WasmBackendLike } from './wasmUtil';

export function unsortedSegmentSumWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = (args.attrs ?? {}) as unknown as tf.UnsortedSegmentSumAttrs;
  const r = segmentIds.shape.length;
  for (let a = 0; a < r; a++) {
    if (segmentIds.shape[a] !== x.shape[a]) {
      throw new Error(
        `robustlens UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}].`,
      );
    }
  }
  const inner = tf.util.sizeFromShape(x.shape.slice(r));
  const n = tf.util.sizeFromShape(segmentIds.shape);
  const ids = readI32(backend, segmentIds);
  const xv = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const outShape = [numSegments, ...x.shape.slice(r)];
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < n; i++) {
    const k = ids[i];
    if (k < 0 || k >= numSegments) continue;
    const xo = i * inner;
    const oo = k * inner;
    for (let t = 0; t < inner; t++) out[oo + t] += xv[xo + t];
  }
  return backend.makeOutput(outShape, x.dtype === 'int32' ? 'int32' : 'float32', undefined, out);
}

export const unsortedSegmentSumConfig = wasmKernel('UnsortedSegmentSum', unsortedSegmentSumWasm);
