/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend: dx of a depthwise convolution,
 * a direct scatter loop over float32 arrays (filter [fH, fW, C, M], dy [B, oH, oW, C*M]).
 *
 *   dx[b, y*s + i*d - p, x*s + j*d - q, c] += sum_m f[i, j, c, m] * dy[b, y, x, c*M + m]
 *
 * Strides, dilations and 'valid' / 'same' / explicit padding as in tf.depthwiseConv2d; NHWC.
 *
 * @example
 *   registerWasmKernels(); // then tf.grad(x => tf.depthwiseConv2d(x, w, 2, 'same').sum())(x) works on wasm
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, forEachConvTap, KernelArgs, outputF32, readF32, wasmKernel, WasmBackendLike } from './wasmUtil';

export function depthwiseConv2dNativeBackpropInputWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } = (args.attrs ?? {}) as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true);
  const g = convGeometry(info);
  const { B, H, W, C, O: CO } = g;
  const M = CO / C;
  const fv = readF32(backend, filter);
  const dyv = readF32(backend, dy);
  const dx = new Float32Array(B * H * W * C);
  forEachConvTap(g, (xo, dyo, fo) => {
    for (let c = 0; c < C; c++) {
      const base = c * M;
      let s = 0;
      for (let m = 0; m < M; m++) s += fv[fo + base + m] * dyv[dyo + base + m];
      dx[xo + c] += s;
    }
  });
  return outputF32(backend, [B, H, W, C], dx);
}

export const depthwiseConv2dNativeBackpropInputConfig = wasmKernel('DepthwiseConv2dNativeBackpropInput', depthwiseConv2dNativeBackpropInputWasm);
