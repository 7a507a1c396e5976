// The headless runner (scripts/notebook): tslab's converter and executor in a child Node process,
// nbformat-4 outputs, errors named by cell with their own message, a self-contained HTML export;
// and a kernel that survives a promise nobody awaited (tslab's executor with tslab's own handlers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const fixture = (n: string) => join(root, 'tests', 'fixtures', 'notebooks', n);
const built = existsSync(join(root, 'dist', 'lib', 'index.js'));
const needsBuild = !built && 'dist/ is missing: run `npm run build` (npm test builds first)';

type Out = { output_type: string; name?: string; text?: string[]; data?: Record<string, any>; ename?: string; evalue?: string };
async function run(nb: string, env: NodeJS.ProcessEnv = process.env) {
  const { runNotebook } = await import('../../scripts/notebook/run.mjs');
  return runNotebook(fixture(nb), { env, timeoutSec: 300 }) as Promise<{ nb: any; failure: any }>;
}
const text = (o: Out) => (o.text ?? []).join('');

test('a clean notebook runs with Node alone (no python3 on PATH) and keeps its outputs', async () => {
  const r = await run('ok.ipynb', { ...process.env, PATH: '/nonexistent', ROBUSTLENS_PYTHON: '' });
  assert.equal(r.failure, null);
  assert.equal(r.nb.cells[0].execution_count, 1);
  assert.deepEqual(r.nb.cells[0].outputs, [{ output_type: 'stream', name: 'stdout', text: ['answer 42\n'] }]);
});

test('an awaited error fails the run in its cell, with the error\'s own message; later cells do not run', async () => {
  const r = await run('fails_await.ipynb');
  assert.deepEqual([r.failure.cell, r.failure.ename, r.failure.evalue], [1, 'Error', 'planted failure']);
  const err = r.nb.cells[1].outputs.find((o: Out) => o.output_type === 'error');
  assert.equal(err.evalue, 'planted failure');
  assert.ok(err.traceback.some((l: string) => /at bad/.test(l)), 'the stack is kept');
  assert.equal(r.nb.cells[2].execution_count, null);
});

test('a promise rejection nobody awaited fails the run, named by the cell that made it', async () => {
  const r = await run('fails_floating.ipynb');
  assert.equal(r.failure.cell, 1);
  assert.equal(r.failure.evalue, 'floating rejection');
  assert.match(r.failure.origin, /unhandled rejection/);
});

test('a rejection left unawaited in the last cell, surfacing after it returned, still fails the run', async () => {
  const r = await run('last_floating.ipynb');
  assert.equal(r.failure?.cell, 1);
  assert.equal(r.failure.evalue, 'left unawaited in the last cell');
  assert.match(text(r.nb.cells[1].outputs[0]), /returns before the rejection/);
});

test('tslab\'s watcher race ("Unexpected pending rebuildTimer") reruns the notebook once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-race-'));
  try {
    const log = join(dir, 'runs.txt');
    const r = await run('tslab_race.ipynb', { ...process.env, RACE_LOG: log });
    assert.equal(r.failure, null);
    assert.equal(readFileSync(log, 'utf8'), 'run\nrun\n', 'the notebook ran twice');
    assert.deepEqual(r.nb.cells[0].outputs, [{ output_type: 'stream', name: 'stdout', text: ['run 2\n'] }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a TypeScript error is an error output naming the line and the problem', async () => {
  const r = await run('compile_error.ipynb');
  assert.equal(r.failure.ename, 'CompileError');
  assert.match(r.failure.evalue, /1:7 - Type 'string' is not assignable to type 'number'/);
});

test('outputs: streams merged, display updates folded into the display they update (across cells), last expression printed', async () => {
  const r = await run('displays.ipynb');
  assert.equal(r.failure, null);
  const [md, c1, c2] = r.nb.cells;
  assert.equal(md.cell_type, 'markdown');
  const displays = c1.outputs.filter((o: Out) => o.output_type === 'display_data');
  assert.equal(displays.length, 1, 'one display, updated in place');
  assert.deepEqual(displays[0].data['text/html'], ['<b>third, from the next cell</b>']);
  assert.equal(text(c1.outputs.find((o: Out) => o.name === 'stdout')), 'out 1\nout 2\n');
  assert.equal(text(c1.outputs.find((o: Out) => o.name === 'stderr')), 'err 1\n');
  assert.deepEqual(c2.outputs.map((o: Out) => o.output_type), ['display_data', 'stream']);
  assert.deepEqual(c2.outputs[0].data['text/markdown'], ['**bold**']);
  assert.equal(text(c2.outputs[1]), '42\n');
  const { notebookHtml } = await import('../../scripts/notebook/html.mjs');
  const html: string = await notebookHtml(r.nb, 'displays');
  assert.match(html, /<h1>Displays<\/h1>/);
  assert.match(html, /<b>third, from the next cell<\/b>/);
  assert.match(html, /<strong>bold<\/strong>/);
  assert.doesNotMatch(html, /<script src=/, 'self-contained');
});

test('with the wasm backend loaded, a rejection nobody awaited fails a headless run with its message', { skip: needsBuild }, async () => {
  const r = await run('kernel_survives.ipynb');
  assert.equal(r.nb.cells[0].outputs[0].text.join(''), 'wasm\n');
  assert.equal(r.failure?.cell, 1);
  assert.equal(r.failure.evalue, 'nobody awaited me');
});

test('in an interactive tslab kernel the same rejection is reported and the next cell still sees earlier variables', { skip: needsBuild }, () => {
  const r = spawnSync(process.execPath, [join(root, 'tests', 'fixtures', 'kernel-sim.mjs'), fixture('kernel_survives.ipynb')], { encoding: 'utf8', timeout: 300000 });
  assert.equal(r.status, 0, `the kernel died: ${r.stderr.slice(-2000)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.deepEqual(out.cells.map((c: any) => c.status), ['ok', 'ok', 'ok']);
  assert.match(out.cells[1].stderr, /nobody awaited me/);
  assert.match(out.cells[1].stderr, /the kernel keeps running/);
  assert.match(out.cells[1].stderr, /at /, 'with its stack');
  assert.equal(out.cells[2].stdout, 'x + 1 = 42\n');
});
