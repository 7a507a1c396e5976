/**
 * Segment plumbing shared by LIME and KernelSHAP: segmentations, the "off" replacement, batched
 * evaluation of the model on binary segment masks (coalitions), and painting segment values
 * back onto x's shape.
 */
import * as tf from '@tensorflow/tfjs';
import { assertFinite, Model, ModelFn, ModelPool, startModelPool, workerCount, sameShape } from '../engine';
import { forwardTargets } from './common';

/**
 * A segmentation: one Int32Array label (0..S-1) per element of an example, or per element of its
 * leading dimensions (then shared by the trailing ones, e.g. all channels of a pixel). One array
 * for all examples, or one per example.
 */
export type Segments = Int32Array | Int32Array[];

/** The value of a switched-off segment: a number, 'mean' (the example's mean), or a baseline tensor. */
export type Off = number | 'mean' | tf.Tensor;

export interface ExampleSegments {
  labels: Int32Array;
  /** Number of segments S = max label + 1. */
  nSegments: number;
  /** Mask shape of one sample ([...leading dims, 1, ...]). */
  maskShape: number[];
}

export function resolveSegments(where: string, segments: Segments | undefined, x: tf.Tensor): ExampleSegments[] {
  const B = x.shape[0];
  const shape = x.shape.slice(1);
  if (segments === undefined) throw new Error(`${where}: option "segments" is required (Int32Array labels, e.g. imageGrid(...)).`);
  const list = segments instanceof Int32Array ? new Array<Int32Array>(B).fill(segments) : segments;
  if (!Array.isArray(list) || list.length !== B || !list.every((s) => s instanceof Int32Array)) {
    throw new Error(`${where}: segments must be an Int32Array or one Int32Array per example (${B}).`);
  }
  return list.map((labels) => {
    let lead = -1;
    let p = 1;
    for (let d = 0; d <= shape.length; d++) {
      if (p === labels.length) {
        lead = d;
        break;
      }
      p *= shape[d] ?? 1;
    }
    if (lead < 0) {
      throw new Error(
        `${where}: segments has ${labels.length} labels; expected one per element of an example [${shape}] ` +
          `or of its leading dimensions.`,
      );
    }
    let max = -1;
    for (const v of labels) {
      if (v < 0) throw new Error(`${where}: segment labels must be >= 0; got ${v}.`);
      if (v > max) max = v;
    }
    // an id without cells would get a weight of its own that nothing supports
    const used = new Uint8Array(max + 1);
    for (const v of labels) used[v] = 1;
    const gap = used.indexOf(0);
    if (gap >= 0) throw new Error(`${where}: segment ids must be 0..${max} without gaps; id ${gap} has no cells (relabel the segments consecutively).`);
    return { labels, nSegments: max + 1, maskShape: shape.map((s, d) => (d < lead ? s : 1)) };
  });
}

/** The off input for every example, shaped like x (caller disposes). */
export function resolveOff(where: string, x: tf.Tensor, off: Off): tf.Tensor {
  if (off === 'mean') {
    // P2 / audioLIME: a switched-off component takes the excerpt's mean value
    return tf.tidy(() => tf.broadcastTo(x.reshape([x.shape[0], -1]).mean(1).reshape([x.shape[0], ...x.shape.slice(1).map(() => 1)]), x.shape));
  }
  if (typeof off === 'number') {
    if (!Number.isFinite(off)) throw new Error(`${where}: off must be finite; got ${off}.`);
    return tf.fill(x.shape, off);
  }
  if (off instanceof tf.Tensor) {
    if (sameShape(off.shape, x.shape)) {
      assertFinite(where, off, 'off');
      return off.clone();
    }
    if (sameShape(off.shape, x.shape.slice(1))) {
      assertFinite(where, off, 'off');
      return tf.tidy(() => tf.broadcastTo(off.expandDims(0), x.shape));
    }
    throw new Error(`${where}: off shape [${off.shape}] does not match x [${x.shape}] (or one example [${x.shape.slice(1)}]).`);
  }
  throw new Error(`${where}: off must be a number, 'mean' or a tf.Tensor; got ${String(off)}.`);
}

