/**
 * Corrected gradient of MaxPool for tfjs 4.22: each window's upstream gradient goes to exactly
 * one input cell, the first maximum in row-major window order (PyTorch's subgradient choice).
 *
 *   dx[x] = sum_{y : x = firstArgmax_{x' in win(y)} x[x']} dy[y]
 *
 * tfjs 4.22's wasm MaxPoolGrad sends a tied window's gradient to its last maximum and drops it
 * entirely when the maximum is 0 (so sum(dx) != sum(dy)); the cpu kernel picks the first maximum.
 * The scatter runs in the kernel 'RobustlensMaxPoolGrad' (a loop on the backend's float32 data;
 * on wasm robustlens' C kernel csrc/max_pool_grad.c on the wasm heap, SIMD for 2x2 windows, or
 * without it a JS loop on the heap), registered for cpu, wasm and webgl; other backends keep
 * tfjs' MaxPoolGrad.
 *
 * @example
 *   registerGradientFixes();
 *   tf.grad((x) => tf.maxPool(x, 2, 2, 'valid').sum())(tf.ones([1, 2, 2, 1])); // [[1, 0], [0, 0]]
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels } from './wasmKernels';
import { convGeometry } from './wasmUtil';

export const MAX_POOL_GRAD_KERNEL = 'RobustlensMaxPoolGrad';

interface AnyBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeOutput?(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  /** wasm only: a view of a tensor's memory on the wasm heap. */
  typedArrayFromHeap?(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Kernel: inputs {dy, x}, attrs {filterSize, strides, pad, dimRoundingMode}; returns dx. */
export function maxPoolFirstMaxGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as AnyBackend;
  const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = (args.attrs ?? {}) as unknown as tf.MaxPoolAttrs;
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { B, H, W, C, oH, oW, fH, fW, sH, sW, top, left } = convGeometry(info);
  const size = B * H * W * C;
  // wasm: work on views of the wasm heap (no copies); cpu/webgl: readSync + makeTensorInfo
  const heap = typeof backend.typedArrayFromHeap === 'function' && typeof backend.makeOutput === 'function';
  const native = heap && x.dtype === 'float32' && dy.dtype === 'float32' ? nativeKernels(backend) : null;
  if (native) {
    const o = backend.makeOutput!(x.shape, 'float32');
    if (size > 0) native.exports.max_pool_grad(native.ptr(x), native.ptr(dy), native.ptr(o), B, H, W, C, oH, oW, fH, fW, sH, sW, top, left);
    return o;
  }
  let out: tf.TensorInfo | null = null;
  let dx: Float32Array;
  if (heap) {
    out = backend.makeOutput!(x.shape, 'float32');
    dx = backend.typedArrayFromHeap!(out) as Float32Array; // views taken after the allocation
    dx.fill(0);
  } else {
    dx = new Float32Array(size);
  }
  const xv = (heap ? backend.typedArrayFromHeap!(x) : backend.readSync(x.dataId)) as Float32Array;
  const dyv = (heap ? backend.typedArrayFromHeap!(dy) : backend.readSync(dy.dataId)) as Float32Array;
  if (fH === 2 && fW === 2 && sH === 2 && sW === 2 && top === 0 && left === 0 && 2 * oH <= H && 2 * oW <= W) {
    firstMax2x2(xv, dyv, dx, B, H, W, C, oH, oW);
  } else {
    firstMaxGeneral(xv, dyv, dx, info);
  }
  if (out != null) return out;
  // cpu/webgl: makeTensorInfo(shape, dtype, values); wasm: makeOutput(shape, dtype, offset, values)
  // (cpu also has a makeOutput, with another signature, so test makeTensorInfo first).
  if (typeof backend.makeTensorInfo === 'function') return backend.makeTensorInfo(x.shape, 'float32', dx);
  throw new Error(`robustlens ${MAX_POOL_GRAD_KERNEL}: backend '${tf.getBackend()}' cannot make an output tensor.`);
}

/** The common 2x2 / stride 2 / valid window, every window inside the input: no offset table. */
function firstMax2x2(xv: Float32Array, dyv: Float32Array, dx: Float32Array, B: number, H: number, W: number, C: number, oH: number, oW: number): void {
  const rowStep = W * C;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < oH; oy++) {
      for (let ox = 0; ox < oW; ox++) {
        const p0 = ((b * H + 2 * oy) * W + 2 * ox) * C; // top-left cell, channel 0
        const dyo = ((b * oH + oy) * oW + ox) * C;
        for (let c = 0; c < C; c++) {
          // row-major order: (0,0), (0,1), (1,0), (1,1); strict '>' keeps the first maximum,
          // a NaN wins (and propagates) as in PyTorch
          let at = p0 + c;
          let best = xv[at];
          let i = at + C;
          let v = xv[i];
          if (v > best || (v !== v && best === best)) { best = v; at = i; }
          i = p0 + rowStep + c;
          v = xv[i];
          if (v > best || (v !== v && best === best)) { best = v; at = i; }
          i += C;
          v = xv[i];
          if (v > best || (v !== v && best === best)) { best = v; at = i; }
          dx[at] += dyv[dyo + c];
        }
      }
    }
  }
}

function firstMaxGeneral(xv: Float32Array, dyv: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { B, H, W, C, oH, oW, fH, fW, sH, sW, top, left } = convGeometry(info);
  const cells = new Int32Array(fH * fW);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < oH; oy++) {
      const r0 = Math.max(0, oy * sH - top);
      const r1 = Math.min(H, oy * sH - top + fH);
      for (let ox = 0; ox < oW; ox++) {
        const c0 = Math.max(0, ox * sW - left);
        const c1 = Math.min(W, ox * sW - left + fW);
        // offsets of the window's cells, row-major (the order that decides ties)
        let n = 0;
        for (let r = r0; r < r1; r++) for (let col = c0; col < c1; col++) cells[n++] = ((b * H + r) * W + col) * C;
        if (n === 0) continue;
        const dyo = ((b * oH + oy) * oW + ox) * C;
        for (let c = 0; c < C; c++) {
          let at = cells[0] + c;
          let best = xv[at];
          for (let k = 1; k < n; k++) {
            const i = cells[k] + c;
            const v = xv[i];
            // strict '>' keeps the first maximum; a NaN wins (and propagates) as in PyTorch
            if (v > best || (v !== v && best === best)) {
              best = v;
              at = i;
            }
          }
          dx[at] += dyv[dyo + c];
        }
      }
    }
  }
}

/** Backends the first-maximum kernel is registered for. */
export const MAX_POOL_GRAD_BACKENDS = ['cpu', 'wasm', 'webgl'] as const;

export const maxPoolGradient: tf.GradConfig = {
  kernelName: 'MaxPool',
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, y] = saved as tf.Tensor4D[];
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
    return {
      x: () => {
        if (tf.getKernel(MAX_POOL_GRAD_KERNEL, tf.getBackend()) != null) {
          return tf.engine().runKernel(MAX_POOL_GRAD_KERNEL, { dy: dy as tf.Tensor, x }, {
            filterSize,
            strides,
            pad,
            dimRoundingMode,
          } as unknown as tf.NamedAttrMap) as tf.Tensor;
        }
        return tf.engine().runKernel('MaxPoolGrad', { dy: dy as tf.Tensor, input: x, output: y }, {
          filterSize,
          strides,
          pad,
          dimRoundingMode,
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
      },
    };
  },
};
