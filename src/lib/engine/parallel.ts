/**
 * Worker parallelism: a small pool of node worker_threads that each hold a copy of one
 * tf.LayersModel and evaluate float32 input batches, so batch-parallel work (LIME and KernelSHAP
 * samples) uses more than the one core the wasm backend runs on.
 *
 * Each worker starts the engine with the main thread's backend, rebuilds the model from its
 * serialized artifacts (topology + weights; robustlens' custom layers are registered in the
 * worker) and keeps it until close(). Inputs and outputs travel as transferred ArrayBuffers.
 *   outputs = model.apply(x, {training: false})        (the same call as asFn(model))
 * Workers are unref'd while idle, so an unclosed pool never keeps a process alive; a worker that
 * fails or exits rejects every pending call with the worker's error and breaks the pool.
 *
 * @example
 *   const pool = await engine.modelPool(model, { workers: 'auto' });   // 1 worker on 2 cores
 *   const { data, shape } = await pool.predict(x, [k, 115, 80, 1]);    // x: Float32Array (transferred)
 *   await pool.close();
 */
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import { extname, isAbsolute, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { backendName } from './backend';
import { checkOptions } from './validate';

export interface ModelPoolOptions {
  /** Worker threads: a count >= 1 or 'auto' (see workerCount; at least 1 is started). Default 'auto'. */
  workers?: number | 'auto';
}

/** A model output read back from a worker: row-major values and their shape. */
export interface PoolOutput {
  data: Float32Array;
  shape: number[];
}

/**
 * Number of worker threads to start besides the main thread, which does its own share.
 *   number n >= 0: n.
 *   'auto': env ROBUSTLENS_WORKERS = t (threads in all, main included) gives t - 1, so 0 or 1
 *           disables workers; unset: os.availableParallelism() - 1 (>= 0), and 0 on the native
 *           tfjs-node backend (TensorFlow's own kernels already use every core).
 * Throws on anything else, naming the bad value.
 *
 * @example
 *   workerCount('auto');   // 1 on a 2-core machine
 */
export function workerCount(option: number | 'auto' = 'auto', env: NodeJS.ProcessEnv = process.env): number {
  if (typeof option === 'number') {
    if (!Number.isInteger(option) || option < 0) throw new Error(`workers must be an integer >= 0 or 'auto'; got ${option}.`);
    return option;
  }
  if (option !== 'auto') throw new Error(`workers must be an integer >= 0 or 'auto'; got ${String(option)}.`);
  const raw = (env.ROBUSTLENS_WORKERS ?? '').trim();
  if (raw !== '' && raw.toLowerCase() !== 'auto') {
    if (!/^\d+$/.test(raw)) {
      throw new Error(
        `ROBUSTLENS_WORKERS="${env.ROBUSTLENS_WORKERS}" is not a number of threads. Use a whole number >= 0 ` +
          `(threads in all, the main thread included: 0 or 1 = no workers, 2 = one worker), or unset it for 'auto'.`,
      );
    }
    return Math.max(0, Number(raw) - 1);
  }
  if (tf.getBackend() === 'tensorflow') return 0;
  return Math.max(0, availableParallelism() - 1);
}

interface Pending {
  resolve: (out: PoolOutput) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  loaded: boolean;
}

/**
 * The worker's entry: compiled, dist/.../parallelWorker.js; from TypeScript sources (tests, bench
 * under tsx), a CommonJS stub that registers tsx's require hook and then requires
 * parallelWorker.ts (a Worker's `--import tsx` does not reach its entry module on node 20).
 */
const FROM_SOURCE = extname(__filename) === '.ts';
const WORKER_ENTRY = FROM_SOURCE
  ? `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(join(__dirname, 'parallelWorker.ts'))});`
  : join(__dirname, 'parallelWorker.js');

/** The serialized model handed to every worker (artifacts of model.save, weights as ArrayBuffers). */
export interface PoolModelArtifacts {
  modelTopology: unknown;
  weightSpecs: unknown;
  weightData: ArrayBuffer | ArrayBuffer[];
}

const workerSetups = new Set<string>();

/**
 * A module every model-pool worker loads before it rebuilds a model: one that registers custom
 * layers (models/SeededDropout.ts, ZeroMeanConv2D.ts give their own __filename). The hook that
 * keeps engine from importing the folders above it.
 *
 * @example registerWorkerSetup(__filename);   // beside tf.serialization.registerClass(MyLayer)
 */
export function registerWorkerSetup(module: string): void {
  if (typeof module !== 'string' || !isAbsolute(module)) throw new Error(`registerWorkerSetup: module must be the absolute path of the registering module (its __filename), got ${JSON.stringify(module)}.`);
  workerSetups.add(module);
}

/**
 * A pool of worker threads holding one model; create it with modelPool (waits for every worker)
 * or startModelPool (returns at once; `ready` settles when the workers have loaded the model).
 */
export class ModelPool {
  /** Number of worker threads. */
  readonly size: number;
  /** Resolves when every worker has loaded the model; rejects with the first worker's error. */
  readonly ready: Promise<void>;
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private broken: Error | null = null;
  private closed = false;

  constructor(artifacts: PoolModelArtifacts, workers: number, backend: string) {
    this.size = workers;
    const loads: Promise<void>[] = [];
    for (let w = 0; w < workers; w++) {
      const worker = new Worker(WORKER_ENTRY, {
        eval: FROM_SOURCE,
        workerData: { backend, artifacts, index: w, setups: [...workerSetups] },
        env: { ...process.env, ROBUSTLENS_BACKEND: backend },
        execArgv: [],
      });
      const slot: Slot = { worker, pending: new Map(), loaded: false };
      this.slots.push(slot);
      loads.push(
        new Promise<void>((resolve, reject) => {
          worker.on('message', (m: WorkerReply) => {
            if (m.type === 'ready') {
              slot.loaded = true;
              this.updateRef(slot);
              resolve();
            } else if (m.type === 'loadError') {
              const e = new Error(`modelPool: worker ${w} could not load the model: ${m.message}`);
              reject(e);
              this.fail(e);
            } else if (m.type === 'result' || m.type === 'error') {
              const p = slot.pending.get(m.id);
              if (!p) return;
              slot.pending.delete(m.id);
              this.updateRef(slot);
              if (m.type === 'result') p.resolve({ data: new Float32Array(m.data), shape: m.shape });
              else p.reject(new Error(`modelPool: worker ${w} failed to evaluate a batch: ${m.message}`));
            }
          });
          worker.on('error', (err) => {
            const e = new Error(`modelPool: worker ${w} failed: ${err instanceof Error ? err.message : String(err)}`);
            reject(e);
            this.fail(e);
          });
          worker.on('exit', (code) => {
            if (this.closed) return;
            const e = new Error(`modelPool: worker ${w} exited unexpectedly (exit code ${code}).`);
            reject(e);
            this.fail(e);
          });
        }),
      );
    }
    this.ready = Promise.all(loads).then(() => undefined);
    this.ready.catch(() => undefined); // handled by whoever awaits ready or predict
  }

  /**
   * The model's outputs for one input batch x (row-major, `shape` = [rows, ...example]).
   * x's buffer is transferred to the worker (x is unusable afterwards) when x spans its whole
   * buffer; otherwise it is copied. The least busy worker takes the batch; a batch sent before
   * `ready` waits in the worker until the model is loaded.
   */
  async predict(x: Float32Array, shape: number[]): Promise<PoolOutput> {
    if (!(x instanceof Float32Array)) throw new Error('modelPool.predict: x must be a Float32Array.');
    const n = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((d) => Number.isInteger(d) && d > 0) || n !== x.length) {
      throw new Error(`modelPool.predict: shape [${shape}] does not match x (${x.length} values).`);
    }
    // posted at once, even while the workers load the model (they queue it): the worker is busy
    // before the caller's next synchronous work; a failed load rejects it with the load error
    if (this.closed) throw new Error('modelPool.predict: the pool is closed.');
    if (this.broken) throw this.broken;
    let slot = this.slots[0];
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const whole = x.byteOffset === 0 && x.byteLength === x.buffer.byteLength;
    const buf = whole ? (x.buffer as ArrayBuffer) : x.slice().buffer;
    const id = this.nextId++;
    return new Promise<PoolOutput>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      this.updateRef(slot);
      slot.worker.postMessage({ type: 'predict', id, data: buf, shape }, [buf]);
    });
  }

  /** Terminate every worker (frees their models and memory); pending calls reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const e = new Error('modelPool: the pool was closed while a batch was pending.');
    for (const s of this.slots) this.rejectAll(s, e);
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }

  /** Keep the process alive only while a worker loads the model or has batches pending. */
  private updateRef(slot: Slot): void {
    if (this.closed || this.broken) return;
    if (!slot.loaded || slot.pending.size > 0) slot.worker.ref();
    else slot.worker.unref();
  }

  private rejectAll(slot: Slot, e: Error): void {
    const list = [...slot.pending.values()];
    slot.pending.clear();
    for (const p of list) p.reject(e);
  }

  /** One worker failed: the pool is broken, every pending call rejects, workers stop. */
  private fail(e: Error): void {
    if (this.closed || this.broken) return;
    this.broken = e;
    for (const s of this.slots) {
      this.rejectAll(s, e);
      s.worker.unref();
    }
    for (const s of this.slots) void s.worker.terminate().catch(() => undefined);
  }
}

