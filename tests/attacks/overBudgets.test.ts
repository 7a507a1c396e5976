/** attacks.overBudgets: the one loop over budgets under sweep and boundarySearch. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { overBudgets, successByBudget } from '../../src/lib/attacks';

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

test('successByBudget: success iff the distance (or first successful eps) is within the budget; budgets keep their order', () => {
  // d: example 0 crosses at 0.1, 1 never (NaN), 2 at 0.3, 3 is already adversarial (d 0)
  const r = successByBudget([0.1, NaN, 0.3, 0], [0.5, 0.05, 0.3], [false, false, false, true]);
  assert.deepEqual(r.success, [[true, false, true, true], [false, false, false, true], [true, false, true, true]]);
  assert.deepEqual(r.successRate, [0.75, 0.25, 0.75]);
  // robust: not already adversarial and not successful within the budget
  assert.deepEqual(r.robustAccuracy, [0.25, 0.75, 0.25]);
  assert.deepEqual(successByBudget([], [0.1], []).robustAccuracy, [NaN]);
  assert.throws(() => successByBudget([0.1, 0.2], [0.1], [false]), /2 distances but 1 clean flags/);
});

test("successByBudget on overBudgets' firstEps is the cumulative success of the runs (what sweep reports)", async () => {
  const { runAt } = fake(need);
  const b = await overBudgets([0.3, 0.1, 0.2], 4, runAt);
  const r = successByBudget(b.firstEps, b.epsilons, [false, false, false, false]);
  const cum = b.success.map((_, k) => b.success.slice(0, k + 1).reduce((a, row) => a.map((v, i) => v || row[i])));
  assert.deepEqual(r.success, cum);
  assert.deepEqual(r.robustAccuracy, [0.75, 0.5, 0.25]);
});
