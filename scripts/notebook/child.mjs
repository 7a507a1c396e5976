// One notebook, executed in this Node process by tslab's own converter, executor and message
// handler (no Jupyter, no Python, no ZeroMQ). Started by run.mjs with an IPC channel; every output
// goes to the parent as a message, which assembles the nbformat-4 notebook (so a cell that never
// returns can be timed out and still leave the outputs so far).
//
// Messages to the parent:
//   { type: 'start', cell }                    a code cell starts (index into the notebook's cells)
//   { type: 'stream', cell, name, text }       stdout / stderr text
//   { type: 'display', cell, data, metadata, id, update }   display_data / update_display_data
//   { type: 'error', cell, ename, evalue, traceback, origin }  an error output for that cell
//   { type: 'end', cell, status }              the cell finished ('ok' | 'error')
//   { type: 'done', status }                   every cell ran (or the first failure stopped the run)
//
// Errors: an exception or compile error in a cell is an error output of that cell. A promise that
// rejects with nobody awaiting it, or an exception thrown from a callback, is attributed to the
// cell whose code created the promise (async_hooks), else the running or last cell, and stops the
// run. After the last cell the process waits until its event loop is idle (at most 2 s) so that a
// rejection left unawaited in the last cell is caught too.
import { createRequire } from 'node:module';
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const require = createRequire(join(root, 'package.json'));
const nbPath = resolve(process.argv[2] ?? '');
const DRAIN_MS = 2000;

function send(msg) {
  if (process.send) process.send(msg);
}

// Marks this process as the robustlens runner: the library's kernel error handlers leave ours alone.
globalThis[Symbol.for('robustlens.runner')] = true;

const cellOf = new AsyncLocalStorage();
const promiseCell = new WeakMap();
createHook({
  init(_id, type, _trigger, resource) {
    if (type !== 'PROMISE') return;
    const c = cellOf.getStore();
    if (c !== undefined) promiseCell.set(resource, c);
  },
}).enable();

let current = null; // index of the running cell
let last = null; // index of the last cell started
let failed = false;
let executor = null;

function errorFields(e) {
  if (e instanceof Error || (e && typeof e === 'object' && 'message' in e && 'stack' in e)) {
    const stack = typeof e.stack === 'string' ? e.stack : `${e.name}: ${e.message}`;
    return { ename: e.name || 'Error', evalue: String(e.message), traceback: stack.split('\n') };
  }
  return { ename: 'Error', evalue: String(e), traceback: [`thrown value (not an Error): ${String(e)}`] };
}

function asyncFailure(kind, e, cell) {
  const at = cell ?? current ?? last;
  const f = errorFields(e);
  send({ type: 'error', cell: at, ...f, origin: kind });
  if (!failed) {
    failed = true;
    // stop a cell that is still awaiting: tslab races each cell against its interrupt promise
    if (current !== null && executor) executor.interrupt();
  }
}

process.on('unhandledRejection', (reason, promise) => {
  asyncFailure('unhandled rejection (a promise nobody awaited)', reason, promiseCell.get(promise));
});
process.on('uncaughtException', (err) => {
  asyncFailure('uncaught exception', err, cellOf.getStore());
});

function loadTslab() {
  try {
    return {
      converter: require('tslab/dist/converter'),
      executor: require('tslab/dist/executor'),
      jupyter: require('tslab/dist/jupyter'),
    };
  } catch (e) {
    process.stderr.write(`robustlens: tslab is not installed (${e.message}); run \`npm ci\` first.\n`);
    process.exit(2);
  }
}

async function main() {
  const nb = JSON.parse(readFileSync(nbPath, 'utf8'));
  const cells = nb.cells ?? [];
  const tslab = loadTslab();
  // tslab's kernel runs in the notebook's folder: imports like '../dist/lib' resolve from there
  process.chdir(dirname(nbPath));
  let node = null;
  let browser = null;
  const convs = {
    get node() {
      return (node ??= tslab.converter.createConverter({ isJS: false, isBrowser: false }));
    },
    get browser() {
      return (browser ??= tslab.converter.createConverter({ isJS: false, isBrowser: true }));
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
  // tslab reports a cell's exception (and compile diagnostics) through this console's error():
  // keep the Error itself so the error output carries its own name, message and stack
  let caught = null;
  const diagnostics = [];
  const cellConsole = {
    log: (...a) => console.log(...a),
    error: (...a) => {
      if (a.length === 5 && a[0] === '%s%d:%d - %s') diagnostics.push(`${a[1]}${a[2]}:${a[3]} - ${a[4]}`);
      else if (a.length === 1 && caught === null) caught = { value: a[0] };
      else console.error(...a);
    },
  };
  executor = tslab.executor.createExecutor(process.cwd(), convs, cellConsole);
  const handler = new tslab.jupyter.JupyterHandlerImpl(executor, false);

  for (let i = 0; i < cells.length && !failed; i++) {
    const cell = cells[i];
    if (cell.cell_type !== 'code') continue;
    const code = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? '');
    current = i;
    last = i;
    caught = null;
    diagnostics.length = 0;
    send({ type: 'start', cell: i });
    const writeStream = (name, text) => send({ type: 'stream', cell: i, name, text });
    const writeDisplay = (msg, update) =>
      send({ type: 'display', cell: i, data: msg.data, metadata: msg.metadata ?? {}, id: msg.transient?.display_id ?? null, update: Boolean(update) });
    const reply = await cellOf.run(i, () => handler.handleExecute({ code }, writeStream, writeDisplay));
    // let rejections of promises this cell left behind surface before the next cell starts
    await new Promise((r) => setImmediate(r));
    current = null;
    if (reply.status !== 'ok') {
      if (!failed) {
        if (diagnostics.length) send({ type: 'error', cell: i, ename: 'CompileError', evalue: diagnostics.join('\n'), traceback: diagnostics, origin: 'TypeScript' });
        else if (caught) send({ type: 'error', cell: i, ...errorFields(caught.value), origin: 'exception' });
        else send({ type: 'error', cell: i, ename: 'Error', evalue: `cell ended with status ${reply.status}`, traceback: [], origin: 'exception' });
      }
      failed = true;
    }
    send({ type: 'end', cell: i, status: failed ? 'error' : 'ok' });
  }
  if (!failed) await drain();
  await closeLibrary();
  convs.close();
  send({ type: 'done', status: failed ? 'error' : 'ok' });
  process.channel?.ref();
  process.exitCode = failed ? 1 : 0;
  // the parent disconnects once it has the 'done' message; exit then, whatever keeps the loop busy
  process.on('disconnect', () => process.exit(failed ? 1 : 0));
}

/** Wait until nothing is left to run (a floating promise of the last cell settles), at most DRAIN_MS. */
async function drain() {
  process.channel?.unref();
  await new Promise((res) => {
    const t = setTimeout(res, DRAIN_MS);
    t.unref();
    process.once('beforeExit', () => {
      clearTimeout(t);
      res();
    });
  });
  await new Promise((r) => setImmediate(r));
  process.channel?.ref();
}

/** Close the headless Chromium the report layer may have started (it would keep the process alive). */
async function closeLibrary() {
  const exportJs = join(root, 'dist', 'lib', 'report', 'export.js');
  if (!require.cache[exportJs]) return;
  try {
    await require(exportJs).closeBrowser();
  } catch {
    /* the browser is gone already */
  }
}

main().catch((e) => {
  send({ type: 'error', cell: current ?? last, ...errorFields(e), origin: 'runner' });
  send({ type: 'done', status: 'error' });
  process.exitCode = 1;
  process.on('disconnect', () => process.exit(1));
});
