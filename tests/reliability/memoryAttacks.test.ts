/**
 * Issue 21 item 4 (remainder), attacks: without batchSize an attack ran the whole batch in one
 * pass; now every attack (pgd, fgsm, cwL2, flipAttack, regressionAttack, boundarySearch) and the
 * criteria (isAdversarial, refineBoundary) chunk under ROBUSTLENS_MEMORY_MB with the same results,
 * or refuse before the batched call. A spy model records the rows of every call.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { spyModel, withBudget, assertErrorPaths } from './memorySpy';
import { passBytesPerRow } from '../../src/lib/engine';
import { pgd, fgsm, cwL2, flipAttack, regressionAttack, boundarySearch, isAdversarial } from '../../src/lib/attacks';
import { refineBoundary } from '../../src/lib/attacks/refineBoundary';

before(setup);

const D = 6;
const N = 5;

/** A result with its tensors read out and disposed, as JSON. */
function plain(r: unknown): string {
  const out: Record<string, unknown> = {};
  if (Array.isArray(r)) return JSON.stringify(r);
  for (const [k, v] of Object.entries(r as object)) {
    if (v instanceof tf.Tensor) {
      out[k] = Array.from(v.dataSync());
      v.dispose();
    } else out[k] = v;
  }
  return JSON.stringify(out);
}

const x0 = () => tf.tensor2d(Array.from({ length: N * D }, (_, i) => 0.5 + 0.4 * Math.cos(0.7 * i)), [N, D]);
const labels = [0, 1, 2, 0, 1];

type Run = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, extra: tf.Tensor) => Promise<unknown>;
// name, outputs, pass, call (no batchSize: the old default ran the whole batch in one pass)
const attacks: [string, number, 'forward' | 'backward', Run][] = [
  ['pgd', 3, 'backward', (f, x) => pgd(f, x, labels, { eps: 0.3, steps: 3, seed: 2 })],
  ['fgsm', 3, 'backward', (f, x) => fgsm(f, x, labels, { eps: 0.2 })],
  ['cwL2', 3, 'backward', (f, x) => cwL2(f, x, labels, { steps: 4, binarySearchSteps: 2, lr: 0.05, initialConst: 1 })],
  ['flipAttack', 1, 'backward', (f, x) => flipAttack(f, x, undefined as never, { steps: 4, lr: 0.01, clip: 0.2, checkEvery: 1 })],
  ['regressionAttack', 3, 'backward', (f, x, y) => regressionAttack(f, x, y, { steps: 4, lr: 0.01 })],
  ['boundarySearch', 3, 'backward', (f, x) => boundarySearch(f, x, labels, { epsilons: [0.5, 1.5], steps: 3, seed: 1, refine: 3 })],
  ['isAdversarial', 3, 'forward', (f, x) => isAdversarial(f, x, labels)],
  ['refineBoundary', 3, 'forward', async (f, x, y) => refineBoundary(f, x, y, labels, { steps: 3 })],
];

for (const [name, C, pass, run] of attacks) {
  test(`${name}: with a budget of 2 rows every model call has <= 2 rows (was: the whole batch of ${N}), same result, no leak; error path leak-free; below one row refused`, async () => {
    const x = x0();
    const extra = tf.tensor2d(Array.from({ length: N * C }, (_, i) => 0.3 * Math.sin(i)), [N, C]);
    const xAdv = tf.tidy(() => tf.clipByValue(x.add(tf.tensor1d([0.4, -0.4, 0.4, -0.4, 0.4, -0.4])), 0, 1));
    const y = name === 'refineBoundary' ? xAdv : extra;
    const free = spyModel(D, C, 3);
    const tight = spyModel(D, C, 3);
    try {
      const ref = plain(await run(free.f, x, y));
      assert.ok(Math.max(...free.calls) > 2, `unbudgeted calls ${free.calls}`);
      const per = passBytesPerRow(name, tight.f, x, pass);
      const mb = (2.5 * per) / 2 ** 20;
      const got = await withBudget(mb, () =>
        noLeak(async () => {
          tight.calls.length = 0;
          return plain(await run(tight.f, x, y));
        }),
      );
      assert.ok(Math.max(...tight.calls) <= 2, `${name}: rows per call ${tight.calls}`);
      assert.equal(got, ref, 'chunked result equals the unchunked one');
      await assertErrorPaths(tight, { name, pass, per, chunkMb: mb, failAt: 4, call: () => run(tight.f, x, y) });
    } finally {
      tf.dispose([x, extra, xAdv, free.W, tight.W]);
    }
  });
}

test('rowsPerPass keeps the batchSize check: 0 or 1.5 is an error naming the method', async () => {
  const { rowsPerPass } = await import('../../src/lib/engine');
  const x = x0();
  const m = spyModel(D, 3, 3);
  try {
    assert.throws(() => rowsPerPass('pgd', m.f, x, 0, 'backward'), /pgd: batchSize must be a positive integer, got 0/);
    assert.throws(() => rowsPerPass('pgd', m.f, x, 1.5, 'backward'), /pgd: batchSize must be a positive integer, got 1.5/);
  } finally {
    tf.dispose([x, m.W]);
  }
});
