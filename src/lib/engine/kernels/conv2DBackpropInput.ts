/**
 * Conv2DBackpropInput for the wasm backend: dx of a 2-D convolution.
 *
 * Dilation 1 (NHWC float32, any stride and padding): robustlens' C kernel
 * (csrc/conv2d_input_grad.c, SIMD128), a scatter of dy through the filter into a zero-padded
 * buffer, then cropped. Without the C kernels: as one wasm (XNNPACK) Conv2D
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
import { callKernel, callStock, convGeometry, disposeInfos, heapF32, KernelArgs, stockKernel, wasmKernel, WasmBackendLike } from './wasmUtil';
import { nativeKernels, NativeKernels } from './wasmKernels';

/** Largest sH * sW handled by zero-stuffing dy; larger strides use tfjs' kernel. */
export const MAX_STUFFED_STRIDE = 4;

export function conv2DBackpropInputWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = (args.attrs ?? {}) as unknown as tf.Conv2DBackpropInputAttrs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat != null && dataFormat !== 'NHWC') {
    if (stockKernel('Conv2DBackpropInput') == null) throw new Error(`robustlens wasm Conv2DBackpropInput supports dataFormat 'NHWC' only, got '${dataFormat}'.`);
    return callStock('Conv2DBackpropInput', args);
  }
  const info = tf.backend_util.computeConv2DInfo(inputShape as [number, number, number, number], filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { B, H, W, oH, oW, O, fH, fW, sH, sW, top: pT, left: pL } = convGeometry(info);
  const native = filter.dtype === 'float32' && dy.dtype === 'float32' ? nativeKernels(backend) : null;
  if (native && useNativeInputGrad(info)) return inputGradNative(native, backend, dy, filter, info);
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

/** Below this many input channels the C kernel vectorises over output points (conv2d_input_grad_thin). */
export const THIN_CHANNELS = 4;

/** Shapes where the C scatter kernel is used (all NHWC float32 convs; see the file comment). */
export function useNativeInputGrad(info: tf.backend_util.Conv2DInfo): boolean {
  return info.dilationHeight === 1 && info.dilationWidth === 1;
}

/** dx by csrc/conv2d_input_grad.c: scatter dy through the filter into a padded buffer, crop. */
function inputGradNative(k: NativeKernels, backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { B, H, W, C, oH, oW, O, fH, fW, sH, sW, top, left } = convGeometry(info);
  const dx = backend.makeOutput([B, H, W, C], 'float32');
  if (B * H * W * C === 0) return dx;
  const K = fW * C;
  // rows/columns the scatter writes, and at least the whole (offset) input
  const Hp = Math.max((oH - 1) * sH + fH, H + top);
  const Wp = Math.max((oW - 1) * sW + fW, W + left);
  const direct = top === 0 && left === 0 && Hp === H && Wp === W;
  // few input channels: vectorise over output points (dy transposed, plus one zero row)
  const thin = C < THIN_CHANNELS;
  const oWp = Math.ceil(oW / 4) * 4;
  const wT = thin ? k.malloc((B * oH * O * oWp + oWp) * 4) : k.malloc(fH * O * K * 4);
  const buf = direct ? 0 : k.malloc(B * Hp * Wp * C * 4);
  try {
    if (thin) k.exports.transpose_dy(k.ptr(dy), B, oH, oW, O, wT, oWp);
    else k.exports.pack_filter_t(k.ptr(filter), fH, K, O, wT);
    const target = direct ? k.ptr(dx) : buf;
    new Float32Array(k.memory(), target, B * Hp * Wp * C).fill(0);
    if (oH * oW * O > 0) {
      if (thin) k.exports.conv2d_input_grad_thin(wT, B, oH, oW, oWp, O, k.ptr(filter), fH, fW, sH, sW, target, Hp, Wp, C);
      else k.exports.conv2d_input_grad(k.ptr(dy), B, oH, oW, O, wT, fH, fW, sH, sW, target, Hp, Wp, C);
    }
    if (!direct) k.exports.crop_nhwc(buf, B, Hp, Wp, C, top, left, H, W, k.ptr(dx));
  } finally {
    k.free(wT);
    if (buf) k.free(buf);
  }
  return dx;
}

/** dx by the column route: dy [B*oH*oW, O] x w[fH*fW*C, O]^T, then scatter-add into dx (col2im). */
function col2imBackpropInput(backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { B, H, W, C, oH, oW, O, fH, fW, sH, sW, top: pT, left: pL } = convGeometry(info);
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

export const conv2DBackpropInputConfig = wasmKernel('Conv2DBackpropInput', conv2DBackpropInputWasm);
