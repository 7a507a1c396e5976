// engine.adam: tfjs' Adam with each variable's update as one kernel on wasm, bit for bit tfjs' own.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, onBackend } from '../helpers';
import { Rng, adam } from '../../src/lib/engine';

before(setup);

/** Train a tiny model for some steps with an optimizer; final weights (flat). */
function train(makeOpt: () => tf.Optimizer, steps = 6, lrAt?: (s: number) => number): number[][] {
  const r = new Rng(3);
  const w1 = tf.variable(tf.tensor(r.normals(12), [3, 4]));
  const b1 = tf.variable(tf.tensor(r.normals(4), [4]));
  const w2 = tf.variable(tf.tensor(r.normals(8), [4, 2]));
  const x = tf.tensor(r.normals(30), [10, 3]);
  const xs = tf.tensor(r.normals(30), [10, 3]);
  const y = tf.tensor(r.normals(20), [10, 2]);
  const opt = makeOpt();
  for (let s = 0; s < steps; s++) {
    if (lrAt) (opt as unknown as { learningRate: number }).learningRate = lrAt(s);
    tf.tidy(() => {
      opt.minimize(() => tf.losses.meanSquaredError(y, tf.relu(xs.matMul(w1).add(b1)).matMul(w2)) as tf.Scalar, false, [w1, b1, w2]);
    });
  }
  const out = [w1, b1, w2].map((v) => Array.from(v.dataSync()));
  opt.dispose();
  tf.dispose([w1, b1, w2, x, xs, y]);
  return out;
}

test('engine.adam equals tf.train.adam bit for bit (defaults, custom betas/epsilon, a learning-rate schedule), leaves no more tensors', async () => {
  const settings: [number, number, number, number | null][] = [[0.01, 0.9, 0.999, null], [0.05, 0.5, 0.9, 1e-3]];
  for (const [lr, b1, b2, eps] of settings) {
    train(() => adam(lr, b1, b2, eps)); // warm-up (kernel set-up)
    // tensors left after training and disposing: the same count as tfjs' own Adam leaves
    const count = (make: () => tf.Optimizer) => {
      const n0 = tf.memory().numTensors;
      const w = train(make);
      return { w, left: tf.memory().numTensors - n0 };
    };
    const o = count(() => adam(lr, b1, b2, eps));
    const t = count(() => tf.train.adam(lr, b1, b2, eps ?? undefined));
    assert.equal(o.left, t.left, 'tensors left behind: as many as tf.train.adam');
    const ours = o.w, theirs = t.w;
    assert.deepEqual(ours, theirs, `lr ${lr} betas ${b1} ${b2} eps ${eps}`);
    // and on cpu (tfjs' own update there)
    const cpu = await onBackend('cpu', () => train(() => adam(lr, b1, b2, eps)));
    const cpuStock = await onBackend('cpu', () => train(() => tf.train.adam(lr, b1, b2, eps ?? undefined)));
    assert.deepEqual(cpu, cpuStock);
  }
  const sched = (s: number) => 0.02 / (1 + s);
  assert.deepEqual(train(() => adam(0.02), 5, sched), train(() => tf.train.adam(0.02), 5, sched), 'learning-rate schedule');
});

test('engine.adam keeps tfjs optimizer state: iterations, getWeights (moments, accBeta), skips variables without a gradient', async () => {
  const opt = adam(0.1);
  const stock = tf.train.adam(0.1);
  const a = tf.variable(tf.tensor1d([1, 2, 3])), b = tf.variable(tf.tensor1d([1, 2, 3]));
  const c = tf.variable(tf.tensor1d([5])), d = tf.variable(tf.tensor1d([5]));
  for (let s = 0; s < 3; s++) {
    tf.tidy(() => { opt.minimize(() => a.square().sum() as tf.Scalar, false, [a]); });
    tf.tidy(() => { stock.minimize(() => b.square().sum() as tf.Scalar, false, [b]); });
  }
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
  assert.equal(opt.iterations, 3);
  const wo = await opt.getWeights(), ws = await stock.getWeights();
  assert.equal(wo.length, ws.length);
  for (let i = 0; i < wo.length; i++) assert.deepEqual(Array.from(wo[i].tensor.dataSync()), Array.from(ws[i].tensor.dataSync()), `weight ${i}`);
  assert.ok(opt instanceof tf.AdamOptimizer);
  tf.dispose([...wo.map((w) => w.tensor), ...ws.map((w) => w.tensor)]);
  opt.dispose(); stock.dispose();
  tf.dispose([a, b, c, d]);
});
