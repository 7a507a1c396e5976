/**
 * Independent tasks on every core: the main thread and `workers` worker threads take tasks from
 * one queue. A task names a task kind registered with defineTask (a name, the module that defines
 * it, and its function) and carries JSON arguments. The main thread runs its tasks in-process; each
 * worker starts the engine with the main thread's backend and requires the defining modules, which
 * register their kinds there again, then runs its tasks by name. This layer never names a module
 * itself: the defining module gives its own path (its `__filename`: dist/.../x.js compiled,
 * src/.../x.ts under tsx, for which the worker registers tsx's require hook first).
 * Arguments travel as JSON text parsed on every thread, so every thread sees the same values;
 * results are JSON too, returned in task order.
 *
 * Failure: the first task that throws stops the queue (tasks not yet started are not started);
 * tasks already running on other threads are let finish (a training saves its model atomically,
 * so nothing is left half-written); then runTasks rejects with an Error naming the task
 * (`label`, else kind and index) and its message. Workers end by themselves when the queue is
 * empty and are terminated at the end in every case, so no thread outlives the call.
 * The queue is a shared Atomics counter: a worker takes its next task without waiting for the main
 * thread, whose event loop may be busy with a long task of its own; progress (onDone) for a
 * worker's task is reported when the main thread next gets to it. The workers are started before
 * the main thread takes its first task, so a worker can take tasks while the main thread is busy
 * (a worker needs about 0.6 s to start from dist/, 4-6 s under tsx, on a loaded 2-core machine).
 * Which thread runs which task depends on scheduling; what is guaranteed is the results, in order,
 * each task run once.
 *
 * @example
 *   const square = defineTask('demo.square', __filename, async (a: { x: number }) => a.x * a.x);
 *   const out = await runTasks([1, 2, 3].map((x) => ({ kind: square, args: { x } })), { workers: 'auto' });
 */
