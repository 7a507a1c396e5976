/**
 * Plumbing shared by the extra wasm kernels: the slice of the wasm backend's API they use,
 * calls into other registered wasm kernels, and reading/writing float32 data.
 */
import * as tf from '@tensorflow/tfjs';

/** What the kernels need from tfjs-backend-wasm's BackendWasm (not exported as a type by tfjs). */
export interface WasmBackendLike {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

export type KernelArgs = {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
};

/** Run another kernel registered for the same backend on TensorInfos (no engine bookkeeping). */
export function callKernel(
  name: string,
  backendName: string,
  backend: unknown,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const k = tf.getKernel(name, backendName);
  if (k == null) throw new Error(`robustlens: kernel '${name}' is not registered for backend '${backendName}'.`);
  const out = k.kernelFunc({ inputs, backend: backend as tf.KernelBackend, attrs });
  if (Array.isArray(out)) throw new Error(`robustlens: kernel '${name}' returned several outputs; one expected.`);
  return out as tf.TensorInfo;
}

/** Free intermediate TensorInfos made by callKernel. */
export function disposeInfos(backend: WasmBackendLike, ...infos: tf.TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/** Read a tensor's values as float32 (a copy on wasm). */
export function readF32(backend: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  const v = backend.readSync(t.dataId);
  return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
}

/** Read a tensor's values as int32. */
export function readI32(backend: WasmBackendLike, t: tf.TensorInfo): Int32Array {
  const v = backend.readSync(t.dataId);
  return v instanceof Int32Array ? v : Int32Array.from(v as ArrayLike<number>);
}

/** Make a float32 output TensorInfo holding `values`. */
export function outputF32(backend: WasmBackendLike, shape: number[], values: Float32Array): tf.TensorInfo {
  return backend.makeOutput(shape, 'float32', undefined, values);
}

/** Normalise a number-or-pair attribute to [h, w]. */
export function pair(v: number | [number, number] | number[] | undefined, dflt = 1): [number, number] {
  if (v == null) return [dflt, dflt];
  if (typeof v === 'number') return [v, v];
  return [v[0], v[1]];
}

/**
 * A float32 view of a wasm tensor's memory (no copy). Take views only after every allocation of
 * the kernel (makeOutput can grow the heap, which detaches earlier views).
 */
export function heapF32(backend: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  const b = backend as unknown as { typedArrayFromHeap?(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array };
  if (typeof b.typedArrayFromHeap !== 'function') throw new Error('robustlens: backend has no typedArrayFromHeap (not wasm?).');
  const v = b.typedArrayFromHeap(t);
  if (!(v instanceof Float32Array)) throw new Error(`robustlens: expected a float32 tensor, got ${t.dtype}.`);
  return v;
}

/** A kernel config for backend 'wasm'. */
export function wasmKernel(kernelName: string, kernelFunc: (args: KernelArgs) => tf.TensorInfo): tf.KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** tfjs' own wasm kernels that robustlens' replacements fall back to, by kernel name. */
const stockKernels = new Map<string, tf.KernelConfig>();

/**
 * Remember tfjs' own kernel for each replacement, before the replacements are registered over
 * them (called by registerWasmKernels). A kernel already replaced by ours is not captured.
 */
export function captureStock(replacements: readonly tf.KernelConfig[]): void {
  for (const c of replacements) {
    const k = tf.getKernel(c.kernelName, c.backendName);
    if (k != null && k.kernelFunc !== c.kernelFunc) stockKernels.set(c.kernelName, k);
  }
}

/** tfjs' own kernel `name` on wasm, as captured by captureStock (undefined before). */
export function stockKernel(name: string): tf.KernelConfig | undefined {
  return stockKernels.get(name);
}

/** Run tfjs' own wasm kernel `name` (what a replacement does for inputs it does not cover). */
export function callStock(name: string, args: KernelArgs): tf.TensorInfo {
  const k = stockKernels.get(name);
  if (k == null) throw new Error(`robustlens wasm ${name}: tfjs' own kernel was not captured (registerWasmKernels() captures it).`);
  return k.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/** A conv's or pool's geometry under the kernels' short names (NHWC; O = output channels). */
export interface ConvGeometry {
  B: number; H: number; W: number; C: number;
  oH: number; oW: number; O: number;
  fH: number; fW: number; sH: number; sW: number; dH: number; dW: number;
  top: number; left: number;
}

export function convGeometry(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    B: info.batchSize, H: info.inHeight, W: info.inWidth, C: info.inChannels,
    oH: info.outHeight, oW: info.outWidth, O: info.outChannels,
    fH: info.filterHeight, fW: info.filterWidth, sH: info.strideHeight, sW: info.strideWidth,
    dH: info.dilationHeight, dW: info.dilationWidth,
    top: info.padInfo.top, left: info.padInfo.left,
  };
}

/**
 * An elementwise kernel's output on the wasm heap and views of its input and output. The views
 * are taken after the allocation (makeOutput can grow the heap, which detaches earlier views);
 * empty views for an empty tensor.
 */
export function heapUnary(backend: WasmBackendLike, x: tf.TensorInfo, dtype: 'float32' | 'int32' = 'float32'): { out: tf.TensorInfo; n: number; xv: Float32Array | Int32Array; ov: Float32Array | Int32Array } {
  const out = backend.makeOutput(x.shape, dtype);
  const n = tf.util.sizeFromShape(x.shape);
  if (n === 0) return { out, n, xv: new Float32Array(0), ov: new Float32Array(0) };
  const heap = backend as unknown as { typedArrayFromHeap?(t: tf.TensorInfo): Float32Array | Int32Array };
  if (typeof heap.typedArrayFromHeap !== 'function') throw new Error('robustlens: backend has no typedArrayFromHeap (not wasm?).');
  return { out, n, xv: heap.typedArrayFromHeap(x), ov: heap.typedArrayFromHeap(out) };
}

/**
 * Visit every (output point, filter tap) pair of a conv that reads a real (unpadded) input cell,
 * in order b, y, x, i, j: visit(xo, dyo, fo) gets the offsets of the input cell's channels
 * ((b, y*sH + i*dH - top, x*sW + j*dW - left) times C), of the output point's channels
 * ((b, y, x) times O) and of the tap ((i, j) times O).
 */
export function forEachConvTap(g: ConvGeometry, visit: (xo: number, dyo: number, fo: number) => void): void {
  const { B, H, W, C, oH, oW, O, fH, fW, sH, sW, dH, dW, top, left } = g;
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < oH; y++) {
      for (let x = 0; x < oW; x++) {
        const dyo = ((b * oH + y) * oW + x) * O;
        for (let i = 0; i < fH; i++) {
          const r = y * sH + i * dH - top;
          if (r < 0 || r >= H) continue;
          for (let j = 0; j < fW; j++) {
            const c = x * sW + j * dW - left;
            if (c < 0 || c >= W) continue;
            visit(((b * H + r) * W + c) * C, dyo, (i * fW + j) * O);
          }
        }
      }
    }
  }
}
