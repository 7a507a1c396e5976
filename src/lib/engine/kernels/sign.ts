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
import { callStock, heapUnary, KernelArgs, wasmKernel, WasmBackendLike } from './wasmUtil';

export function signWasm(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype !== 'float32') return callStock('Sign', args);
  const { out, n, xv, ov } = heapUnary(args.backend as WasmBackendLike, x);
  for (let i = 0; i < n; i++) {
    const v = xv[i];
    ov[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
  }
  return out;
}

export const signWasmConfig = wasmKernel('Sign', signWasm);
