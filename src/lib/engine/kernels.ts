/**
 * Kernels the wasm backend of TensorFlow.js 4.22 lacks for training and gradients, and
 * corrected gradients for tfjs 4.22 gradient bugs.
 *
 * registerWasmKernels() is called once by engine.ready() after the wasm backend is selected; it
 * registers, for backend 'wasm': Conv2DBackpropFilter (as one XNNPACK Conv2D on transposed
 * tensors), Conv2DBackpropInput (replacing tfjs' loop kernel: one XNNPACK Conv2D with the flipped
 * filter; see kernels/conv2DBackpropInput.ts), DepthwiseConv2dNativeBackpropFilter / DepthwiseConv2dNativeBackpropInput and
 * UnsortedSegmentSum (loops over float32 arrays), Einsum (forward, on wasm kernels), float32
 * Minimum / Maximum (replacing tfjs' slow broadcasting loop; kernels/minMaxBroadcast.ts),
 * BatchMatMul / _FusedMatMul with transposed operands (transposed explicitly, then XNNPACK;
 * kernels/matMulTransposed.ts), float32 Sign without tfjs-wasm's dead zone |x| <= 1.19e-7
 * (kernels/sign.ts: +-1 for any nonzero x, as on cpu and in PyTorch) and float32 Log1p accurate
 * near 0 (kernels/log1p.ts), float32 ClipByValue that keeps NaN (kernels/clipByValue.ts), Sum / Mean
 * over leading axes, Multiply / Add / Sub with a per-channel vector and a one-pass Relu gradient
 * (kernels/elementwise.ts, C), GatherV2 along axis 0 as block copies (kernels/gather.ts), the
 * fused Adam update 'RobustlensAdam' (adam.ts), then registerGradientFixes().
 *
 * @example
 *   await engine.ready();   // registers these on wasm
 *   tf.grad((w) => tf.conv2d(x, w, 1, 'same').sum())(w);   // works on wasm
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './kernels/conv2DBackpropFilter';
import { conv2DBackpropInputConfig } from './kernels/conv2DBackpropInput';
import { depthwiseConv2dNativeBackpropFilterConfig } from './kernels/depthwiseConv2dNativeBackpropFilter';
import { depthwiseConv2dNativeBackpropInputConfig } from './kernels/depthwiseConv2dNativeBackpropInput';
import { unsortedSegmentSumConfig } from './kernels/unsortedSegmentSum';
import { einsumConfig } from './kernels/einsum';
import { minimumWasmConfig, maximumWasmConfig } from './kernels/minMaxBroadcast';
import { batchMatMulWasmConfig, fusedMatMulWasmConfig } from './kernels/matMulTransposed';
import { avgPoolGradient } from './kernels/avgPoolGradient';
import { maxPoolGradient, maxPoolFirstMaxGrad, MAX_POOL_GRAD_KERNEL, MAX_POOL_GRAD_BACKENDS } from './kernels/maxPoolGradient';
import { resizeNearestNeighborGradient } from './kernels/resizeNearestNeighborGradient';
import { batchNormGradient } from './kernels/batchNormGradient';
import { signWasmConfig } from './kernels/sign';
import { log1pWasmConfig } from './kernels/log1p';
import { clipByValueWasmConfig } from './kernels/clipByValue';
import { conv2DWasmConfig } from './kernels/conv2D';
import { gatherWasmConfig } from './kernels/gather';
import { adamKernelConfig } from './adam';
import { captureStock } from './kernels/wasmUtil';
import { ELEMENTWISE_REPLACEMENTS, reluGradWasmConfig, reluGradient, reluGradGradient } from './kernels/elementwise';

/** The kernel configs robustlens adds to the wasm backend. */
export const WASM_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
  einsumConfig,
  reluGradWasmConfig,
  adamKernelConfig,
];

let registered = false;

/** Kernels robustlens registers on wasm in place of tfjs' own (faster; tfjs' kept as fallback). */
export const WASM_KERNEL_REPLACEMENTS: readonly tf.KernelConfig[] = [
  conv2DBackpropInputConfig,
  minimumWasmConfig,
  maximumWasmConfig,
  batchMatMulWasmConfig,
  fusedMatMulWasmConfig,
  signWasmConfig,
  log1pWasmConfig,
  clipByValueWasmConfig,
  conv2DWasmConfig,
  ...ELEMENTWISE_REPLACEMENTS,
  gatherWasmConfig,
];

/** Register robustlens' extra kernels for backend 'wasm' (idempotent), plus the gradient fixes. */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of WASM_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) == null) tf.registerKernel(config);
  }
  captureStock(WASM_KERNEL_REPLACEMENTS);
  for (const config of WASM_KERNEL_REPLACEMENTS) {
    const have = tf.getKernel(config.kernelName, config.backendName);
    if (have?.kernelFunc === config.kernelFunc) continue;
    if (have != null) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
  registerGradientFixes();
}

let poolGradKernels = false;

/**
 * Override tfjs 4.22's gradients for AvgPool ('same' padding), MaxPool (tied maxima) and
 * ResizeNearestNeighbor (batch > 1), and FusedBatchNorm's (same values, broadcasting instead of
 * Tile: faster). Gradients are registered per kernel name, for every backend.
 *
 * Idempotent: engine.ready() calls it; a later call re-registers only what something replaced
 * (tfjs' gradient registry is global) and returns those kernel names. There is one tfjs in the
 * process (danfojs-node's @tensorflow/tfjs-node is a shim re-exporting ours, packages/tfjs-shim),
 * so nothing re-registers tfjs' stock gradients after start-up.
 */
export function registerGradientFixes(): string[] {
  if (!poolGradKernels) {
    poolGradKernels = true;
    for (const backendName of MAX_POOL_GRAD_BACKENDS) {
      if (tf.getKernel(MAX_POOL_GRAD_KERNEL, backendName) == null) {
        tf.registerKernel({ kernelName: MAX_POOL_GRAD_KERNEL, backendName, kernelFunc: maxPoolFirstMaxGrad as unknown as tf.KernelFunc });
      }
    }
  }
  const redone: string[] = [];
  for (const config of GRADIENT_FIXES) {
    if (tf.getGradient(config.kernelName) === config) continue;
    tf.registerGradient(config);
    redone.push(config.kernelName);
  }
  return redone;
}

/** The corrected gradient configs (registered for every backend: gradients are per kernel name). */
export const GRADIENT_FIXES: readonly tf.GradConfig[] = [avgPoolGradient, maxPoolGradient, resizeNearestNeighborGradient, batchNormGradient, reluGradient, reluGradGradient];
