/**
 * Conv2D (forward) on wasm: robustlens' C kernel (csrc/conv2d_forward.c, SIMD128) for the layers
 * XNNPACK runs slowly, tfjs' own (XNNPACK) kernel otherwise.
 *
 *   out[b, y, x, o] = sum_{i, j, c} xpad[b, y*sH + i, x*sW + j, c] * w[i, j, c, o]
 *
 * The C kernel takes layers with few input channels (fW * C <= NATIVE_FORWARD_MAX_ROW, e.g. a first
 * layer on images or spectrograms: measured 3-5x faster than XNNPACK there, which packs such thin
 * filters poorly), dilation 1, NHWC, float32. The input is zero-padded into a scratch copy when the
 * conv pads. Results equal XNNPACK's up to float rounding (another summation order).
 *
 * @example
 *   tf.conv2d(x, w, 1, 'same')   // [64, 28, 28, 1] x [3, 3, 1, 16]: the C kernel
 */
import * as tf from '@tensorflow/tfjs';
import { callStock, convGeometry, KernelArgs, wasmKernel, WasmBackendLike } from './wasmUtil';
import { nativeKernels, NativeKernels, onPaddedInput } from './wasmKernels';

/** Largest patch row fW * C the C kernel takes (beyond it XNNPACK's packed GEMM is as fast). */
export const NATIVE_FORWARD_MAX_ROW = 16;

/** The forward conv's geometry, or null when the C kernel does not cover it. */
export function nativeConvInfo(x: tf.TensorInfo, filterShape: number[], attrs: tf.Conv2DAttrs, maxRow: number): tf.backend_util.Conv2DInfo | null {
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs;
  if (dataFormat != null && dataFormat !== 'NHWC') return null;
  if (x.dtype !== 'float32') return null;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape as [number, number, number, number], strides, dilations ?? 1, pad, dimRoundingMode, false, 'channelsLast');
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  if (info.filterWidth * info.inChannels > maxRow) return null;
  return info;
}

export function conv2DWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const native = nativeKernels(backend);
  const info = native && filter.dtype === 'float32' ? nativeConvInfo(x, filter.shape, args.attrs as unknown as tf.Conv2DAttrs, NATIVE_FORWARD_MAX_ROW) : null;
  if (!native || !info) return callStock('Conv2D', args);
  return convForwardNative(native, backend, x, filter, null, info);
}

/** out = conv(x, filter) (+ bias) by csrc/conv2d_forward.c. */
export function convForwardNative(k: NativeKernels, backend: WasmBackendLike, x: tf.TensorInfo, filter: tf.TensorInfo, bias: tf.TensorInfo | null, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const g = convGeometry(info);
  const { B, C, oH, oW, O, fH, fW, sH, sW } = g;
  const out = backend.makeOutput(info.outShape, 'float32');
  if (B * oH * oW * O === 0) return out;
  const biasPtr = bias ? k.ptr(bias) : 0;
  onPaddedInput(k, x, g, (xp, Hp, Wp) => k.exports.conv2d_forward(xp, B, Hp, Wp, C, k.ptr(filter), biasPtr, fH, fW, sH, sW, k.ptr(out), oH, oW, O));
  return out;
}

export const conv2DWasmConfig = wasmKernel('Conv2D', conv2DWasm);
