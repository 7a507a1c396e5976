/**
 * Issue 21 item 4 (remainder), metrics: deletion / insertion curves (examples x curve points), the
 * flip-rate family (one pass of all examples per curve point) and accuracy chunk their model calls
 * under ROBUSTLENS_MEMORY_MB with the same numbers as unbudgeted, or refuse before the batched call.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { spyModel, withBudget, assertErrorPaths } from './memorySpy';
import { passBytesPerRow } from '../../src/lib/engine';
import { deletionCurve, insertionCurve, segmentFlipRate, accuracy } from '../../src/lib/metrics';

before(setup);

const D = 6;
const C = 3;

const x0 = () => tf.tensor2d(Array.from({ length: 5 * D }, (_, i) => Math.cos(0.7 * i) * 0.8), [5, D]);

type Run = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, a: tf.Tensor) => Promise<unknown>;
// name, extra bytes per row the metric builds itself, call
const metrics: [string, number, Run][] = [
  ['deletionCurve', 5 * 4 * D, async (f, x, a) => deletionCurve(f, x, a, { target: [0, 1, 2, 0, 1], steps: 6, batchSize: 64 })],
  ['insertionCurve', 5 * 4 * D, async (f, x, a) => insertionCurve(f, x, a, { steps: 6, baseline: 0.1, batchSize: 64 })],
  ['segmentFlipRate', 0, async (f, x, a) => segmentFlipRate(f, x, a, [0, 0, 1, 1, 2, 2], [[0], [1], [2], [0, 1], [1, 2]], { batchSize: 64 })],
  ['accuracy', 0, async (f, x) => accuracy(f, x, [0, 1, 2, 0, 1], { batchSize: 64 })],
];

for (const [name, extra, run] of metrics) {
  test(`${name}: with a budget of 2 rows every model call has <= 2 rows (was: up to batchSize), same result, no leak; error path leak-free; below one row refused`, async () => {
    const x = x0();
    const a = tf.tidy(() => x.mul(tf.tensor1d([1, -2, 3, 0.5, -1, 2])));
    const free = spyModel(D, C);
    const tight = spyModel(D, C);
    try {
      const ref = JSON.stringify(await run(free.f, x, a));
      assert.ok(Math.max(...free.calls) > 2, `unbudgeted calls ${free.calls}`);
      const per = passBytesPerRow(name, tight.f, x, 'forward') + extra;
      const got = await withBudget((2.5 * per) / 2 ** 20, () =>
        noLeak(async () => {
          tight.calls.length = 0;
          return JSON.stringify(await run(tight.f, x, a));
        }),
      );
      assert.ok(Math.max(...tight.calls) <= 2, `${name}: rows per call ${tight.calls}`);
      assert.equal(got, ref, 'chunked result equals the unchunked one');
      await assertErrorPaths(tight, { name, pass: 'forward', per, chunkMb: (2.5 * per) / 2 ** 20, failAt: 3, call: () => run(tight.f, x, a) });
    } finally {
      tf.dispose([x, a, free.W, tight.W]);
    }
  });
}
