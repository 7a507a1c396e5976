/**
 * Corrected gradient of MaxPool for tfjs 4.22: each window's upstream gradient goes to exactly
 * one input cell, the first maximum in row-major window order (PyTorch's subgradient choice).
 *
 *   dx[x] = sum_{y : x = firstArgmax_{x' in win(y)} x[x']} dy[y]
 *
 * tfjs 4.22's wasm MaxPoolGrad sends a tied window's gradient to its last maximum and drops it
 * entirely when the maximum is 0 (so sum(dx) != sum(dy)); the cpu kernel picks the first maximum.
 * The scatter runs in the kernel 'RobustlensMaxPoolGrad' (a loop on the backend's float32 data),
 * registered for cpu, wasm and webgl; other backends keep tfjs' MaxPoolGrad.
 *
 * @example
 *   registerGradientFixes();
 *   tf.grad((x) => tf.maxPool(x, 2, 2, 'valid').sum())(tf.ones([1, 2, 2, 1])); // [[1, 0], [0, 0]]
 */
import * as tf from '@tensorflow/tfjs';

export const MAX_POOL_GRAD_KERNEL = 'RobustlensMaxPoolGrad';

interface AnyBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeOutput?(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

/** Kernel: inputs {dy, x}, attrs {filterSize, strides, pad, dimRoundingMode}; returns dx. */
export function maxPoolFirstMaxGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as AnyBackend;
  const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = (args.attrs ?? {}) as unknown as tf.MaxPoolAttrs;
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW } = info;
  const { filterHeight: fH, filterWidth: fW, strideHeight: sH, strideWidth: sW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xv = backend.readSync(x.dataId) as Float32Array;
  const dyv = backend.readSync(dy.dataId) as Float32Array;
  const dx = new Float32Array(B * H * W * C);
  const best = new Float32Array(C);
  const bestAt = new Int32Array(C);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < oH; oy++) {
      const r0 = Math.max(0, oy * sH - top);
      const r1 = Math.min(H, oy * sH - top + fH);
      for (let ox = 0; ox < oW; ox++) {
        const c0 = Math.max(0, ox * sW - left);
        const c1 = Math.min(W, ox * sW - left + fW);
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let r = r0; r < r1; r++) {
          for (let col = c0; col < c1; col++) {
            const o = ((b * H + r) * W + col) * C;
            for (let c = 0; c < C; c++) {
              const v = xv[o + c];
              // strict '>' keeps the first maximum; a NaN wins (and propagates) as in PyTorch
              if (bestAt[c] < 0 || v > best[c] || (v !== v && best[c] === best[c])) {
                best[c] = v;
                bestAt[c] = o + c;
              }
            }
          }
        }
        const dyo = ((b * oH + oy) * oW + ox) * C;
        for (let c = 0; c < C; c++) if (bestAt[c] >= 0) dx[bestAt[c]] += dyv[dyo + c];
      }
    }
  }
  // cpu/webgl: makeTensorInfo(shape, dtype, values); wasm: makeOutput(shape, dtype, offset, values)
  // (cpu also has a makeOutput, with another signature, so test makeTensorInfo first).
  if (typeof backend.makeTensorInfo === 'function') return backend.makeTensorInfo(x.shape, 'float32', dx);
  if (typeof backend.makeOutput === 'function') return backend.makeOutput(x.shape, 'float32', undefined, dx);
  throw new Error(`robustlens ${MAX_POOL_GRAD_KERNEL}: backend '${tf.getBackend()}' cannot make an output tensor.`);
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
