import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setup } from '../helpers';
import { runTasks, backendName } from '../../src/lib/engine';

before(setup);

const module = join(__dirname, '..', 'fixtures', 'tasks', 'taskFns.ts');
type Sq = { x: number; y: number; main: boolean; thread: number; backend: string };

test('runTasks: results in task order, work shared by the main thread and a worker on the same backend', async () => {
  const xs = [1, 2, 3, 4, 5, 6];
  const done: string[] = [];
  const out = (await runTasks(xs.map((x) => ({ module, fn: 'square', args: { x, waitMs: 300 + (7 - x) * 60 }, label: `sq ${x}` })), {
    workers: 1,
    onDone: (d) => done.push(d.label),
  })) as Sq[];
  assert.deepEqual(out.map((r) => r.y), xs.map((x) => x * x));
  assert.equal(done.length, xs.length);
  assert.ok(out.some((r) => r.main), 'the main thread takes tasks');
  assert.ok(out.some((r) => !r.main), 'the worker takes tasks');
  for (const r of out) assert.equal(r.backend, backendName());
});

test('runTasks: workers 0 runs everything on the main thread; no tasks gives []', async () => {
  const out = (await runTasks([1, 2, 3].map((x) => ({ module, fn: 'square', args: { x } })), { workers: 0 })) as Sq[];
  assert.deepEqual(out.map((r) => r.y), [1, 4, 9]);
  assert.ok(out.every((r) => r.main));
  assert.deepEqual(await runTasks([], { workers: 1 }), []);
});

test('runTasks: a task that throws rejects with a message naming the task (main thread and worker)', async () => {
  for (const workers of [0, 1]) {
    const tasks = [
      { module, fn: 'square', args: { x: 1, waitMs: 300 }, label: 'slow square' },
      { module, fn: 'boom', args: { what: 'bad config' }, label: 'model p3-x' },
      { module, fn: 'square', args: { x: 3 } },
    ];
    await assert.rejects(runTasks(tasks, { workers }), (e: Error) => {
      assert.match(e.message, /runTasks: task "model p3-x" \(boom in .*taskFns\.ts\) failed on the (main|worker 0) thread: boom: bad config/);
      return true;
    });
  }
  await assert.rejects(runTasks([{ module, fn: 'nope' }], { workers: 0 }), /task "nope#0" .*exports no function "nope"/);
  await assert.rejects(runTasks([{ module: 'relative.ts', fn: 'f' }]), /task 0 must be \{ module: absolute path/);
  await assert.rejects(runTasks([], { threads: 2 } as never), /threads/);
});

test('runTasks: the process exits by itself afterwards (no dangling worker)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'fixtures', 'tasks', 'exitCheck.ts')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.deepEqual(out.ys, [1, 4, 9]);
  assert.ok(out.onWorker >= 1);
});

test('after danfojs-node (report tables) loads, the main thread and a worker both compute with the corrected gradients', async () => {
  const { showTable } = await import('../../src/lib/report');
  const log = console.log;
  console.log = () => undefined;
  try {
    showTable([{ a: 1 }], { title: 'loads danfojs-node' });
  } finally {
    console.log = log;
  }
  const out = (await runTasks([0, 1].map(() => ({ module, fn: 'poolGradients', args: { waitMs: 2500 } })), { workers: 1 })) as { main: boolean; fixed: boolean; tiedGrad: number[] }[];
  assert.ok(out[0].main !== out[1].main, 'one task on each thread');
  for (const o of out) {
    assert.ok(o.fixed, `${o.main ? 'main' : 'worker'}: the engine's gradient configs are registered`);
    assert.deepEqual(o.tiedGrad, [1, 0, 0, 0], `${o.main ? 'main' : 'worker'}: first maximum takes the tied window's gradient`);
  }
});
