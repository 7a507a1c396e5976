/**
 * Independent tasks on every core: the main thread and `workers` worker threads take tasks from
 * one queue. A task names an exported async function of a module of this library and its
 * JSON arguments; the main thread requires the same module and runs its tasks in-process, each
 * worker starts the engine with the main thread's backend and requires the module there.
 * Results are JSON (structured-cloned from workers), returned in task order.
 *
 * Module paths: pass the module's own `__filename` (dist/.../x.js compiled, src/.../x.ts under
 * tsx); a worker started from TypeScript sources registers tsx's require hook first (as the
 * modelPool worker does).
 *
 * Failure: the first task that throws stops the queue (tasks not yet started are not started);
 * tasks already running on other threads are let finish (a training saves its model atomically,
 * so nothing is left half-written); then runTasks rejects with an Error naming the task
 * (`label`, else fn and index) and its message. Workers end by themselves when the queue is
 * empty and are terminated at the end in every case, so no thread outlives the call.
 * The queue is a shared Atomics counter: a worker takes its next task without waiting for the main
 * thread, whose event loop may be busy with a long task of its own; progress (onDone) for a
 * worker's task is reported when the main thread next gets to it.
 *
 * @example
 *   const out = await runTasks([{ module: __filename, fn: 'trainOne', args: { seed: 0 }, label: 'seed 0' }], { workers: 'auto' });
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { backendName } from './backend';
import { checkOptions } from './model';
import { workerCount } from './parallel';

export interface Task {
  /** Absolute path of a module of this library (e.g. its `__filename`). */
  module: string;
  /** Name of an exported (async) function of that module, called as fn(args). */
  fn: string;
  /** JSON-serialisable argument. */
  args?: unknown;
  /** Name used in progress and error messages (default `${fn}#${index}`). */
  label?: string;
}

export interface TaskDone {
  index: number;
  label: string;
  result: unknown;
  /** 'main' or 'worker <k>'. */
  thread: string;
  seconds: number;
  done: number;
  total: number;
}

export interface RunTasksOptions {
  /** Worker threads besides the main thread: a count >= 0 or 'auto' (workerCount; ROBUSTLENS_WORKERS). Default 'auto'. */
  workers?: number | 'auto';
  /** Called when a task finishes (progress). */
  onDone?: (d: TaskDone) => void;
}

const FROM_SOURCE = extname(__filename) === '.ts';
const workerEntry = (fromSource: boolean) =>
  fromSource
    ? `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(join(__dirname, 'taskWorker.ts'))});`
    : join(__dirname, 'taskWorker.js');

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** require(module)[fn](args) as JSON (undefined: null), with clear errors for a missing module or function. */
export async function callTask(task: Task): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(task.module) as Record<string, unknown>;
  const f = mod[task.fn];
  if (typeof f !== 'function') throw new Error(`${task.module} exports no function "${task.fn}"`);
  const result = await (f as (a: unknown) => unknown)(task.args);
  return result === undefined ? null : JSON.parse(JSON.stringify(result)); // JSON, the same on every thread
}

/** Claim the next task index from the shared queue, or null when none is left or a task failed. */
export function takeTask(queue: Int32Array, total: number): number | null {
  if (Atomics.load(queue, 1) !== 0) return null;
  const i = Atomics.add(queue, 0, 1);
  return i < total ? i : null;
}

function checkTask(t: Task, i: number): void {
  if (!t || typeof t.module !== 'string' || !t.module.startsWith('/') || typeof t.fn !== 'string' || !t.fn) {
    throw new Error(`runTasks: task ${i} must be { module: absolute path, fn: exported function name, args? } (got ${JSON.stringify(t)}).`);
  }
}

