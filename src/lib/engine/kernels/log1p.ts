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
import { heapF32, KernelArgs, WasmBackendLike } from './wasmUtil';

let stock: tf.KernelConfig | undefined;

export function log1pWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype !== 'float32') {
    if (stock == null) throw new Error(`robustlens wasm Log1p: tfjs' own kernel (for ${x.dtype}) was not captured.`);
    return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const out = backend.makeOutput(x.shape, 'float32');
  const n = tf.util.sizeFromShape(x.shape);
  if (n === 0) return out;
  const xv = heapF32(backend, x); // views only after the allocation
  const ov = heapF32(backend, out);
  for (let i = 0; i < n; i++) ov[i] = Math.log1p(xv[i]);
  return out;
}

/** Keep tfjs' own wasm Log1p for other dtypes (call before replacing it). */
export function captureStockLog1p(): void {
  const k = tf.getKernel('Log1p', 'wasm');
  if (k != null && k.kernelFunc !== log1pWasm) stock = k;
}

export const log1pWasmConfig: tf.KernelConfig = {
  kernelName: 'Log1p',
  backendName: 'wasm',
  kernelFunc: log1pWasm as unknown as tf.KernelFunc,
};
