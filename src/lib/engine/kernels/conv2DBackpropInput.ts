/**
 * Conv2DBackpropInput for the wasm backend: dx of a 2-D convolution as one wasm (XNNPACK) Conv2D
 * of dy with the spatially flipped, in/out-transposed filter (tfjs' own wasm kernel is a plain
 * C++ loop, ~30-40% of a small CNN's training step).
 *
 * With dy [B, oH, oW, O], filter w [fH, fW, C, O], stride s, top/left pads p of the forward conv:
 *   dx[b, i, j, c] = sum_{u, v, o} dyS[b, i + pT - u, j + pL - v, o] * w[u, v, c, o]
 * where dyS is dy with s - 1 zeros between rows/columns (dyS[y*s] = dy[y]). With the flipped
 * filter wF[u, v, o, c] = w[fH-1-u, fW-1-v, c, o] this is a correlation (conv2d, stride 1):
 *   dx = conv2d(pad(dyS, top fH-1-pT, bottom H - oH' + pT, same for columns), wF, 'valid')
 * with oH' = (oH - 1) s + 1. Stride 1 with non-negative pads passes the pads to XNNPACK; otherwise
 * the zero-stuffed, padded dy is written once on the wasm heap (strides with sH * sW <= 4 only:
 * stuffing multiplies the work by sH * sW). Larger strides (e.g. a hop-sized DFT conv of the
 * differentiable spectrogram) take the column route instead:
 *   cols[(b, y, x), (u, v, c)] = sum_o dy[b, y, x, o] w[u, v, c, o]     (one XNNPACK matmul)
 *   dx[b, y*sH + u - pT, x*sW + v - pL, c] += cols[(b, y, x), (u, v, c)]  (col2im on the heap)
 * NHWC only; other data formats fall back to tfjs' kernel.
 *
 * @example
 *   registerWasmKernels(); // tf.grad(x => tf.conv2d(x, w, 1, 'same').sum())(x) now runs XNNPACK
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, disposeInfos, heapF32, KernelArgs, WasmBackendLike } from './wasmUtil';

/** Largest sH * sW handled by zero-stuffing dy; larger strides use tfjs' kernel. */
export const MAX_STUFFED_STRIDE = 4;

/** tfjs-backend-wasm's own kernel (captured when robustlens' kernel is registered), the fallback. */
let stock: tf.KernelConfig | undefined;

/** Remember tfjs' kernel before replacing it (called by registerWasmKernels). */
export function captureStockConv2DBackpropInput(): void {
  const k = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (k != null && k.kernelFunc !== conv2DBackpropInputWasm) stock = k;
}

