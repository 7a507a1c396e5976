/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend: dW of a depthwise convolution,
 * a direct loop over float32 arrays (channel multiplier M, x [B, H, W, C], dy [B, oH, oW, C*M]).
 *
 *   dW[i, j, c, m] = sum_{b, y, x} xpad[b, y*s + i*d, x*s + j*d, c] * dy[b, y, x, c*M + m]
 *
 * Strides, dilations and 'valid' / 'same' / explicit padding as in tf.depthwiseConv2d; NHWC.
 *
 * @example
 *   registerWasmKernels(); // then tf.grad(w => tf.depthwiseConv2d(x, w, 1, 'same').sum())(w) works on wasm
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, forEachConvTap, KernelArgs, outputF32, readF32, wasmKernel, WasmBackendLike } from './wasmUtil';

export function depthwiseConv2dNativeBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } = (args.attrs ?? {}) as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, true);
  const g = convGeometry(info);
  const { C, O: CO, fH, fW } = g;
  const M = CO / C;
  const xv = readF32(backend, x);
  const dyv = readF32(backend, dy);
  // [fH, fW, C, M]; flat (c, m) index = c*M + m = output channel. Summed in double precision in
  // order b, y, x for every weight, then rounded once.
  const acc = new Float64Array(fH * fW * CO);
  forEachConvTap(g, (xo, dyo, fo) => {
    for (let c = 0; c < C; c++) {
      const xval = xv[xo + c];
      const base = c * M;
      for (let m = 0; m < M; m++) acc[fo + base + m] += xval * dyv[dyo + base + m];
    }
  });
  const out = Float32Array.from(acc);
  return outputF32(backend, [fH, fW, C, M], out);
}

export const depthwiseConv2dNativeBackpropFilterConfig = wasmKernel('DepthwiseConv2dNativeBackpropFilter', depthwiseConv2dNativeBackpropFilterWasm);
