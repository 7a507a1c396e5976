/**
 * Backend choice: one place that decides which TensorFlow.js backend runs.
 *
 * Order: the native tfjs-node binding where it installed, else WebAssembly (SIMD), else the
 * pure-JS cpu backend. `ROBUSTLENS_BACKEND=node|wasm|cpu` forces one; an unknown name is an
 * error listing the valid ones.
 *
 * @example
 *   import { engine } from 'robustlens';
 *   const name = await engine.ready();   // 'wasm' on a machine without tfjs-node
 */
import * as tf from '@tensorflow/tfjs';
import { registerGradientFixes, registerWasmKernels } from './kernels';
import { guardGradientTape } from './tape';
import { withoutRethrowingHandlers } from './kernelErrors';

export const BACKENDS = ['node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

let chosen: Promise<BackendName> | null = null;

/** The tfjs-node package is an optional dependency installed under an alias (see package.json). */
const NATIVE_PACKAGES = ['@robustlens/tfjs-node-native', '@tensorflow/tfjs-node'];

function tryNative(): boolean {
  for (const name of NATIVE_PACKAGES) {
    try {
      // An alias of plain @tensorflow/tfjs (danfojs-node needs that name) is not the native binding.
      const pkg = require(`${name}/package.json`);
      if (pkg.name !== '@tensorflow/tfjs-node') continue;
      require(name);
      return tf.findBackend('tensorflow') != null;
    } catch {
      /* not installed, or its binary could not load */
    }
  }
  return false;
}

/** Parse ROBUSTLENS_BACKEND; throws on an unknown name. */
export function requestedBackend(env: NodeJS.ProcessEnv = process.env): BackendName | null {
  const raw = (env.ROBUSTLENS_BACKEND ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'auto') return null;
  if ((BACKENDS as readonly string[]).includes(raw)) return raw as BackendName;
  throw new Error(
    `ROBUSTLENS_BACKEND="${env.ROBUSTLENS_BACKEND}" is not a backend robustlens knows. ` +
      `Valid: ${BACKENDS.join(', ')} (or unset for automatic choice).`,
  );
}

async function useWasm(): Promise<boolean> {
  // Emscripten's glue rethrows unhandled rejections and exceptions from process handlers, which
  // kills a notebook kernel: its handlers are removed (see kernelErrors.ts)
  const ok = await withoutRethrowingHandlers(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    return tf.setBackend('wasm');
  });
  if (ok) registerWasmKernels();
  return ok;
}

async function choose(): Promise<BackendName> {
  const name = await pick();
  registerGradientFixes(); // corrected tfjs 4.22 gradients, for every backend
  guardGradientTape(); // a gradient computation that throws releases its tape (tape.ts)
  return name;
}

async function pick(): Promise<BackendName> {
  const want = requestedBackend();
  if (want === 'node' || want === null) {
    if (tryNative() && (await tf.setBackend('tensorflow'))) return 'node';
    if (want === 'node') {
      throw new Error(
        'ROBUSTLENS_BACKEND=node, but @tensorflow/tfjs-node is not installed or its native library did not load. ' +
          'Install it with internet access (npm install), or unset ROBUSTLENS_BACKEND.',
      );
    }
  }
  if (want === 'wasm' || want === null) {
    if (await useWasm()) return 'wasm';
    if (want === 'wasm') throw new Error('ROBUSTLENS_BACKEND=wasm, but the WebAssembly backend failed to start.');
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('The tfjs cpu backend failed to start.');
  return 'cpu';
}

/**
 * Initialise the engine once; every later call returns the same backend name.
 * Await it before any tensor work (notebooks do so in their first cell).
 */
export function ready(): Promise<BackendName> {
  if (!chosen) {
    chosen = choose().catch((e) => {
      chosen = null;
      throw e;
    });
  }
  return chosen;
}

/** Name of the running backend, in robustlens' words ('node' | 'wasm' | 'cpu'). */
export function backendName(): BackendName {
  const b = tf.getBackend();
  if (b === 'tensorflow') return 'node';
  if (b === 'wasm' || b === 'cpu') return b;
  throw new Error(`Unexpected tfjs backend "${b}"; call engine.ready() first.`);
}

/** One line describing the engine, for notebooks and logs. */
export function describe(): string {
  const b = backendName();
  const extra = b === 'wasm' ? ' (WebAssembly, SIMD, single thread; robustlens gradient kernels registered)' : '';
  return `robustlens engine: tfjs ${tf.version.tfjs}, backend ${b}${extra}`;
}
