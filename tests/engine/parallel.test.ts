import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, runChild } from '../helpers';
import { Rng, modelPool, workerCount, modelArtifacts, ModelPool, backendName } from '../../src/lib/engine';
import { smallCnn, singingVoiceCnn } from '../../src/lib/models';

before(setup);

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** model(x) on the main thread (inference mode, as asFn) and the pool's answer for the same batch. */
async function compare(model: tf.LayersModel, pool: ModelPool, shape: number[], seed: number): Promise<number> {
  const values = new Rng(seed).normals(shape.reduce((a, b) => a * b, 1));
  const ref = tf.tidy(() => (model.apply(tf.tensor(values, shape), { training: false }) as tf.Tensor).dataSync());
  const r = await pool.predict(Float32Array.from(values), shape);
  assert.deepEqual(r.shape, [shape[0], ...model.outputs[0].shape.slice(1)]);
  return maxAbs(r.data, ref);
}

test('workerCount: numbers, auto from the cores, ROBUSTLENS_WORKERS counts threads (main included), bad values throw', () => {
  assert.equal(workerCount(0, {}), 0);
  assert.equal(workerCount(3, {}), 3);
  assert.equal(workerCount('auto', {}), Math.max(0, availableParallelism() - 1));
  assert.equal(workerCount('auto', { ROBUSTLENS_WORKERS: '0' }), 0);
  assert.equal(workerCount('auto', { ROBUSTLENS_WORKERS: '1' }), 0);
  assert.equal(workerCount('auto', { ROBUSTLENS_WORKERS: '3' }), 2);
  assert.equal(workerCount('auto', { ROBUSTLENS_WORKERS: ' auto ' }), Math.max(0, availableParallelism() - 1));
  assert.equal(workerCount(2, { ROBUSTLENS_WORKERS: '1' }), 2, 'an explicit count wins over the environment');
  assert.throws(() => workerCount('auto', { ROBUSTLENS_WORKERS: 'abc' }), /ROBUSTLENS_WORKERS="abc" is not a number of threads/);
  assert.throws(() => workerCount('auto', { ROBUSTLENS_WORKERS: '-2' }), /ROBUSTLENS_WORKERS="-2"/);
  assert.throws(() => workerCount(-1), /workers must be an integer >= 0 or 'auto'; got -1/);
  assert.throws(() => workerCount(1.5), /got 1.5/);
  assert.throws(() => workerCount('all' as never), /got all/);
});

test('pool.predict equals the model on the main thread: small CNN (two workers) and singingVoiceCnn (custom layers)', async () => {
  const cnn = smallCnn({ inputShape: [12, 10, 2], classes: 5, width: 0.5, hidden: 8, seed: 3 });
  const svc = singingVoiceCnn({ width: 0.125, seed: 4 });
  await noLeak(async () => {
    const pool = await modelPool(cnn, { workers: 2 });
    try {
      assert.equal(pool.size, 2);
      // concurrent batches spread over both workers, answers in the right order
      const errs = await Promise.all([1, 2, 3, 4].map((s) => compare(cnn, pool, [s + 2, 12, 10, 2], s)));
      for (const e of errs) assert.ok(e <= 1e-6, `small CNN max |diff| ${e}`);
    } finally {
      await pool.close();
    }
    const pool2 = await modelPool(svc, { workers: 1 });
    try {
      for (const s of [5, 6]) {
        const e = await compare(svc, pool2, [3, 115, 80, 1], s); // the model stays loaded between calls
        assert.ok(e <= 1e-6, `singingVoiceCnn max |diff| ${e}`);
      }
      // a view on part of a buffer is copied, not transferred
      const big = new Rng(7).normals(2 * 9200 + 5);
      const view = big.subarray(5);
      const r = await pool2.predict(view, [2, 115, 80, 1]);
      assert.equal(view.length, 2 * 9200, 'the caller keeps its buffer');
      assert.equal(r.data.length, 2);
    } finally {
      await pool2.close();
    }
  });
  await assert.rejects(
    (async () => {
      const p = await modelPool(cnn, { workers: 1 });
      await p.close();
      await p.predict(new Float32Array(240), [1, 12, 10, 2]);
    })(),
    /the pool is closed/,
  );
  cnn.dispose();
  svc.dispose();
});

