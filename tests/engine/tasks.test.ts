/**
 * engine.runTasks: what the pool guarantees (results in task order, every task run exactly once,
 * the same backend and arguments on every thread, no dangling worker), never which thread ran what;
 * the worker path itself is exercised with mainThread: false, which leaves every task to the workers.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, runChild, within } from '../helpers';
import { runTasks, defineTask, backendName } from '../../src/lib/engine';
import { square, boom, echo, poolGradients, rendezvous } from '../fixtures/tasks/taskFns';

before(setup);

type Sq = { x: number; y: number; main: boolean; thread: number; backend: string };

for (const [what, options] of [
  ['main thread + 1 worker', { workers: 1 }],
  ['workers only', { workers: 1, mainThread: false }],
  ['main thread only', { workers: 0 }],
] as const) {
  test(`runTasks (${what}): results in task order, every task run exactly once, one progress call each, the caller's backend`, async () => {
    const marks = mkdtempSync(join(tmpdir(), 'rl-tasks-'));
    try {
      const xs = [1, 2, 3, 4, 5, 6];
      const done: number[] = [];
      const out = (await runTasks(xs.map((x) => ({ kind: square, args: { x, marks, waitMs: (7 - x) * 20 }, label: `sq ${x}` })), {
        ...options,
        onDone: (d) => {
          assert.equal(d.label, `sq ${xs[d.index]}`);
          assert.equal((d.result as Sq).y, xs[d.index] ** 2);
          done.push(d.index);
        },
      })) as Sq[];
      assert.deepEqual(out.map((r) => r.y), xs.map((x) => x * x));
      assert.deepEqual([...done].sort(), [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(readdirSync(marks).sort(), xs.map(String), 'each task ran once (an exclusive marker file each)');
      for (const r of out) assert.equal(r.backend, backendName());
      if ('mainThread' in options) assert.ok(out.every((r) => !r.main), 'mainThread: false leaves every task to the workers');
      if (options.workers === 0) assert.ok(out.every((r) => r.main), 'workers 0: the main thread only');
    } finally {
      rmSync(marks, { recursive: true, force: true });
    }
  });
}

test('runTasks: the workers start before the main thread takes a task, so a worker works while a main-thread task blocks its thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-rdv-'));
  try {
    // task 0 goes to the main thread (it takes first) and blocks it synchronously until a worker has
    // taken task 1 (or a 5 min guard passes); before the fix the worker was only created afterwards
    const out = (await within('runTasks', runTasks([0, 1].map(() => ({ kind: rendezvous, args: { dir, guardMs: 5 * 60_000 } })), { workers: 1 }))) as { main: boolean; sawWorker: boolean | null }[];
    const onMain = out.filter((r) => r.main);
    assert.equal(onMain.length, 1, JSON.stringify(out));
    assert.equal(onMain[0].sawWorker, true, 'the worker took a task while the main thread was busy');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runTasks: every thread sees the arguments as JSON; no tasks gives []', async () => {
  const args = { a: 1, b: undefined, c: NaN, d: [1, undefined], e: 'x' };
  const want = { args: { a: 1, c: null, d: [1, null], e: 'x' } };
  assert.deepEqual(await runTasks([{ kind: echo, args }], { workers: 0 }), [want]);
  assert.deepEqual(await runTasks([{ kind: 'test.echo', args }], { workers: 1, mainThread: false }), [want]);
  assert.deepEqual(await runTasks([], { workers: 1 }), []);
});

test('runTasks: a task that throws rejects with a message naming the task (main thread and worker)', async () => {
  for (const options of [{ workers: 0 }, { workers: 1, mainThread: false }]) {
    const tasks = [
      { kind: square, args: { x: 1 }, label: 'square' },
      { kind: boom, args: { what: 'bad config' }, label: 'model p3-x' },
      { kind: square, args: { x: 3 } },
    ];
    await assert.rejects(runTasks(tasks, options), (e: Error) => {
      assert.match(e.message, /runTasks: task "model p3-x" \(test\.boom of .*taskFns\.ts\) failed on the (main|worker 0) thread: boom: bad config/);
      return true;
    });
  }
});

test('runTasks / defineTask: bad tasks and options are rejected clearly', async () => {
  await assert.rejects(runTasks([{ kind: 'nope' }], { workers: 0 }), /task 0 names no task kind defined here \("nope"\); define it with defineTask/);
  await assert.rejects(runTasks([{ kind: square, args: { x: 1n } as never }]), /runTasks: task 0 \("test\.square"\) has arguments that are not JSON/);
  await assert.rejects(runTasks([], { threads: 2 } as never), /unknown option "threads"/);
  await assert.rejects(runTasks([{ kind: square, args: { x: 1 } }], { workers: 0, mainThread: false }), /mainThread: false needs at least one worker/);
  assert.throws(() => defineTask('test.square', '/elsewhere/other.ts', () => 1), /"test\.square" is already defined by .*taskFns\.ts/);
  assert.throws(() => defineTask('x', 'relative.ts', () => 1), /module must be the absolute path/);
  assert.throws(() => defineTask('', __filename, () => 1), /name must be a non-empty string/);
});

test('runTasks: a module that does not define the named kind fails in the worker with a clear message', async () => {
  const fake = defineTask('test.notInWorker', join(__dirname, '..', 'fixtures', 'tasks', 'taskFns.ts'), () => 1);
  await assert.rejects(runTasks([{ kind: fake }], { workers: 1, mainThread: false }), /taskFns\.ts did not define the task "test\.notInWorker"/);
});

test('runTasks: the process exits by itself afterwards (no dangling worker)', async () => {
  const r = await runChild([join(__dirname, '..', 'fixtures', 'tasks', 'exitCheck.ts')]);
  assert.equal(r.hung, false, `the process did not exit: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!).ys, [1, 4, 9]);
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
  const onMain = (await runTasks([{ kind: poolGradients }], { workers: 0 })) as { main: boolean; fixed: boolean; tiedGrad: number[] }[];
  const onWorker = (await runTasks([{ kind: poolGradients }], { workers: 1, mainThread: false })) as typeof onMain;
  for (const o of [...onMain, ...onWorker]) {
    assert.ok(o.fixed, `${o.main ? 'main' : 'worker'}: the engine's gradient configs are registered`);
    assert.deepEqual(o.tiedGrad, [1, 0, 0, 0], `${o.main ? 'main' : 'worker'}: first maximum takes the tied window's gradient`);
  }
  assert.ok(onMain[0].main && !onWorker[0].main);
});