/**
 * Largest (S + 1) x D basis held for the matmul path (elements); the least estimated main-thread
 * work (ms) left in a call for which worker threads are started (a worker needs ~1-1.5 s to start:
 * engine, model); awaitWorkers: the main thread waits for started workers to load, so they surely
 * take part. Tests may change all three.
 */
export const coalitionLimits = { basisElements: 16 * 2 ** 20, parallelMinMs: 3000, awaitWorkers: false };

/** Rows evaluated on the main thread and in workers, and pools started, since the process began. */
export const coalitionStats = { mainRows: 0, workerRows: 0, pools: 0, workers: 0 };

/** Rows of the first chunk that times the model before workers are started. */
const PROBE_ROWS = 16;

/**
 * Worker threads for the coalitions of one lime()/kernelShap() call: decided up front (a
 * tf.LayersModel with one output and workerCount(workers) > 0), started lazily by
 * evaluateCoalitions once the work left pays for the start, shared by the call's examples and
 * closed by the caller (close() in a finally). A pool that fails falls back to the main thread
 * (one warning); the numbers do not change, as sampling never leaves the main thread.
 */
export class CoalitionWorkers {
  /** Rows left to evaluate in the whole call (the caller sets it; used to decide the start). */
  rowsLeft = 0;
  /** The pool once created (workers may still be loading the model). */
  private created: Promise<ModelPool> | null = null;
  private pool: Promise<ModelPool> | null = null;
  private started: ModelPool | null = null;
  private failed = false;
  private closed = false;

  constructor(readonly where: string, readonly model: tf.LayersModel, readonly workers: number) {}

  /** Started and not failed. */
  get running(): boolean {
    return this.pool !== null && !this.failed;
  }

  /** Not started yet (nor closed). */
  get idle(): boolean {
    return this.pool === null && !this.closed;
  }

  /** Start the workers (once); they load the model while the main thread goes on. */
  start(): void {
    if (this.pool || this.closed) return;
    this.created = startModelPool(this.model, { workers: this.workers }).then((p) => {
      this.started = p;
      coalitionStats.pools++;
      coalitionStats.workers = p.size;
      if (this.closed) void p.close();
      return p;
    });
    this.pool = this.created.then(async (p) => {
      await p.ready;
      return p;
    });
    this.pool.catch((e) => this.fail(e));
  }

  /**
   * The pool once created (batches may be sent while its workers load the model; `loaded`: once
   * loaded), or null if it failed, was closed, or `stop` resolved first.
   */
  async get(stop: Promise<void>, loaded = false): Promise<ModelPool | null> {
    const want = loaded ? this.pool : this.created;
    if (!want || this.failed) return null;
    const p = await Promise.race([want.catch(() => null), stop.then(() => null)]);
    return this.failed || this.closed ? null : p;
  }

  fail(e: unknown): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    console.warn(`${this.where}: worker threads failed (${e instanceof Error ? e.message : String(e)}); going on with the main thread only.`);
    void this.started?.close();
  }

  /** Close the workers; a start still under way is let finish first, so its failure is reported. */
  async close(): Promise<void> {
    await this.pool?.catch(() => undefined);
    this.closed = true;
    if (this.started) await this.started.close();
  }
}

/**
 * The worker plan of one call: null (main thread only) for plain functions, models with several
 * outputs, or workerCount(workers) = 0. Validates `workers` (and ROBUSTLENS_WORKERS) for any model.
 */
