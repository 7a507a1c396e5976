/**
 * The worker thread of engine.runTasks (tasks.ts): start the engine with the main thread's backend
 * (ROBUSTLENS_BACKEND), require the modules that define the tasks' kinds (they register them here),
 * then take task indices from the shared queue until none is left, posting {start}, then {result}
 * (JSON) or {error} for each, and {done} at the end; the thread then exits.
 * Not imported by the library; started as a Worker entry.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ready } from './backend';
import { callTask, loadKinds, takeTask, WireTask } from './tasks';

const port = parentPort!;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function main(): Promise<void> {
  const tasks = workerData.tasks as WireTask[];
  const queue = new Int32Array(workerData.queue as SharedArrayBuffer);
  await ready();
  let loadError: unknown = null;
  try {
    loadKinds(tasks);
  } catch (e) {
    loadError = e;
  }
  for (let i = takeTask(queue, tasks.length); i !== null; i = takeTask(queue, tasks.length)) {
    port.postMessage({ type: 'start', id: i });
    const t0 = Date.now();
    try {
      if (loadError) throw loadError;
      const result = await callTask(tasks[i]);
      port.postMessage({ type: 'result', id: i, result, seconds: (Date.now() - t0) / 1000 });
    } catch (e) {
      Atomics.store(queue, 1, 1);
      port.postMessage({ type: 'error', id: i, message: message(e) });
    }
  }
  port.postMessage({ type: 'done' });
}

void main();