import { extname, isAbsolute, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { backendName } from './backend';
import { checkOptions } from './validate';
import { workerCount } from './parallel';

/** A registered task function: its name, the module defining it (absolute path) and the function. */
export interface TaskKind<A = unknown, R = unknown> {
  readonly name: string;
  readonly module: string;
  run(args: A): R | Promise<R>;
}

const registry = new Map<string, TaskKind>();

/**
 * Register a task kind under `name` (unique; defining it again from the same module replaces it).
 * Call it at the top level of the module whose path you give, so that a worker requiring that
 * module registers the same kind.
 */
export function defineTask<A, R>(name: string, module: string, run: (args: A) => R | Promise<R>): TaskKind<A, R> {
  if (typeof name !== 'string' || name.trim() === '') throw new Error(`defineTask: name must be a non-empty string, got ${JSON.stringify(name)}.`);
  if (typeof module !== 'string' || !isAbsolute(module)) throw new Error(`defineTask("${name}"): module must be the absolute path of the defining module (its __filename), got ${JSON.stringify(module)}.`);
  if (typeof run !== 'function') throw new Error(`defineTask("${name}"): run must be a function (args) => result.`);
  const old = registry.get(name);
  if (old && old.module !== module) throw new Error(`defineTask: "${name}" is already defined by ${old.module}; give the task in ${module} another name.`);
  const kind: TaskKind<A, R> = { name, module, run };
  registry.set(name, kind as TaskKind);
  return kind;
}

export interface Task<A = unknown> {
  /** The kind (from defineTask) or its registered name. */
  kind: TaskKind<A, unknown> | string;
  /** JSON-serialisable argument. */
  args?: A;
  /** Name used in progress and error messages (default `${kind}#${index}`). */
  label?: string;
}

/** What a worker receives per task: the kind's name and module, and the arguments as JSON text. */
export interface WireTask {
  name: string;
  module: string;
  args: string;
}

export interface TaskDone {
  index: number;
  label: string;
  result: unknown;
  /** 'main' or 'worker <k>' (scheduling decides; for progress lines only). */
  thread: string;
  seconds: number;
  done: number;
  total: number;
}

export interface RunTasksOptions {
  /** Worker threads besides the main thread: a count >= 0 or 'auto' (workerCount; ROBUSTLENS_WORKERS). Default 'auto'. */
  workers?: number | 'auto';
  /** Whether the main thread takes tasks too (default true); false leaves all to the workers (at least one). */
  mainThread?: boolean;
  /** Called when a task finishes (progress). */
  onDone?: (d: TaskDone) => void;
}

const FROM_SOURCE = extname(__filename) === '.ts';
const workerEntry = (fromSource: boolean) =>
  fromSource
    ? `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(join(__dirname, 'taskWorker.ts'))});`
    : join(__dirname, 'taskWorker.js');

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Require each defining module once (a worker: registers the kinds there), then check every kind is registered. */
export function loadKinds(tasks: WireTask[]): void {
  for (const module of new Set(tasks.map((t) => t.module))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(module);
  }
  for (const t of tasks) {
    if (registry.get(t.name)?.module !== t.module) throw new Error(`${t.module} did not define the task "${t.name}" (defineTask at its top level)`);
  }
}

/** Run one wire task by its registered name; the result as JSON (undefined: null). */
export async function callTask(task: WireTask): Promise<unknown> {
  const kind = registry.get(task.name);
  if (!kind) throw new Error(`no task "${task.name}" is defined on this thread`);
  const result = await kind.run(JSON.parse(task.args));
  return result === undefined ? null : JSON.parse(JSON.stringify(result)); // JSON, the same on every thread
}

/** Claim the next task index from the shared queue, or null when none is left or a task failed. */
export function takeTask(queue: Int32Array, total: number): number | null {
  if (Atomics.load(queue, 1) !== 0) return null;
  const i = Atomics.add(queue, 0, 1);
  return i < total ? i : null;
}

function toWire(t: Task, i: number): WireTask {
  if (!t || typeof t !== 'object') throw new Error(`runTasks: task ${i} must be { kind, args?, label? } (got ${JSON.stringify(t)}).`);
  const name = typeof t.kind === 'string' ? t.kind : t.kind?.name;
  const kind = name === undefined ? undefined : registry.get(name);
  if (!kind || (typeof t.kind === 'object' && t.kind !== kind)) {
    throw new Error(`runTasks: task ${i} names no task kind defined here (${JSON.stringify(name)}); define it with defineTask(name, __filename, fn).`);
  }
  let args: string | undefined;
  try {
    args = JSON.stringify(t.args ?? null);
  } catch {
    args = undefined;
  }
  if (args === undefined) throw new Error(`runTasks: task ${i} ("${name}") has arguments that are not JSON (plain objects, arrays, strings, numbers, booleans).`);
  return { name: kind.name, module: kind.module, args };
}

/** Run every task on the main thread and the workers; results in task order (see the module doc). */
export async function runTasks(tasks: Task[], options: RunTasksOptions = {}): Promise<unknown[]> {
  checkOptions('runTasks', options, ['workers', 'mainThread', 'onDone']);
  if (!Array.isArray(tasks)) throw new Error('runTasks: tasks must be an array.');
  const wire = tasks.map(toWire);
  const total = tasks.length;
  const results: unknown[] = new Array(total);
  if (total === 0) return results;
  const onMain = options.mainThread ?? true;
  const labelOf = (i: number) => tasks[i].label ?? `${wire[i].name}#${i}`;
  const nWorkers = Math.min(workerCount(options.workers ?? 'auto'), onMain ? total - 1 : total);
  if (!onMain && nWorkers < 1) throw new Error('runTasks: mainThread: false needs at least one worker (workers >= 1).');
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
    if (!failure) failure = new Error(`runTasks: task "${labelOf(i)}" (${wire[i].name} of ${wire[i].module}) failed on the ${thread} thread: ${message(e)}`);
  };

  const mainLoop = async () => {
    if (!onMain) return;
    for (let i = take(); i !== null; i = take()) {
      const t0 = Date.now();
      try {
        finish(i, await callTask(wire[i]), 'main', (Date.now() - t0) / 1000);
      } catch (e) {
        fail(i, 'main', e);
      }
    }
  };

  const workers: Worker[] = [];
  const fromSource = FROM_SOURCE || wire.some((t) => extname(t.module) === '.ts');
  const workerLoop = (k: number) =>
    new Promise<void>((resolve) => {
      const thread = `worker ${k}`;
      const w = new Worker(workerEntry(fromSource), {
        eval: fromSource,
        workerData: { tasks: wire, queue: queue.buffer },
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
    // Workers are started before the main thread takes its first task: a task body runs
    // synchronously up to its first await, so starting them after would leave a worker unborn until
    // the main thread's task (often all of them) had finished.
    const started = Array.from({ length: nWorkers }, (_, k) => workerLoop(k));
    await Promise.all([...started, mainLoop()]);
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