test('modelPool errors: bad options, plain functions, shapes, a model the worker cannot load, a batch it cannot evaluate, a dying worker', { timeout: 15 * 60_000 }, async (t) => {
  const cnn = smallCnn({ inputShape: [8, 8, 1], classes: 3, width: 0.25, hidden: 0, seed: 1 });
  // Failed pools unref their workers, so while a worker is being stopped nothing else may keep the
  // event loop alive; once (of many runs, under load) node's test runner then found the loop empty
  // with this test's promise pending. A ref'd timer keeps the loop up for the whole test: a real hang
  // still fails, by the test's own timeout, with its line.
  const keepAlive = setInterval(() => undefined, 1000);
  t.after(() => clearInterval(keepAlive));
  await assert.rejects(modelPool(cnn, { threads: 2 } as never), /modelPool: unknown option "threads"/);
  await assert.rejects(modelPool(((x: tf.Tensor) => x) as never), /model must be a tf.LayersModel \(a plain function cannot be sent to a worker\)/);
  await assert.rejects(modelPool(cnn, { workers: -1 }), /workers must be an integer >= 0/);

  // artifacts naming a layer class the worker does not know: load fails, predict rejects (no hang)
  const art = await modelArtifacts(cnn);
  const topo = JSON.parse(JSON.stringify(art.modelTopology).replace(/"class_name":"Conv2D"/g, '"class_name":"NoSuchLayer"'));
  const bad = new ModelPool({ ...art, modelTopology: topo }, 1, backendName());
  await assert.rejects(bad.ready, /modelPool: worker 0 could not load the model: .*NoSuchLayer/);
  await assert.rejects(bad.predict(new Float32Array(64), [1, 8, 8, 1]), /could not load the model/);
  await bad.close();

  const pool = await modelPool(cnn, { workers: 1 });
  try {
    await assert.rejects(pool.predict(new Float32Array(10), [1, 8, 8, 1]), /shape \[1,8,8,1\] does not match x \(10 values\)/);
    await assert.rejects(pool.predict(new Float32Array(50), [1, 5, 10, 1]), /worker 0 failed to evaluate a batch: /);
    // a batch in flight when its worker dies rejects with the worker's exit, and the pool is broken
    // (on a busy machine the batch may finish before the worker stops: then only the later call
    // must fail)
    const pending = pool.predict(new Float32Array(64 * 400), [400, 8, 8, 1]);
    const stopped = (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0].worker.terminate();
    const outcome = await pending.then(
      () => null,
      (e: Error) => e,
    );
    if (outcome) assert.match(outcome.message, /modelPool: worker 0 exited unexpectedly/);
    await stopped;
    await new Promise((r) => setTimeout(r, 50)); // let the 'exit' event arrive
    await assert.rejects(pool.predict(new Float32Array(64), [1, 8, 8, 1]), /exited unexpectedly/);
  } finally {
    await pool.close();
  }
  cnn.dispose();
});

test('an unclosed pool does not keep the process alive (workers are unref-ed when idle)', async () => {
  const engine = join(__dirname, '../../src/lib/engine');
  const code = `
    const tf = require('@tensorflow/tfjs');
    const { ready, modelPool } = require(${JSON.stringify(engine)});
    (async () => {
      await ready();
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
      const pool = await modelPool(m, { workers: 1 });
      const r = await pool.predict(new Float32Array(6), [2, 3]);
      console.log('predicted', r.shape.join('x'));
    })();`;
  const p = await runChild(['-e', code]);
  assert.equal(p.hung, false, `the process did not exit by itself: ${p.stderr}`);
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /predicted 2x2/);
});

test('registerWorkerSetup: the custom-layer hook takes an absolute module path only', async () => {
  const { registerWorkerSetup } = await import('../../src/lib/engine');
  assert.throws(() => registerWorkerSetup('models/SeededDropout'), /absolute path of the registering module/);
  assert.throws(() => registerWorkerSetup(undefined as never), /absolute path/);
});
