/**
 * robustlens' own WebAssembly kernels (csrc/*.c, SIMD128, built by csrc/build.mjs into the
 * committed csrc/out/robustlens_kernels.wasm), instantiated on tfjs-backend-wasm's own memory so
 * they read and write tensors in place: a pointer is the tensor's byte offset in that memory.
 *
 * The module owns no memory (the build checks: no data, no globals, no stack); scratch buffers
 * come from tfjs-wasm's malloc. When the .wasm is missing or fails to instantiate, or
 * ROBUSTLENS_WASM_KERNELS=0, nativeKernels() returns null and every kernel that uses it falls back
 * to its previous implementation (XNNPACK calls or JS loops).
 *
 * @example
 *   const k = nativeKernels(backend);   // null: use the fallback
 *   if (k) k.exports.conv2d_filter_grad(k.ptr(x), ...);
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './wasmUtil';

/** The exported C functions (pointers and sizes are i32). */
export interface KernelExports {
  conv2d_filter_grad(xp: number, B: number, Hp: number, Wp: number, C: number, dy: number, oH: number, oW: number, O: number, fH: number, fW: number, sH: number, sW: number, dw: number): void;
  pad_nhwc(x: number, B: number, H: number, W: number, C: number, top: number, left: number, Hp: number, Wp: number, out: number): void;
  conv2d_forward(xp: number, B: number, Hp: number, Wp: number, C: number, w: number, bias: number, fH: number, fW: number, sH: number, sW: number, out: number, oH: number, oW: number, O: number): void;
  pack_filter_t(w: number, fH: number, K: number, O: number, wT: number): void;
  conv2d_input_grad(dy: number, B: number, oH: number, oW: number, O: number, wT: number, fH: number, fW: number, sH: number, sW: number, dxp: number, Hp: number, Wp: number, C: number): void;
  transpose_dy(dy: number, B: number, oH: number, oW: number, O: number, dyT: number, oWp: number): void;
  conv2d_input_grad_thin(dyT: number, B: number, oH: number, oW: number, oWp: number, O: number, w: number, fH: number, fW: number, sH: number, sW: number, dxp: number, Hp: number, Wp: number, C: number): void;
  crop_nhwc(xp: number, B: number, Hp: number, Wp: number, C: number, top: number, left: number, H: number, W: number, out: number): void;
  max_pool_grad(x: number, dy: number, dx: number, B: number, H: number, W: number, C: number, oH: number, oW: number, fH: number, fW: number, sH: number, sW: number, top: number, left: number): void;
  [name: string]: (...args: number[]) => number | void;
}

export interface NativeKernels {
  exports: KernelExports;
  /** Byte offset of a tensor's data in the wasm memory. */
  ptr(t: tf.TensorInfo): number;
  /** Scratch memory from tfjs-wasm's allocator (bytes); free it with free(). */
  malloc(bytes: number): number;
  free(p: number): void;
  /** The wasm memory's current buffer (re-read after any allocation: growth replaces it). */
  memory(): ArrayBuffer;
}

interface BackendInternals {
  wasm: { asm?: { memory?: WebAssembly.Memory }; _malloc(n: number): number; _free(p: number): void };
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } | undefined };
}

/** Path of the committed module: <repo>/csrc/out (this file is 4 levels below the root in src/ and dist/). */
export function kernelsWasmPath(): string {
  return path.resolve(__dirname, '..', '..', '..', '..', 'csrc', 'out', 'robustlens_kernels.wasm');
}

let cached: { backend: unknown; kernels: NativeKernels | null } | null = null;
let enabled = process.env.ROBUSTLENS_WASM_KERNELS !== '0';
let loadError: string | null = null;

/** Turn robustlens' C kernels on or off (off: every kernel takes its fallback). Returns the previous state. */
export function setNativeKernels(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Why the kernels are not in use (null when they are, or before the first use). */
export function nativeKernelsError(): string | null {
  return loadError;
}

/** The instantiated kernels for this wasm backend, or null (disabled, missing or failed: fall back). */
export function nativeKernels(backend: unknown): NativeKernels | null {
  if (!enabled) return null;
  if (cached && cached.backend === backend) return cached.kernels;
  cached = { backend, kernels: instantiate(backend as BackendInternals) };
  return cached.kernels;
}

function instantiate(b: BackendInternals): NativeKernels | null {
  try {
    const memory = b.wasm?.asm?.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw new Error("tfjs-backend-wasm's memory is not reachable (wasm.asm.memory)");
    const bytes = fs.readFileSync(kernelsWasmPath());
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const exports = instance.exports as unknown as KernelExports;
    loadError = null;
    return {
      exports,
      ptr(t) {
        const d = b.dataIdMap.get(t.dataId);
        if (d == null) throw new Error('robustlens wasm kernels: tensor data not on the wasm backend');
        return d.memoryOffset;
      },
      malloc: (n) => {
        const p = b.wasm._malloc(n);
        if (!p) throw new Error(`robustlens wasm kernels: out of wasm memory allocating ${n} bytes`);
        return p;
      },
      free: (p) => b.wasm._free(p),
      memory: () => memory.buffer,
    };
  } catch (e) {
    loadError = e instanceof Error ? e.message : String(e);
    return null;
  }
}

/**
 * Run a C kernel on x as a forward conv of geometry g reads it (dilation 1): x in place when the
 * conv has no top/left padding and every row/column it reads exists, else a zero-padded scratch
 * copy of Hp x Wp, Hp = (oH - 1) sH + fH, Wp = (oW - 1) sW + fW (freed afterwards).
 * `run` gets the pointer and the spatial size of what it reads.
 */
export function onPaddedInput(k: NativeKernels, x: tf.TensorInfo, g: ConvGeometry, run: (xp: number, Hp: number, Wp: number) => void): void {
  const { B, H, W, C, oH, oW, fH, fW, sH, sW, top, left } = g;
  const Hp = (oH - 1) * sH + fH;
  const Wp = (oW - 1) * sW + fW;
  if (top === 0 && left === 0 && Hp <= H && Wp <= W) return run(k.ptr(x), H, W);
  const buf = k.malloc(B * Hp * Wp * C * 4);
  try {
    k.exports.pad_nhwc(k.ptr(x), B, H, W, C, top, left, Hp, Wp, buf);
    run(buf, Hp, Wp);
  } finally {
    k.free(buf);
  }
}
