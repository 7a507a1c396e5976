/**
 * BatchMatMul and _FusedMatMul on wasm with transposed operands: tfjs-backend-wasm 4.22 runs
 * XNNPACK only for untransposed operands and a slow loop otherwise (measured: [939, 2050] x
 * [2048, 2050]^T took 5.3 s, the same product on a transposed copy 0.46 s + 0.04 s for the copy).
 * Every gradient of a matmul (dense layers, the DFT of the differentiable spectrogram) multiplies
 * by a transpose, so these wrappers transpose the flagged operand explicitly (one Transpose of its
 * last two axes) and call tfjs' own kernel with transposeA = transposeB = false:
 *
 *   matMul(a, b, tA, tB) = matMul(tA ? a^T : a, tB ? b^T : b, false, false)
 *
 * @example
 *   registerWasmKernels(); // then tf.matMul(a, b, false, true) runs on XNNPACK
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, callStock, disposeInfos, KernelArgs, WasmBackendLike } from './wasmUtil';

function swapLast(backend: WasmBackendLike, x: tf.TensorInfo): tf.TensorInfo {
  const r = x.shape.length;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return callKernel('Transpose', 'wasm', backend, { x }, { perm });
}

const wrappers = new Map<string, tf.KernelFunc>();

function matMulWrapper(name: string): tf.KernelFunc {
  let f = wrappers.get(name);
  if (f) return f;
  f = ((args: KernelArgs): tf.TensorInfo => {
    const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return callStock(name, args);
    const backend = args.backend as WasmBackendLike;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const made: tf.TensorInfo[] = [];
    const aa = attrs.transposeA ? swapLast(backend, a) : a;
    if (aa !== a) made.push(aa);
    const bb = attrs.transposeB ? swapLast(backend, b) : b;
    if (bb !== b) made.push(bb);
    try {
      return callStock(name, { inputs: { ...args.inputs, a: aa, b: bb }, backend: args.backend, attrs: { ...(args.attrs ?? {}), transposeA: false, transposeB: false } as tf.NamedAttrMap });
    } finally {
      disposeInfos(backend, ...made);
    }
  }) as unknown as tf.KernelFunc;
  wrappers.set(name, f);
  return f;
}

export const batchMatMulWasmConfig: tf.KernelConfig = { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: matMulWrapper('BatchMatMul') };
export const fusedMatMulWasmConfig: tf.KernelConfig = { kernelName: '_FusedMatMul', backendName: 'wasm', kernelFunc: matMulWrapper('_FusedMatMul') };