export function conv2DBackpropInputWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = (args.attrs ?? {}) as unknown as tf.Conv2DBackpropInputAttrs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat != null && dataFormat !== 'NHWC') {
    if (stock == null) throw new Error(`robustlens wasm Conv2DBackpropInput supports dataFormat 'NHWC' only, got '${dataFormat}'.`);
    return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const info = tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize: B, filterHeight: fH, filterWidth: fW, strideHeight: sH, strideWidth: sW } = info;
  const { inHeight: H, inWidth: W, outHeight: oH, outWidth: oW, outChannels: O } = info;
  const pT = info.padInfo.top;
  const pL = info.padInfo.left;
  // the stride-1 correlation's pads on the (zero-stuffed) dy
  const dH = (oH - 1) * sH + 1;
  const dW = (oW - 1) * sW + 1;
  const top = fH - 1 - pT;
  const left = fW - 1 - pL;
  const bottom = H - dH + pT;
  const right = W - dW + pL;

  const stuffed = sH !== 1 || sW !== 1 || top < 0 || bottom < 0 || left < 0 || right < 0;
  if (stuffed && sH * sW > MAX_STUFFED_STRIDE) {
    // zero-stuffing multiplies the work by sH * sW (a hop-sized stride would make a huge buffer):
    // one matmul to the columns, then scatter-add them (col2im)
    return col2imBackpropInput(backend, dy, filter, info);
  }
  // wF[u, v, o, c] = w[fH-1-u, fW-1-v, c, o]
  const flipped = callKernel('Reverse', 'wasm', backend, { x: filter }, { dims: [0, 1] });
  const wF = callKernel('Transpose', 'wasm', backend, { x: flipped }, { perm: [0, 1, 3, 2] });
  disposeInfos(backend, flipped);
  let src = dy;
  let convPad: number[][] = [[0, 0], [top, bottom], [left, right], [0, 0]];
  if (stuffed) {
    // write pad(dyS) explicitly: rows -top .. dH-1+bottom of dyS (negative pads crop)
    const pH = H + fH - 1;
    const pW = W + fW - 1;
    src = backend.makeOutput([B, pH, pW, O], 'float32');
    const out = heapF32(backend, src);
    out.fill(0);
    const inp = heapF32(backend, dy);
    for (let b = 0; b < B; b++) {
      for (let y = 0; y < oH; y++) {
        const r = y * sH + top; // row in the padded buffer
        if (r < 0 || r >= pH) continue;
        for (let x = 0; x < oW; x++) {
          const c = x * sW + left;
          if (c < 0 || c >= pW) continue;
          const from = ((b * oH + y) * oW + x) * O;
          out.set(inp.subarray(from, from + O), ((b * pH + r) * pW + c) * O);
        }
      }
    }
    convPad = [[0, 0], [0, 0], [0, 0], [0, 0]];
  }
  const dx = callKernel(
    'Conv2D',
    'wasm',
    backend,
    { x: src, filter: wF },
    { strides: [1, 1], dilations: [1, 1], pad: convPad as unknown as tf.NamedAttrMap['pad'], dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap,
  ); // [B, H, W, C]
  disposeInfos(backend, wF);
  if (stuffed) disposeInfos(backend, src);
  return dx;
}

/** dx by the column route: dy [B*oH*oW, O] x w[fH*fW*C, O]^T, then scatter-add into dx (col2im). */
function col2imBackpropInput(backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: B, filterHeight: fH, filterWidth: fW, strideHeight: sH, strideWidth: sW } = info;
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW, outChannels: O } = info;
  const pT = info.padInfo.top;
  const pL = info.padInfo.left;
  const M = B * oH * oW;
  const Kc = fH * fW * C;
  const a = callKernel('Reshape', 'wasm', backend, { x: dy }, { shape: [1, M, O] });
  const b = callKernel('Reshape', 'wasm', backend, { x: filter }, { shape: [1, Kc, O] });
  const cols = callKernel('BatchMatMul', 'wasm', backend, { a, b }, { transposeA: false, transposeB: true }); // [1, M, Kc]
  disposeInfos(backend, a, b);
  const dx = backend.makeOutput([B, H, W, C], 'float32');
  const out = heapF32(backend, dx); // views after the last allocation
  const cv = heapF32(backend, cols);
  out.fill(0);
  const rowLen = fW * C;
  for (let bi = 0; bi < B; bi++) {
    for (let y = 0; y < oH; y++) {
      for (let x = 0; x < oW; x++) {
        const m = (bi * oH + y) * oW + x;
        for (let u = 0; u < fH; u++) {
          const r = y * sH + u - pT;
          if (r < 0 || r >= H) continue;
          const src = m * Kc + u * rowLen;
          const c0 = x * sW - pL;
          // columns v with 0 <= c0 + v < W; each (v, c) run is contiguous in both arrays
          const v0 = Math.max(0, -c0);
          const v1 = Math.min(fW, W - c0);
          if (v1 <= v0) continue;
          const dst = ((bi * H + r) * W + c0) * C;
          for (let k = v0 * C, e = v1 * C; k < e; k++) out[dst + k] += cv[src + k];
        }
      }
    }
  }
  disposeInfos(backend, cols);
  return dx;
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputWasm as unknown as tf.KernelFunc,
};
