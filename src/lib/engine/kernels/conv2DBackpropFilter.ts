/**
 * Conv2DBackpropFilter for the wasm backend: dW of a 2-D convolution.
 *
 * Dilation 1 (every conv the library trains): robustlens' C kernel (csrc/conv2d_filter_grad.c,
 * SIMD128, on the wasm heap in place; the input is zero-padded into a scratch copy when the
 * forward conv was padded). It was 3-12x faster than the XNNPACK route below on the small CNN's
 * and merCnn's layers. Otherwise, or without the C kernels, one wasm (XNNPACK) Conv2D call on
 * transposed tensors:
 *
 * With x of shape [B, H, W, C], dy of shape [B, oH, oW, O], stride s, dilation d, top/left pads p:
 *   dW[i, j, c, o] = sum_{b, y, x} xpad[b, y*s + i*d, x*s + j*d, c] * dy[b, y, x, o]
 * which is conv2d(x^T, dy^T) with x^T = x transposed to [C, H, W, B] (channels become the batch,
 * the batch becomes the contracted channel axis), dy^T = dy transposed to [oH, oW, B, O] as the
 * filter, stride d and dilation s (roles swapped); the result [C, fH', fW', O] is cropped to
 * [C, fH, fW, O] and transposed to [fH, fW, C, O]. NHWC only; an optional `dilations` attribute
 * (not passed by tfjs' own conv2d gradient) is honoured, used by robustlens' dilated-conv gradient.
 *
 * @example
 *   registerWasmKernels(); // then tf.grad(w => tf.conv2d(x, w, 1, 'same'))(w) works on wasm
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, convGeometry, disposeInfos, KernelArgs, pair, wasmKernel, WasmBackendLike } from './wasmUtil';
import { nativeKernels, NativeKernels, onPaddedInput } from './wasmKernels';

export function conv2DBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = (args.attrs ?? {}) as unknown as tf.Conv2DBackpropFilterAttrs & { dilations?: number | [number, number] };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat != null && dataFormat !== 'NHWC') {
    throw new Error(`robustlens wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only, got '${dataFormat}'.`);
  }
  const dil = pair(attrs.dilations as number | [number, number] | undefined);
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, dil, pad, dimRoundingMode, false, 'channelsLast');
  const { H, W, C, oH, oW, O, fH, fW, sH, sW, dH, dW, top, left } = convGeometry(info);
  const native = dH === 1 && dW === 1 && x.dtype === 'float32' && dy.dtype === 'float32' ? nativeKernels(backend) : null;
  if (native) return filterGradNative(native, backend, x, dy, info);
  // Rows the forward pass touched: y*s + i*d - top for y < oH, i < fH. Pad the bottom/right so
  // every such row exists (ceil rounding can reach past the declared padding).
  const bottom = Math.max(0, (oH - 1) * sH + (fH - 1) * dH + 1 - H - top);
  const right = Math.max(0, (oW - 1) * sW + (fW - 1) * dW + 1 - W - left);

  const xT = callKernel('Transpose', 'wasm', backend, { x }, { perm: [3, 1, 2, 0] }); // [C, H, W, B]
  const dyT = callKernel('Transpose', 'wasm', backend, { x: dy }, { perm: [1, 2, 0, 3] }); // [oH, oW, B, O]
  const conv = callKernel(
    'Conv2D',
    'wasm',
    backend,
    { x: xT, filter: dyT },
    {
      strides: [dH, dW],
      dilations: [sH, sW],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ] as unknown as tf.NamedAttrMap['pad'],
      dataFormat: 'NHWC',
    } as unknown as tf.NamedAttrMap,
  ); // [C, fH', fW', O] with fH' >= fH
  disposeInfos(backend, xT, dyT);
  let cropped = conv;
  if (conv.shape[1] !== fH || conv.shape[2] !== fW) {
    cropped = callKernel('Slice', 'wasm', backend, { x: conv }, { begin: [0, 0, 0, 0], size: [C, fH, fW, O] });
    disposeInfos(backend, conv);
  }
  const out = callKernel('Transpose', 'wasm', backend, { x: cropped }, { perm: [1, 2, 0, 3] }); // [fH, fW, C, O]
  disposeInfos(backend, cropped);
  return out;
}

/** dW by csrc/conv2d_filter_grad.c (dilation 1). */
function filterGradNative(k: NativeKernels, backend: WasmBackendLike, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const g = convGeometry(info);
  const { B, C, oH, oW, O, fH, fW, sH, sW } = g;
  const out = backend.makeOutput([fH, fW, C, O], 'float32');
  if (B * oH * oW === 0 || C * O === 0) {
    // nothing to sum: the kernel only zeroes dw (B = 0)
    k.exports.conv2d_filter_grad(0, 0, 0, 0, C, 0, 0, 0, O, fH, fW, 1, 1, k.ptr(out));
    return out;
  }
  onPaddedInput(k, x, g, (xp, Hp, Wp) => k.exports.conv2d_filter_grad(xp, B, Hp, Wp, C, k.ptr(dy), oH, oW, O, fH, fW, sH, sW, k.ptr(out)));
  return out;
}

export const conv2DBackpropFilterConfig = wasmKernel('Conv2DBackpropFilter', conv2DBackpropFilterWasm);
