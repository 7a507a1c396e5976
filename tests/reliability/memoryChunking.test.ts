/**
 * Issue 21 item 4 (remainder): every explain method that builds a batch whose size the user
 * controls (batchSize, IG/BIG steps x examples, smoothGrad copies x examples, occlusion windows x
 * examples, AGI paths x classes) keeps each model call within the memory budget
 * (ROBUSTLENS_MEMORY_MB), with results equal to the unchunked call, or refuses before the batched
 * call with a message naming the method, the estimate and the budget. A spy model records the rows
 * of every call; no test provokes a real out-of-memory (that would abort the wasm backend).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, maxRelErr } from '../helpers';
import { spyModel, withBudget, assertErrorPaths } from './memorySpy';
import { passBytesPerRow, rowsPerPass } from '../../src/lib/engine';
import { saliency, gradientXInput, integratedGradients, big, bsm, occlusion, smoothGrad, agi, gradCam, lime, kernelShap } from '../../src/lib/explain';

before(setup);

const D = 6;
const C = 3;

const x0 = () => tf.tensor2d(Array.from({ length: 4 * D }, (_, i) => Math.cos(0.7 * i) * 0.8), [4, D]);

type Run = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, extra: tf.Tensor) => Promise<{ map: tf.Tensor; gap?: number[] }>;
const methods: [string, 'forward' | 'backward', Run][] = [
  ['saliency', 'backward', (f, x) => saliency(f, x, { target: [0, 1, 2, 0], batchSize: 64 })],
  ['gradientXInput', 'backward', (f, x) => gradientXInput(f, x, { target: 1, batchSize: 64 })],
  ['bsm', 'backward', (f, x, b) => bsm(f, x, { target: 1, boundary: b, batchSize: 64 })],
  ['integratedGradients', 'backward', (f, x) => integratedGradients(f, x, { target: [0, 1, 2, 0], steps: 8, rule: 'trapezoid', batchSize: 64 })],
  ['big', 'backward', (f, x, b) => big(f, x, { target: 2, boundary: b, steps: 8, batchSize: 64 })],
  ['occlusion', 'forward', (f, x) => occlusion(f, x, { target: [0, 1, 2, 0], patch: 1, batchSize: 128 })],
  ['smoothGrad', 'backward', (f, x) => smoothGrad(saliency, { n: 8, seed: 3, batchSize: 64 })(f, x, { target: 0 })],
  ['agi', 'backward', (f, x) => agi(f, x, { target: 0, eps: 0.05, steps: 3, seed: 1, batchSize: 64 })],
  // plain-function models were not estimated before (lime and kernelShap budgeted LayersModels only)
  ['lime', 'forward', (f, x) => lime(f, x, { target: 1, segments: new Int32Array([0, 0, 1, 1, 2, 2]), nSamples: 24, seed: 2, batchSize: 64, workers: 0 })],
  ['kernelShap', 'forward', (f, x) => kernelShap(f, x, { target: 2, segments: new Int32Array([0, 1, 1, 2, 3, 3]), nSamples: 20, seed: 2, batchSize: 64, workers: 0 })],
];

for (const [name, pass, run] of methods) {
  test(`${name}: with a budget of 3 rows every model call has <= 3 rows (was: one call of the whole batch), same map (1e-6) as unbudgeted, no leak`, async () => {
    const x = x0();
    const b = tf.tidy(() => x.mul(0.3).add(0.1));
    const free = spyModel(D, C);
    const tight = spyModel(D, C);
    try {
      const ref = await run(free.f, x, b);
      assert.ok(Math.max(...free.calls) > 3, `the unbudgeted call batches more than 3 rows (${free.calls})`);
      const per = passBytesPerRow(name, tight.f, x, pass);
      const mb = (3.5 * per) / 2 ** 20;
      const budgeted = () =>
        withBudget(mb, () =>
          noLeak(async () => {
            assert.equal(rowsPerPass(name, tight.f, x, 64, pass), 3);
            tight.calls.length = 0;
            const r = await run(tight.f, x, b);
            const map = Array.from(r.map.dataSync());
            r.map.dispose();
            return { map, gap: r.gap };
          }),
        );
      const got = await budgeted();
      assert.ok(Math.max(...tight.calls) <= 3, `${name}: rows per call ${tight.calls}`);
      const e = maxRelErr(got.map, ref.map.dataSync(), 1e-3);
      assert.ok(e <= 1e-6, `${name}: chunked vs unchunked max rel err ${e}`);
      assert.deepEqual((await budgeted()).map, got.map, 'same budget, same numbers');
      if (ref.gap) for (let i = 0; i < ref.gap.length; i++) assert.ok(Math.abs(ref.gap[i] - got.gap![i]) <= 1e-5, `gap ${ref.gap} vs ${got.gap}`);
      ref.map.dispose();
    } finally {
      tf.dispose([x, b, free.W, tight.W]);
    }
  });

  test(`${name}: a model error in a later chunk leaks nothing; a budget below one row is refused naming ${name}, the estimate and the budget`, async () => {
    const x = x0();
    const b = tf.tidy(() => x.mul(0.3).add(0.1));
    const m = spyModel(D, C);
    try {
      const per = passBytesPerRow(name, m.f, x, pass);
      // a few chunks in (probe and checks come first)
      await assertErrorPaths(m, { name, pass, per, chunkMb: (1.5 * per) / 2 ** 20, failAt: 4, call: () => run(m.f, x, b), refusal: '; .*raise ROBUSTLENS_MEMORY_MB' });
    } finally {
      tf.dispose([x, b, m.W]);
    }
  });
}

test('gradCam (a LayersModel): rows per pass lowered under the budget, same map; a row over the budget refused before the batched call', async () => {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', inputShape: [8, 8, 1], name: 'c', kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.randomNormal({ seed: 2 }) }));
  const x = tf.randomUniform([5, 8, 8, 1], 0, 1, 'float32', 4);
  try {
    const ref = await gradCam(m, x, { target: 1, layer: 'c' });
    const per = passBytesPerRow('gradCam', m, x, 'backward');
    const got = await withBudget((2.5 * per) / 2 ** 20, () => noLeak(async () => {
      assert.equal(rowsPerPass('gradCam', m, x, 64, 'backward'), 2);
      const r = await gradCam(m, x, { target: 1, layer: 'c' });
      const map = Array.from(r.map.dataSync());
      r.map.dispose();
      return map;
    }));
    assert.ok(maxRelErr(got, ref.map.dataSync(), 1e-3) <= 1e-6);
    const fwd = passBytesPerRow('gradCam', m, x, 'forward');
    await withBudget((0.5 * fwd) / 2 ** 20, () =>
      noLeak(() => assert.rejects(gradCam(m, x, { target: 1, layer: 'c' }), /^Error: gradCam: one example needs about [0-9.]+ MiB in a forward pass, more than the memory budget/)),
    );
    ref.map.dispose();
  } finally {
    x.dispose();
    m.dispose();
  }
});
