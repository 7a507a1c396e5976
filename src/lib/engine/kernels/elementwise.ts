/**
 * Per-op overhead of training on wasm (P1's conv-BatchNorm-ReLU blocks): kernels that run
 * robustlens' C code (csrc/elementwise.c) for the shapes training produces, and tfjs' own kernels
 * for every other shape or dtype, or without the C module (ROBUSTLENS_WASM_KERNELS=0).
 *
 *  - Sum / Mean over leading axes (axes 0..k-1 of a float32 tensor: bias and BatchNorm gradients,
 *    BatchNorm's batch moments): out[c] = sum_m x[m, c] (times 1/M for Mean), accumulated in double
 *    precision. tfjs-wasm transposes the reduced axes to the end first.
 *  - Multiply / Add / Sub of a float32 [..., C] tensor with a [C] vector (or [1, ..., 1, C]):
 *    BatchNorm's per-channel scale, shift and their gradients. tfjs-wasm's broadcasting loop
 *    computes an index per element.
 *  - Relu's gradient in one pass (kernel 'RobustlensReluGrad': dx = dy * step(x), NaN for NaN x),
 *    instead of Step, Cast and Multiply (three passes, two temporaries). Its own gradient
 *    (for second-order gradients) is ReluGrad again w.r.t. dy and 0 w.r.t. x.
 *
 * @example
 *   await engine.ready();           // registers these on wasm
 *   tf.sum(x4d, [0, 1, 2]);          // C kernel for float32
 */
import * as tf from '@tensorflow/tfjs';
import { callStock, KernelArgs, WasmBackendLike, heapF32, wasmKernel } from './wasmUtil';
import { nativeKernels } from './wasmKernels';

/** Below this many elements tfjs' own kernels are as fast (call overhead dominates). */
const MIN_SIZE = 1024;

function reduceLeading(name: 'Sum' | 'Mean', args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = (args.attrs ?? {}) as { axis?: number | number[]; keepDims?: boolean };
  const native = x.dtype === 'float32' ? nativeKernels(backend) : null;
  const size = tf.util.sizeFromShape(x.shape);
  if (native && size >= MIN_SIZE) {
    const axes = (axis == null ? x.shape.map((_, i) => i) : tf.util.parseAxisParam(axis, x.shape)).sort((a, b) => a - b);
    const k = axes.length;
    // axes 0..k-1, at least one axis kept
    if (k > 0 && k < x.shape.length && axes.every((a, i) => a === i)) {
      const M = tf.util.sizeFromShape(x.shape.slice(0, k));
      const rest = x.shape.slice(k);
      const C = tf.util.sizeFromShape(rest);
      const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest, 'float32');
      const acc = native.malloc(8 * C + 16);
      try {
        native.exports.sum_rows(native.ptr(x), M, C, (acc + 15) & ~15, native.ptr(out), name === 'Mean' ? 1 / M : 1);
      } finally {
        native.free(acc);
      }
      return out;
    }
  }
  return callStock(name, args);
}

export const sumWasm = (args: KernelArgs) => reduceLeading('Sum', args);
export const meanWasm = (args: KernelArgs) => reduceLeading('Mean', args);

/** The vector length C when `v` is [C] or [1, ..., 1, C] and `x` is [..., C] with more elements; else 0. */
function rowVector(x: number[], v: number[]): number {
  if (x.length === 0 || v.length === 0 || v.length > x.length) return 0;
  const C = v[v.length - 1];
  for (let i = 0; i < v.length - 1; i++) if (v[i] !== 1) return 0;
  return C === x[x.length - 1] && tf.util.sizeFromShape(x) > C ? C : 0;
}

const OP = { Multiply: 0, Add: 1, Sub: 2 } as const;

function binary(name: 'Multiply' | 'Add' | 'Sub', args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  if (a.dtype === 'float32' && b.dtype === 'float32') {
    const big = Math.max(tf.util.sizeFromShape(a.shape), tf.util.sizeFromShape(b.shape));
    const native = big >= MIN_SIZE ? nativeKernels(backend) : null;
    if (native) {
      let C = rowVector(a.shape, b.shape);
      let [x, v, op]: [tf.TensorInfo, tf.TensorInfo, number] = [a, b, OP[name]];
      if (!C) {
        C = rowVector(b.shape, a.shape);
        [x, v] = [b, a];
        if (name === 'Sub') op = 3; // a - b = v - x
      }
      if (C) {
        const out = backend.makeOutput(x.shape, 'float32');
        native.exports.bcast_rows(native.ptr(x), tf.util.sizeFromShape(x.shape) / C, C, native.ptr(v), native.ptr(out), op);
        return out;
      }
    }
  }
  return callStock(name, args);
}

export const multiplyWasm = (args: KernelArgs) => binary('Multiply', args);
export const addWasm = (args: KernelArgs) => binary('Add', args);
export const subWasm = (args: KernelArgs) => binary('Sub', args);

export const RELU_GRAD_KERNEL = 'RobustlensReluGrad';

/** Kernel: inputs {dy, x} (float32, same shape); dx = dy * step(x). */
export function reluGradWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const n = tf.util.sizeFromShape(x.shape);
  const out = backend.makeOutput(x.shape, 'float32');
  if (n === 0) return out;
  const native = nativeKernels(backend);
  if (native) {
    native.exports.relu_grad(native.ptr(x), native.ptr(dy), native.ptr(out), n);
    return out;
  }
  const xv = heapF32(backend, x), gv = heapF32(backend, dy), ov = heapF32(backend, out);
  for (let i = 0; i < n; i++) {
    const v = xv[i];
    ov[i] = gv[i] * (v > 0 ? 1 : v !== v ? v : 0);
  }
  return out;
}

/** Relu's gradient: one-pass kernel on wasm with the C module, tfjs' dy * cast(step(x)) elsewhere. */
export const reluGradient: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as tf.Tensor[];
    const g = dy as tf.Tensor;
    const fast = x.dtype === 'float32' && g.dtype === 'float32' && tf.getBackend() === 'wasm' && nativeKernels(tf.backend()) != null;
    return {
      x: () => (fast ? (tf.engine().runKernel(RELU_GRAD_KERNEL, { dy: g, x }) as tf.Tensor) : tf.mul(g, tf.cast(tf.step(x), 'float32'))),
    };
  },
};

/** ReluGrad's own gradient: w.r.t. dy the same mask, w.r.t. x zero. */
export const reluGradGradient: tf.GradConfig = {
  kernelName: RELU_GRAD_KERNEL,
  inputsToSave: ['x'],
  gradFunc: (ddx, saved) => {
    const [x] = saved as tf.Tensor[];
    const g = ddx as tf.Tensor;
    return {
      dy: () => tf.engine().runKernel(RELU_GRAD_KERNEL, { dy: g, x }) as tf.Tensor,
      x: () => tf.zerosLike(x),
    };
  },
};

/** Replacements for tfjs' own wasm kernels (tfjs' kept for other shapes). */
export const ELEMENTWISE_REPLACEMENTS: readonly tf.KernelConfig[] = [
  wasmKernel('Sum', sumWasm),
  wasmKernel('Mean', meanWasm),
  wasmKernel('Multiply', multiplyWasm),
  wasmKernel('Add', addWasm),
  wasmKernel('Sub', subWasm),
];

export const reluGradWasmConfig = wasmKernel(RELU_GRAD_KERNEL, reluGradWasm);
