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
import { KernelArgs, outputF32, readF32, WasmBackendLike } from './wasmUtil';

export function depthwiseConv2dNativeBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } = (args.attrs ??
    {}) as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW, outChannels: CO } = info;
  const { filterHeight: fH, filterWidth: fW, strideHeight: sH, strideWidth: sW } = info;
  const { dilationHeight: dH, dilationWidth: dW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const M = CO / C;
  const xv = readF32(backend, x);
  const dyv = readF32(backend, dy);
  const out = new Float32Array(fH * fW * C * M); // [fH, fW, C, M]; flat (c, m) index = c*M + m = output channel
  const acc = new Float64Array(CO);
  for (let i = 0; i < fH; i++) {
    for (let j = 0; j < fW; j++) {
      acc.fill(0);
      for (let b = 0; b < B; b++) {
        for (let y = 0; y < oH; y++) {
          const xr = y * sH + i * dH - top;
          if (xr < 0 || xr >= H) continue;
          for (let xc0 = 0; xc0 < oW; xc0++) {
            const xc = xc0 * sW + j * dW - left;
            if (xc < 0 || xc >= W) continue;
            const xo = ((b * H + xr) * W + xc) * C;
            const dyo = ((b * oH + y) * oW + xc0) * CO;
            for (let c = 0; c < C; c++) {
              const xval = xv[xo + c];
              const base = c * M;
              for (let m = 0; m < M; m++) acc[base + m] += xval * dyv[dyo + base + m];
            }
          }
        }
      }
      out.set(acc, (i * fW + j) * CO);
    }
  }
  return outputF32(backend, [fH, fW, C, M], out);
}

export const depthwiseConv2dNativeBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilterWasm as unknown as tf.KernelFunc,
};