export function coalitionWorkers(where: string, model: Model, workers: number | 'auto'): CoalitionWorkers | null {
  let n: number;
  try {
    n = workerCount(workers);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  if (n === 0 || !(model instanceof tf.LayersModel) || model.outputs.length !== 1) return null;
  return new CoalitionWorkers(where, model, n);
}

/**
 * f(x_z)[target] for N binary samples z (row-major Uint8Array N x S) of one example:
 *   x_z = off + (x - off) * z[label(element)]
 * evaluated in batches of batchSize rows; memory stays at about batchSize copies of x.
 * With `workers` (a tf.LayersModel), the batches are split into chunks of batchSize / threads
 * rows that the main thread and the worker threads take from one queue; the main thread paints
 * every chunk (x_z) and sends the painted rows, workers only run the model.
 */
export async function evaluateCoalitions(
  fn: ModelFn,
  xi: tf.Tensor,
  offi: tf.Tensor,
  seg: ExampleSegments,
  Z: Uint8Array,
  N: number,
  target: number,
  batchSize: number,
  workers: CoalitionWorkers | null = null,
): Promise<Float32Array> {
  const shape = xi.shape.slice(1);
  const out = new Float32Array(N);
  const painter = await coalitionPainter(xi, offi, seg, Z);
  const paintRows = painter.paintRows;
  const local = async (i: number, k: number) => {
    const rows = paintRows(i, k);
    try {
      out.set(await forwardTargets(fn, rows, new Array<number>(k).fill(target), k), i);
    } finally {
      rows.dispose();
    }
    coalitionStats.mainRows += k;
  };
  const remote = async (pool: ModelPool, i: number, k: number) => {
    const rows = paintRows(i, k);
    const data = rows.dataSync() as Float32Array; // sent at once (predict posts synchronously)
    rows.dispose(); // before the buffer is transferred (the cpu backend returns its own storage)
    const y = await pool.predict(data, [k, ...shape]);
    const nOut = y.data.length / k;
    for (let j = 0; j < k; j++) out[i + j] = y.data[j * nOut + target];
    coalitionStats.workerRows += k;
  };
  const threads = workers ? workers.workers + 1 : 1;
  const chunk = Math.ceil(batchSize / threads);
  // chunks start at multiples of `chunk`, except a short first one (a probe of the model's speed)
  // while the workers are not started
  const probe = workers?.idle ? Math.min(chunk, PROBE_ROWS) : 0;
  let next = 0;
  const size = (i: number) => Math.min(i < probe ? probe - i : chunk, N - i);
  /** Next chunk's first row, or -1; a worker's second queue leaves the last chunks to the others. */
  const take = (extra = false) => {
    if (next >= N || (extra && Math.ceil((N - next) / chunk) <= threads)) return -1;
    const i = next;
    next += size(i);
    return i;
  };
  const redo: number[] = [];
  const feeders: Promise<void>[] = [];
  let mainDone!: () => void;
  const stop = new Promise<void>((resolve) => (mainDone = resolve));
  /** One of two queues per worker (the second keeps the worker busy while the main thread computes). */
  const feed = async (extra: boolean) => {
    const pool = await workers!.get(stop);
    if (!pool) return;
    for (let i = take(extra); i >= 0; i = take(extra)) {
      try {
        await remote(pool, i, size(i));
      } catch (e) {
        redo.push(i);
        workers!.fail(e);
        return;
      }
    }
  };
  /** Start the queues and let them send their first chunks before the main thread computes. */
  const startFeeders = async () => {
    for (let q = 0; q < 2 * workers!.workers; q++) feeders.push(feed(q >= workers!.workers));
    await workers!.get(stop, coalitionLimits.awaitWorkers);
    await new Promise((resolve) => setImmediate(resolve));
  };
  try {
    if (workers?.running) await startFeeders();
    for (let i = take(); i >= 0; i = take()) {
      const k = size(i);
      const t0 = performance.now();
      await local(i, k);
      if (workers) {
        workers.rowsLeft = Math.max(0, workers.rowsLeft - k);
        // start the workers once the main thread's estimate of the work left pays for their start
        if (workers.idle && (workers.rowsLeft * (performance.now() - t0)) / k >= coalitionLimits.parallelMinMs) {
          workers.start();
          await startFeeders();
        }
        // let worker results in (message events) between the main thread's chunks
        if (feeders.length) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    mainDone();
    await Promise.all(feeders);
    for (const i of redo) await local(i, size(i));
  } finally {
    next = N; // on an error, workers take no more chunks
    mainDone();
    painter.dispose();
  }
  return out;
}

/**
 * Paints samples x_z = off + (x - off) * z[label(element)] for rows of Z (N x S):
 * x_z = [z, 1] @ [P; off] with P[s, e] = (x - off)_e [label(e) = s], one matmul per chunk, far
 * faster on wasm than gather along axis 1 plus broadcasting; huge S x D falls back to gather.
 */
async function coalitionPainter(xi: tf.Tensor, offi: tf.Tensor, seg: ExampleSegments, Z: Uint8Array): Promise<{ paintRows: (i: number, k: number) => tf.Tensor; dispose: () => void }> {
  const S = seg.nSegments;
  const shape = xi.shape.slice(1);
  const L = seg.labels.length;
  const D = xi.size;
  const rep = D / L;
  const useMatMul = (S + 1) * D <= coalitionLimits.basisElements;
  let basis: tf.Tensor;
  if (useMatMul) {
    const diff = tf.tidy(() => tf.sub(xi, offi).reshape([D]));
    const dv = await diff.data();
    const offv = await offi.data();
    diff.dispose();
    const P = new Float32Array((S + 1) * D);
    for (let e = 0; e < L; e++) {
      const row = seg.labels[e] * D;
      for (let r = 0; r < rep; r++) P[row + e * rep + r] = dv[e * rep + r];
    }
    P.set(offv, S * D);
    basis = tf.tensor2d(P, [S + 1, D]);
  } else {
    basis = tf.tensor1d(seg.labels, 'int32');
  }
  const diffT = useMatMul ? null : tf.sub(xi, offi);
  /** The painted samples x_z of rows i..i+k-1. */
  const paintRows = (i: number, k: number) => {
    const zf = new Float32Array(k * (S + 1));
    for (let j = 0; j < k; j++) {
      for (let s = 0; s < S; s++) zf[j * (S + 1) + s] = Z[(i + j) * S + s];
      zf[j * (S + 1) + S] = 1;
    }
    return tf.tidy(() => {
      const z = tf.tensor2d(zf, [k, S + 1]);
      if (useMatMul) return tf.matMul(z, basis as tf.Tensor2D).reshape([k, ...shape]);
      const mask = tf.gather(z.slice([0, 0], [k, S]), basis, 1).reshape([k, ...seg.maskShape]);
      return offi.add(diffT!.mul(mask)).reshape([k, ...shape]);
    });
  };
  return { paintRows, dispose: () => tf.dispose([basis, ...(diffT ? [diffT] : [])]) };
}

/** Segment values painted onto one example's elements (trailing dims repeated). */
export function paint(values: ArrayLike<number>, seg: ExampleSegments, size: number): Float32Array {
  const out = new Float32Array(size);
  const L = seg.labels.length;
  const rep = size / L;
  for (let e = 0; e < L; e++) {
    const v = values[seg.labels[e]];
    for (let r = 0; r < rep; r++) out[e * rep + r] = v;
  }
  return out;
}

/** Solve A b = y for a symmetric positive (semi)definite A (n x n, row-major) by Gaussian elimination with pivoting. */
export function solve(where: string, A: Float64Array, y: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A);
  const b = Float64Array.from(y);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(M[i * n + i]));
  const tol = 1e-12 * Math.max(scale, 1e-300);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r * n + col]) > Math.abs(M[piv * n + col])) piv = r;
    if (Math.abs(M[piv * n + col]) <= tol) {
      throw new Error(`${where}: the regression is singular (too few distinct samples for ${n} segments); raise nSamples.`);
    }
    if (piv !== col) {
      for (let c = 0; c < n; c++) [M[col * n + c], M[piv * n + c]] = [M[piv * n + c], M[col * n + c]];
      [b[col], b[piv]] = [b[piv], b[col]];
    }
    for (let r = col + 1; r < n; r++) {
      const f = M[r * n + col] / M[col * n + col];
      if (f === 0) continue;
      for (let c = col; c < n; c++) M[r * n + c] -= f * M[col * n + c];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < n; c++) s -= M[r * n + c] * x[c];
    x[r] = s / M[r * n + r];
  }
  return x;
}
