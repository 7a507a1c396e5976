/** attacks.overBudgets: the one loop over budgets under sweep and boundarySearch. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { overBudgets } from '../../src/lib/attacks';

before(setup);

/** A fake attack: example i succeeds at eps >= need[i]; its L2 size is eps, Linf eps / 2. Records the calls. */
function fake(need: number[]) {
  const calls: { eps: number; ids: number[] }[] = [];
  const runAt = (eps: number, ids: number[]) => {
    calls.push({ eps, ids: ids.slice() });
    return {
      xAdv: tf.fill([ids.length, 2], eps),
      success: ids.map((i) => eps >= need[i]),
      l2: ids.map(() => eps),
      linf: ids.map(() => eps / 2),
      snrDb: ids.map(() => 20),
    };
  };
  return { calls, runAt };
}

const need = [0.1, 0.3, Infinity, 0.2];

test('every example at every budget (ascending), firstEps the smallest success, adversaries disposed', async () => {
  const f = fake(need);
  const b = await noLeak(() => overBudgets([0.3, 0.1, 0.2], 4, f.runAt));
  assert.deepEqual(b.epsilons, [0.1, 0.2, 0.3]);
  assert.deepEqual(f.calls, [{ eps: 0.1, ids: [0, 1, 2, 3] }, { eps: 0.2, ids: [0, 1, 2, 3] }, { eps: 0.3, ids: [0, 1, 2, 3] }]);
  assert.deepEqual(b.success, [[true, false, false, false], [true, false, false, true], [true, true, false, true]]);
  assert.deepEqual(b.firstEps, [0.1, 0.3, NaN, 0.2]);
  assert.deepEqual(b.l2[1], [0.2, 0.2, 0.2, 0.2]);
  assert.deepEqual(b.linf[2], [0.15, 0.15, 0.15, 0.15]);
});

test('untilSuccess and only: solved examples are not run again; not-run entries are false / NaN; onRun owns xAdv', async () => {
  const f = fake(need);
  const seen: [number, number[], number][] = [];
  const b = await noLeak(() =>
    overBudgets([0.1, 0.2, 0.3, 0.4], 4, f.runAt, {
      only: [1, 2, 3],
      untilSuccess: true,
      onRun: (k, ids, r) => {
        seen.push([k, ids.slice(), r.xAdv.shape[0]]);
        r.xAdv.dispose();
      },
    }),
  );
  assert.deepEqual(f.calls.map((c) => c.ids), [[1, 2, 3], [1, 2, 3], [1, 2], [2]]);
  assert.deepEqual(seen, [[0, [1, 2, 3], 3], [1, [1, 2, 3], 3], [2, [1, 2], 2], [3, [2], 1]]);
  assert.deepEqual(b.firstEps, [NaN, 0.3, NaN, 0.2]);
  assert.deepEqual(b.success[2], [false, true, false, false]);
  assert.ok(Number.isNaN(b.l2[2][3]) && Number.isNaN(b.l2[0][0]));
});

test('stops calling the attack once every example succeeded; a result of the wrong length is an error without a leak', async () => {
  const f = fake([0.1, 0.1]);
  const b = await overBudgets([0.1, 0.2], 2, f.runAt, { untilSuccess: true });
  assert.equal(f.calls.length, 1);
  assert.deepEqual(b.success[1], [false, false]);
  const before = tf.memory().numTensors;
  await assert.rejects(
    overBudgets([0.1], 3, () => ({ xAdv: tf.zeros([2, 2]), success: [true, true], l2: [0, 0], linf: [0, 0] })),
    /returned 2 results for 3 examples/,
  );
  assert.equal(tf.memory().numTensors, before);
});
