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
import { KernelArgs, outputF32, readF32, WasmBackendLike } from './wasmUtil';

export function depthwiseConv2dNativeBackpropInputWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } = (args.attrs ??
    {}) as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
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
  const fv = readF32(backend, filter);
  const dyv = readF32(backend, dy);
  const dx = new Float32Array(B * H * W * C);
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < oH; y++) {
      for (let xc0 = 0; xc0 < oW; xc0++) {
        const dyo = ((b * oH + y) * oW + xc0) * CO;
        for (let i = 0; i < fH; i++) {
          const xr = y * sH + i * dH - top;
          if (xr < 0 || xr >= H) continue;
          for (let j = 0; j < fW; j++) {
            const xc = xc0 * sW + j * dW - left;
            if (xc < 0 || xc >= W) continue;
            const xo = ((b * H + xr) * W + xc) * C;
            const fo = (i * fW + j) * CO;
            for (let c = 0; c < C; c++) {
              const base = c * M;
              let s = 0;
              for (let m = 0; m < M; m++) s += fv[fo + base + m] * dyv[dyo + base + m];
              dx[xo + c] += s;
            }
          }
        }
      }
    }
  }
  return outputF32(backend, [B, H, W, C], dx);
}

export const depthwiseConv2dNativeBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInputWasm as unknown as tf.KernelFunc,
};
