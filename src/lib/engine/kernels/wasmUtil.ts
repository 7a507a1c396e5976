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