type WorkerReply =
  | { type: 'ready' }
  | { type: 'loadError'; message: string }
  | { type: 'result'; id: number; data: ArrayBuffer; shape: number[] }
  | { type: 'error'; id: number; message: string };

/** model.save to memory: topology and weights as plain data a worker can rebuild the model from. */
export async function modelArtifacts(model: tf.LayersModel): Promise<PoolModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = saved as unknown as tf.io.ModelArtifacts;
  if (!a || !a.modelTopology || !a.weightSpecs || a.weightData === undefined) {
    throw new Error('modelPool: model.save produced no topology or weights.');
  }
  return { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData as ArrayBuffer | ArrayBuffer[] };
}

function checkModel(where: string, model: tf.LayersModel): void {
  if (!(model instanceof tf.LayersModel)) {
    throw new Error(`${where}: model must be a tf.LayersModel (a plain function cannot be sent to a worker).`);
  }
  if (model.outputs.length !== 1) throw new Error(`${where}: models with ${model.outputs.length} outputs are not supported (one output).`);
}

/**
 * Start a pool without waiting for the workers: predict() waits for them; `pool.ready` settles
 * when they have loaded the model. Lets the main thread work while the workers start.
 */
export async function startModelPool(model: tf.LayersModel, options: ModelPoolOptions = {}): Promise<ModelPool> {
  const where = 'modelPool';
  checkOptions(where, options, ['workers']);
  checkModel(where, model);
  const n = Math.max(1, workerCount(options.workers ?? 'auto'));
  const artifacts = await modelArtifacts(model);
  return new ModelPool(artifacts, n, backendName());
}

/** A pool of worker threads holding `model`, once every worker has loaded it (see ModelPool). */
export async function modelPool(model: tf.LayersModel, options: ModelPoolOptions = {}): Promise<ModelPool> {
  const pool = await startModelPool(model, options);
  try {
    await pool.ready;
  } catch (e) {
    await pool.close();
    throw e;
  }
  return pool;
}
