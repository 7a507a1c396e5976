/**
 * Log1p for float32 on wasm, accurate near 0.
 *
 * tfjs-backend-wasm 4.22 computes log1p(x) as log(1 + x) in float32, so it returns 0 for
 * |x| < 1.19e-7 / 2 and loses all relative precision below ~1e-4 (1e-8 -> 0, 1.1e-7 -> 1.19e-7).
 * The library uses log1p in the logistic losses (log1p(exp(-|z|)), which wasm rounded to 0 for
 * |z| > ~16) and for log-compressed spectrograms. This kernel computes Math.log1p in double
 * precision and rounds to float32, as the cpu backend does (PyTorch's log1p agrees to float32
 * rounding). Other dtypes go to tfjs' own kernel.
 *
 * @example
 *   tf.log1p(tf.scalar(1e-8))   // 1e-8 on wasm as on cpu (tfjs-wasm 4.22 gave 0)
 */
import * as tf from '@tensorflow/tfjs';
import { callStock, heapUnary, KernelArgs, wasmKernel, WasmBackendLike } from './wasmUtil';

export function log1pWasm(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype !== 'float32') return callStock('Log1p', args);
  const { out, n, xv, ov } = heapUnary(args.backend as WasmBackendLike, x);
  for (let i = 0; i < n; i++) ov[i] = Math.log1p(xv[i]);
  return out;
}

export const log1pWasmConfig = wasmKernel('Log1p', log1pWasm);
