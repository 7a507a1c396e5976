/**
 * Issue 21 item 4 (remainder), train: evaluate and predictBatched run their forward passes in
 * batchSize rows lowered under ROBUSTLENS_MEMORY_MB (same predictions), refuse a row over the budget
 * before the batched call, and reject batchSize 0 (the old loop never ended: i += 0).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { withBudget } from './memorySpy';
import { bytesPerRow } from '../../src/lib/engine';
import { evaluate, predictBatched } from '../../src/lib/train';

before(setup);

function model(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 16, activation: 'relu', inputShape: [6], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  m.add(tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  return m;
}

test('predictBatched / evaluate: chunks of at most the rows the budget allows (spied on model.apply), same predictions and metrics; refusal and batchSize 0 are errors', async () => {
  const m = model();
  const x = tf.randomUniform([10, 6], -1, 1, 'float32', 5);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
  const rowsSeen: number[] = [];
  const apply = m.apply.bind(m);
  m.apply = ((t: tf.Tensor, kw?: object) => {
    rowsSeen.push(t.shape[0]);
    return apply(t, kw);
  }) as typeof m.apply;
  try {
    const ref = predictBatched(m, x);
    const refEval = evaluate(m, { x, y }, { loss: 'softmaxCE' });
    assert.deepEqual(rowsSeen, [10, 10], 'unbudgeted: one pass each');
    const per = bytesPerRow(m, [6]) as number;
    rowsSeen.length = 0;
    const got = await withBudget((3.5 * per) / 2 ** 20, () =>
      noLeak(() => {
        const p = predictBatched(m, x);
        const v = Array.from(p.dataSync());
        p.dispose();
        return { v, e: evaluate(m, { x, y }, { loss: 'softmaxCE' }) };
      }),
    );
    assert.deepEqual(rowsSeen, [3, 3, 3, 1, 3, 3, 3, 1], `rows per pass ${rowsSeen}`);
    assert.deepEqual(got.v, Array.from(ref.dataSync()));
    assert.deepEqual(got.e, refEval);
    ref.dispose();
    await withBudget((0.5 * per) / 2 ** 20, () =>
      noLeak(() => assert.throws(() => evaluate(m, { x, y }, { loss: 'softmaxCE' }), /^Error: evaluate: one example needs about [0-9.]+ MiB in a forward pass, more than the memory budget of [0-9.]+ MiB \(ROBUSTLENS_MEMORY_MB\)/)),
    );
    assert.throws(() => predictBatched(m, x, 0), /predictBatched: batchSize must be a positive integer, got 0/);
  } finally {
    tf.dispose([x, y]);
    m.dispose();
  }
});
