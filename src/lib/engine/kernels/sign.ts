/**
 * Sign for float32 on wasm, without tfjs-backend-wasm 4.22's dead zone.
 *
 * tfjs-backend-wasm 4.22's Sign returns 0 for |x| <= 1.19e-7 (FLT_EPSILON), so every Linf step
 * x + a * sign(g) left coordinates with a small but real gradient unmoved (a PGD step on the
 * committed models: 241 of 105,263 coordinates). This kernel computes what the cpu backend and
 * PyTorch compute, elementwise:
 *
 *   sign(x) = 1 if x > 0, -1 if x < 0, else 0
 *
 * so any nonzero x, however tiny (denormals included), gives +-1; +0 and -0 give +0; NaN gives 0
 * (tfjs' cpu backend and PyTorch 1.13's torch.sign both return 0 for NaN, checked; NumPy would
 * return NaN). One pass over the wasm heap, no copies. Other dtypes go to tfjs' own kernel
 * (integers have no dead zone).
 *
 * @example
 *   tf.sign(tf.tensor1d([1e-30, -1e-8, 0, NaN]))   // [1, -1, 0, 0] on wasm as on cpu
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, KernelArgs, WasmBackendLike } from './wasmUtil';

let stock: tf.KernelConfig | undefined;

export function signWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype !== 'float32') {
    if (stock == null) throw new Error(`robustlens wasm Sign: tfjs' own kernel (for ${x.dtype}) was not captured.`);
    return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const out = backend.makeOutput(x.shape, 'float32');
  const n = tf.util.sizeFromShape(x.shape);
  if (n === 0) return out;
  // views only after the allocation (makeOutput may grow the heap)
  const xv = heapF32(backend, x);
  const ov = heapF32(backend, out);
  for (let i = 0; i < n; i++) {
    const v = xv[i];
    ov[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
  }
  return out;
}

/** Keep tfjs' own wasm Sign for int32 (call before replacing it). */
export function captureStockSign(): void {
  const k = tf.getKernel('Sign', 'wasm');
  if (k != null && k.kernelFunc !== signWasm) stock = k;
}

export const signWasmConfig: tf.KernelConfig = {
  kernelName: 'Sign',
  backendName: 'wasm',
  kernelFunc: signWasm as unknown as tf.KernelFunc,
};
