/**
 * A notebook kernel that survives mistakes.
 *
 * tfjs-backend-wasm's Emscripten glue installs process handlers that rethrow
 * (`process.on('unhandledRejection', r => { throw r })` and an 'uncaughtException' rethrow). In a
 * tslab kernel the first promise a cell forgets to await then kills the kernel, and every variable
 * with it. `withoutRethrowingHandlers(load)` runs the backend's start-up and removes the handlers it
 * added. Then:
 * - in a tslab kernel (Jupyter, VS Code), robustlens' handlers report the error (message and stack)
 *   on stderr to the cell that is running, or, when none is, to the cell that ran last and again at
 *   the start of the next one, and the kernel keeps running with its variables;
 * - under the headless runner (scripts/notebook/child.mjs) the runner's own handlers stay: they
 *   attribute the error to its cell and fail the run;
 * - anywhere else (scripts, tests, workers) Node's default applies: an unhandled rejection ends the
 *   process with the error.
 *
 * @example
 *   await withoutRethrowingHandlers(async () => { await import('@tensorflow/tfjs-backend-wasm'); await tf.setBackend('wasm'); });
 */
const EVENTS = ['unhandledRejection', 'uncaughtException'] as const;
type Listener = (...args: any[]) => void;

const OURS = Symbol.for('robustlens.kernelErrorHandler');
const RUNNER = Symbol.for('robustlens.runner');

/** Run `load` (the wasm backend's start-up) and remove the process handlers it installed. Returns what `load` returns. */
export async function withoutRethrowingHandlers<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(EVENTS.map((e) => [e, new Set(process.listeners(e as any) as Listener[])]));
  try {
    return await load();
  } finally {
    for (const e of EVENTS) {
      for (const l of process.listeners(e as any) as Listener[]) if (!before.get(e)!.has(l)) process.removeListener(e, l);
    }
    if (inTslabKernel() && !(globalThis as any)[RUNNER]) installKernelHandlers();
  }
}

/** tslab's message-handler module when a kernel (or the runner) has loaded it; never loads it (it pulls in TypeScript). */
function tslabJupyter(): any | null {
  try {
    return require.cache[require.resolve('tslab/dist/jupyter')]?.exports ?? null;
  } catch {
    return null;
  }
}

/** True inside a running tslab kernel (its message handler has started). */
export function inTslabKernel(): boolean {
  const j = tslabJupyter();
  return !!j && typeof j.lastWriteDisplayData === 'function';
}

let running = 0;
let seenCellEnd = false;
const pending: string[] = [];

/** The report text for an error that escaped every cell. */
export function kernelErrorText(kind: string, err: unknown): string {
  const detail = err instanceof Error ? err.stack ?? `${err.name}: ${err.message}` : `thrown value (not an Error): ${String(err)}`;
  return `robustlens: ${kind}; the kernel keeps running and your variables are kept.\n${detail}\n`;
}

function write(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    /* the kernel's sockets are closed (shutting down): nothing to report to */
  }
}

function report(kind: string, err: unknown): void {
  // at shutdown tslab's output sockets close and a late write fails: not the user's mistake
  if (err instanceof Error && /Socket is closed/.test(err.message)) return;
  const text = kernelErrorText(kind, err);
  write(text);
  if (running === 0 && seenCellEnd) pending.push(`robustlens: reported after the previous cell had finished:\n${text}`);
}

const onRejection = (reason: unknown) => report('a promise rejected and nobody awaited it', reason);
const onException = (err: unknown) => report('an uncaught exception (thrown from a callback)', err);
(onRejection as any)[OURS] = true;
(onException as any)[OURS] = true;

/**
 * Replace the kernel's process handlers for unhandled rejections and uncaught exceptions with
 * robustlens' reporting ones, and track cell starts and ends through tslab's message handler (so a
 * late error is repeated in the next cell). Idempotent.
 */
export function installKernelHandlers(): void {
  for (const [e, l] of [['unhandledRejection', onRejection], ['uncaughtException', onException]] as const) {
    for (const other of process.listeners(e as any) as Listener[]) if (!(other as any)[OURS]) process.removeListener(e, other);
    if (!process.listeners(e as any).includes(l as any)) process.on(e as any, l as Listener);
  }
  const j = tslabJupyter();
  const proto = j?.JupyterHandlerImpl?.prototype;
  if (!proto || proto[OURS]) return;
  const impl = proto.handleExecuteImpl;
  proto.handleExecuteImpl = function (this: any, ...args: unknown[]) {
    const ex = this.executor;
    if (ex && !ex[OURS]) {
      const execute = ex.execute;
      ex.execute = async (code: string) => {
        // stdout/stderr already go to this cell here: repeat what arrived between cells
        running++;
        for (const text of pending.splice(0)) write(text);
        try {
          return await execute(code);
        } finally {
          running--;
          seenCellEnd = true;
        }
      };
      ex[OURS] = true;
    }
    return impl.apply(this, args);
  };
  proto[OURS] = true;
}
