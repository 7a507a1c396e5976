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
import { callStock, heapUnary, KernelArgs, wasmKernel, WasmBackendLike } from './wasmUtil';

export function clipByValueWasm(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return callStock('ClipByValue', args);
  const { clipValueMin, clipValueMax } = (args.attrs ?? {}) as unknown as tf.ClipByValueAttrs;
  const int = x.dtype === 'int32';
  // int32: the bounds as given, truncated when stored (as the cpu backend does)
  const lo = int ? clipValueMin : Math.fround(clipValueMin);
  const hi = int ? clipValueMax : Math.fround(clipValueMax);
  const { out, n, xv, ov } = heapUnary(args.backend as WasmBackendLike, x, x.dtype);
  for (let i = 0; i < n; i++) {
    const v = xv[i];
    ov[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}

export const clipByValueWasmConfig = wasmKernel('ClipByValue', clipByValueWasm);
