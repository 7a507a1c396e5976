/**
 * The kernels robustlens used before the bench's speed-ups, kept so `npm run bench` can measure
 * before/after in the same command: tfjs' stock wasm Conv2DBackpropInput (captured before
 * engine.ready() replaces it), tfjs' stock wasm BatchMatMul / _FusedMatMul (slow loops for
 * transposed operands), Minimum / Maximum and GatherV2, and the original JS first-maximum MaxPool gradient
 * (a copy of the first version of src/lib/engine/kernels/maxPoolGradient.ts, reading/writing
 * through copies), no C kernels (csrc/) and no fused Adam kernel (engine.adam takes tfjs' update).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { MAX_POOL_GRAD_KERNEL } from '../src/lib/engine/kernels/maxPoolGradient';
import { setNativeKernels } from '../src/lib/engine/kernels/wasmKernels';

/** tfjs-backend-wasm's own Conv2DBackpropInput, captured at import (before engine.ready()). */
const stockBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
/** Other stock kernels robustlens replaces, captured at import. */
const stockOthers = ['BatchMatMul', '_FusedMatMul', 'Minimum', 'Maximum', 'GatherV2'].map((name) => tf.getKernel(name, 'wasm'));

interface AnyBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

function legacyMaxPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as AnyBackend;
  const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = (args.attrs ?? {}) as unknown as tf.MaxPoolAttrs;
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
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
  return backend.makeOutput(x.shape, 'float32', undefined, dx);
}

/** Swap the wasm kernels back to the pre-bench versions (call after engine.ready()). */
export function useLegacyKernels(): void {
  if (tf.getBackend() !== 'wasm') return;
  setNativeKernels(false); // robustlens' C kernels (csrc/) off: every kernel takes its previous path
  if (stockBackpropInput == null) throw new Error('bench: tfjs-backend-wasm has no Conv2DBackpropInput to restore.');
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(stockBackpropInput);
  for (const k of stockOthers) {
    if (k == null) continue;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel(k);
  }
  // engine.adam without its fused kernel takes tfjs' own update
  if (tf.getKernel('RobustlensAdam', 'wasm') != null) tf.unregisterKernel('RobustlensAdam', 'wasm');
  tf.unregisterKernel(MAX_POOL_GRAD_KERNEL, 'wasm');
  tf.registerKernel({ kernelName: MAX_POOL_GRAD_KERNEL, backendName: 'wasm', kernelFunc: legacyMaxPoolGrad as unknown as tf.KernelFunc });
}