/** Run every task on the main thread and the workers; results in task order (see the module doc). */
export async function runTasks(tasks: Task[], options: RunTasksOptions = {}): Promise<unknown[]> {
  checkOptions('runTasks', options, ['workers', 'onDone']);
  if (!Array.isArray(tasks)) throw new Error('runTasks: tasks must be an array.');
  tasks.forEach(checkTask);
  const total = tasks.length;
  const results: unknown[] = new Array(total);
  if (total === 0) return results;
  const labelOf = (i: number) => tasks[i].label ?? `${tasks[i].fn}#${i}`;
  const nWorkers = Math.min(workerCount(options.workers ?? 'auto'), Math.max(0, total - 1));
  // the queue is a shared counter (Atomics), so a worker takes its next task without waiting for
  // the main thread's event loop (busy with its own task); [0] next index, [1] 1 once a task failed
  const queue = new Int32Array(new SharedArrayBuffer(8));
  let done = 0;
  let failure: Error | null = null;
  const take = () => takeTask(queue, total);
  const finish = (i: number, result: unknown, thread: string, seconds: number) => {
    results[i] = result;
    done++;
    options.onDone?.({ index: i, label: labelOf(i), result, thread, seconds, done, total });
  };
  const fail = (i: number, thread: string, e: unknown) => {
    Atomics.store(queue, 1, 1);
    if (!failure) failure = new Error(`runTasks: task "${labelOf(i)}" (${tasks[i].fn} in ${tasks[i].module}) failed on the ${thread} thread: ${message(e)}`);
  };

  const mainLoop = async () => {
    for (let i = take(); i !== null; i = take()) {
      const t0 = Date.now();
      try {
        finish(i, await callTask(tasks[i]), 'main', (Date.now() - t0) / 1000);
      } catch (e) {
        fail(i, 'main', e);
      }
    }
  };

  const workers: Worker[] = [];
  const fromSource = FROM_SOURCE || tasks.some((t) => extname(t.module) === '.ts');
  const workerLoop = (k: number) =>
    new Promise<void>((resolve) => {
      const thread = `worker ${k}`;
      const w = new Worker(workerEntry(fromSource), {
        eval: fromSource,
        workerData: { tasks, queue: queue.buffer },
        env: { ...process.env, ROBUSTLENS_BACKEND: backendName() },
        execArgv: [],
      });
      workers.push(w);
      let current: number | null = null;
      let settled = false;
      const end = () => {
        if (settled) return;
        settled = true;
        resolve();
      };
      w.on('message', (m: { type: string; id: number; result?: unknown; message?: string; seconds?: number }) => {
        if (m.type === 'start') current = m.id;
        else if (m.type === 'result') {
          current = null;
          finish(m.id, m.result, thread, m.seconds ?? NaN);
        } else if (m.type === 'error') {
          current = null;
          fail(m.id, thread, m.message);
        } else if (m.type === 'done') end();
      });
      const lost = (why: string) => {
        if (settled) return;
        if (current !== null) fail(current, thread, new Error(why));
        else {
          Atomics.store(queue, 1, 1);
          if (!failure) failure = new Error(`runTasks: ${thread} failed: ${why}`);
        }
        end();
      };
      w.on('error', (e) => lost(message(e)));
      w.on('exit', (code) => lost(`the worker exited (code ${code})`));
    });

  try {
    await Promise.all([mainLoop(), ...Array.from({ length: nWorkers }, (_, k) => workerLoop(k))]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
  }
  if (failure) throw failure;
  return results;
}

/**
 * A fingerprint (FNV-1a, 32-bit words, hex) of typed arrays' contents and lengths: lets a task
 * check that the data it rebuilt is the data the main thread holds.
 */
export function fingerprint(arrays: ArrayBufferView[]): string {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    h ^= v;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (const view of arrays) {
    mix(view.byteLength);
    const a = view.byteOffset & 3 ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice() : view; // align
    const words = new Uint32Array(a.buffer, a.byteOffset, a.byteLength >>> 2);
    for (let i = 0; i < words.length; i++) mix(words[i]);
    const bytes = new Uint8Array(a.buffer, a.byteOffset + words.length * 4, a.byteLength & 3);
    for (let i = 0; i < bytes.length; i++) mix(bytes[i]);
  }
  return h.toString(16).padStart(8, '0');
}
