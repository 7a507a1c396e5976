/**
 * ClipByValue for float32 on wasm that lets NaN through, as the cpu backend and PyTorch's clamp do.
 *
 *   clip(x, lo, hi) = lo if x < lo, hi if x > hi, else x        (NaN stays NaN)
 *
 * tfjs-backend-wasm 4.22 (XNNPACK clamp) returns lo for NaN, so a NaN gradient or input would be
 * silently turned into a valid-looking value in an attack's clipping step; on int32 it returned
 * x unclipped. One pass over the wasm heap for float32 and int32; other dtypes go to tfjs' own
 * kernel.
 *
 * @example
 *   tf.clipByValue(tf.tensor1d([NaN, -2, 0.5]), 0, 1)   // [NaN, 0, 0.5] on wasm as on cpu
 */
import * as tf from '@tensorflow/tfjs';
import { KernelArgs, WasmBackendLike } from './wasmUtil';

let stock: tf.KernelConfig | undefined;

export function clipByValueWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    if (stock == null) throw new Error(`robustlens wasm ClipByValue: tfjs' own kernel (for ${x.dtype}) was not captured.`);
    return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const { clipValueMin, clipValueMax } = (args.attrs ?? {}) as unknown as tf.ClipByValueAttrs;
  const int = x.dtype === 'int32';
  // int32: the bounds as given, truncated when stored (as the cpu backend does)
  const lo = int ? clipValueMin : Math.fround(clipValueMin);
  const hi = int ? clipValueMax : Math.fround(clipValueMax);
  const out = backend.makeOutput(x.shape, x.dtype);
  const n = tf.util.sizeFromShape(x.shape);
  if (n === 0) return out;
  const heap = backend as unknown as { typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array };
  const xv = heap.typedArrayFromHeap(x); // views only after the allocation
  const ov = heap.typedArrayFromHeap(out);
  for (let i = 0; i < n; i++) {
    const v = xv[i];
    ov[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}

/** Keep tfjs' own wasm ClipByValue for other dtypes (call before replacing it). */
export function captureStockClipByValue(): void {
  const k = tf.getKernel('ClipByValue', 'wasm');
  if (k != null && k.kernelFunc !== clipByValueWasm) stock = k;
}

export const clipByValueWasmConfig: tf.KernelConfig = {
  kernelName: 'ClipByValue',
  backendName: 'wasm',
  kernelFunc: clipByValueWasm as unknown as tf.KernelFunc,
};
