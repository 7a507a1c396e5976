// Run one notebook headless in a child Node process (child.mjs: tslab's converter and executor) and
// assemble its nbformat-4 outputs: streams merged, display_data kept with its metadata,
// update_display_data folded into the display it updates, errors as error outputs of their cell.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Split text into nbformat's list of lines (each but the last keeps its newline). */
export function lines(text) {
  const s = String(text);
  if (s === '') return [];
  const out = s.split('\n').map((l, i, a) => (i < a.length - 1 ? `${l}\n` : l));
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** The text of a cell source or a stream (nbformat allows a string or a list of lines). */
export function joinText(t) {
  return Array.isArray(t) ? t.join('') : String(t ?? '');
}

/** A MIME bundle as nbformat stores it: text types as lists of lines, JSON types as objects. */
export function storeBundle(data) {
  const out = {};
  for (const [k, v] of Object.entries(data ?? {})) {
    if (typeof v === 'string' && (k.startsWith('text/') || k === 'application/javascript' || k === 'image/svg+xml')) out[k] = lines(v);
    else out[k] = v;
  }
  return out;
}

/** First line of a cell's source, for messages. */
export function cellTitle(cell) {
  const first = joinText(cell?.source).split('\n').find((l) => l.trim()) ?? '';
  return first.trim().slice(0, 100);
}

/**
 * Execute `nbPath`; resolves to { nb, failure } where nb is the executed notebook (nbformat 4) and
 * failure is null or { cell, ename, evalue, origin }. `env` is the child's environment; a cell
 * running longer than `timeoutSec` is stopped (the child is killed).
 */
export async function runNotebook(nbPath, opts = {}) {
  const first = await runOnce(nbPath, opts);
  if (!isTslabWatchRace(first.failure)) return first;
  // tslab's converter throws this when a file watcher of its TypeScript watch program fired while it was
  // compiling a cell (seen under heavy load, before the cell's code ran): the notebook is not at fault,
  // and the converter stays broken for the rest of that process. Run the notebook once more, saying so.
  process.stderr.write(`robustlens: ${nbPath}: tslab's compiler failed in cell ${first.failure.cell + 1} with "${first.failure.evalue}" (a file-watcher race inside tslab, not the notebook); running the notebook once more\n`);
  return runOnce(nbPath, opts);
}

/** True for tslab's converter error "Unexpected pending rebuildTimer" (a watcher race, raised before any cell code runs). */
export function isTslabWatchRace(failure) {
  return Boolean(failure) && failure.evalue === 'Unexpected pending rebuildTimer';
}

function runOnce(nbPath, { env = process.env, timeoutSec = 1800, onCell } = {}) {
  const nb = JSON.parse(readFileSync(nbPath, 'utf8'));
  for (const c of nb.cells) {
    if (c.cell_type === 'code') {
      c.outputs = [];
      c.execution_count = null;
    }
  }
  const displays = new Map(); // display id -> [output objects]
  let failure = null;
  let count = 0;
  let done = false;
  let timer = null;
  const stderrTail = [];

  const outputsOf = (i) => (Number.isInteger(i) && nb.cells[i] ? nb.cells[i].outputs ?? (nb.cells[i].outputs = []) : null);

  function onMessage(m) {
    switch (m.type) {
      case 'start': {
        nb.cells[m.cell].execution_count = ++count;
        onCell?.(m.cell, nb.cells[m.cell]);
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => timeout(m.cell), timeoutSec * 1000);
        break;
      }
      case 'stream': {
        const outs = outputsOf(m.cell);
        if (!outs) break;
        const prev = outs[outs.length - 1];
        if (prev && prev.output_type === 'stream' && prev.name === m.name) prev.text = lines(joinText(prev.text) + m.text);
        else outs.push({ output_type: 'stream', name: m.name, text: lines(m.text) });
        break;
      }
      case 'display': {
        if (m.update) {
          for (const o of displays.get(m.id) ?? []) {
            o.data = storeBundle(m.data);
            o.metadata = m.metadata ?? {};
          }
          break;
        }
        const outs = outputsOf(m.cell);
        if (!outs) break;
        const o = { output_type: 'display_data', data: storeBundle(m.data), metadata: m.metadata ?? {} };
        outs.push(o);
        if (m.id) displays.set(m.id, [...(displays.get(m.id) ?? []), o]);
        break;
      }
      case 'error': {
        const outs = outputsOf(m.cell);
        const evalue = m.origin && !['exception', 'TypeScript', 'runner'].includes(m.origin) ? `${m.evalue} [${m.origin}]` : m.evalue;
        if (outs) outs.push({ output_type: 'error', ename: m.ename, evalue, traceback: m.traceback ?? [] });
        if (!failure) failure = { cell: m.cell, ename: m.ename, evalue: m.evalue, origin: m.origin };
        break;
      }
      case 'end':
        if (timer) clearTimeout(timer);
        timer = null;
        break;
      case 'done':
        done = true;
        child.disconnect();
        break;
      default:
        break;
    }
  }

  const child = fork(join(here, 'child.mjs'), [nbPath], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  // output outside any cell (before the first one, e.g. Node warnings) goes to our stderr
  child.stdout.on('data', (b) => process.stderr.write(b));
  child.stderr.on('data', (b) => {
    stderrTail.push(String(b));
    if (stderrTail.length > 20) stderrTail.shift();
    process.stderr.write(b);
  });
  child.on('message', onMessage);

  function timeout(cell) {
    if (!failure) {
      failure = { cell, ename: 'CellTimeoutError', evalue: `cell ran longer than ${timeoutSec} s (ROBUSTLENS_CELL_TIMEOUT); stopped`, origin: 'timeout' };
      outputsOf(cell)?.push({ output_type: 'error', ename: failure.ename, evalue: failure.evalue, traceback: [] });
    }
    child.kill('SIGKILL');
  }

  return new Promise((resolvePromise) => {
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (!done && !failure) {
        const cell = nb.cells.reduce((a, c, i) => (c.execution_count ? i : a), null);
        const tail = stderrTail.join('').trim().split('\n').slice(-5).join('\n');
        failure = {
          cell,
          ename: 'DeadKernelError',
          evalue: `the Node process running the notebook exited (${signal ?? `code ${code}`}) before the notebook finished${tail ? `:\n${tail}` : ''}`,
          origin: 'process',
        };
        outputsOf(cell)?.push({ output_type: 'error', ename: failure.ename, evalue: failure.evalue, traceback: [] });
      }
      if (!failure && code !== 0) failure = { cell: null, ename: 'Error', evalue: `runner exited with code ${code}`, origin: 'process' };
      resolvePromise({ nb, failure });
    });
  });
}
