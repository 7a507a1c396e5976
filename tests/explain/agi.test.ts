import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, assertClose } from '../helpers';
import { agi } from '../../src/lib/explain';
import { linear, mlp, tensorFrom, maxAbsDiff } from './tinyModels';

before(setup);

const D = 6;
const C = 4;

test('AGI on linear logits (softmax off, no class reached): map = -w_t * eps * steps * mean_j sign(w_j), gap 0', async () => {
  const { f, w } = linear(D, C, 7);
  // x = 2 w_0: class 0 wins by a wide margin, so 3 steps of 0.01 never reach another class
  const x = tf.tensor2d([w[0].map((v) => 2 * v), w[0].map((v) => 3 * v)]);
  const eps = 0.01;
  const steps = 3;
  const r = await agi(f, x, { target: 0, classes: [1, 2], eps, steps, softmax: false });
  assert.deepEqual(r.reached, [0, 0]);
  assert.deepEqual(r.classes, [[1, 2], [1, 2]]);
  const expected: number[] = [];
  for (let i = 0; i < 2; i++) {
    for (let d = 0; d < D; d++) expected.push((-w[0][d] * eps * steps * (Math.sign(w[1][d]) + Math.sign(w[2][d]))) / 2);
  }
  assertClose(r.map.dataSync(), expected, 1e-4);
  for (const g of r.gap) assert.ok(Math.abs(g) < 1e-4, `gap ${g}`);
  tf.dispose([x, r.map]);
});

test('AGI paths stop once they reach their false class (more steps change nothing)', async () => {
  const { f } = linear(D, C, 8);
  const x = tensorFrom(1, [2, D]);
  const a = await agi(f, x, { target: 0, classes: [1, 2, 3], eps: 0.5, steps: 40 });
  const b = await agi(f, x, { target: 0, classes: [1, 2, 3], eps: 0.5, steps: 80 });
  assert.deepEqual(a.reached, [1, 1]);
  assert.deepEqual(Array.from(a.map.dataSync()), Array.from(b.map.dataSync()));
  tf.dispose([x, a.map, b.map]);
});

test('AGI on a softmax MLP: the gap (left Riemann sum) shrinks with the step size; L2 steps also work', async () => {
  const f = mlp(D, 8, C, 3);
  const x = tensorFrom(2, [2, D]);
  const coarse = await agi(f, x, { target: [1, 2], eps: 0.25, steps: 4, nClasses: 3 });
  const fine = await agi(f, x, { target: [1, 2], eps: 0.02, steps: 50, nClasses: 3 });
  const worst = (g: number[]) => Math.max(...g.map(Math.abs));
  assert.ok(worst(fine.gap) < worst(coarse.gap), `fine ${fine.gap} vs coarse ${coarse.gap}`);
  const l2 = await agi(f, x, { target: 1, eps: 0.05, steps: 10, step: 'l2', clip: [-3, 3], batchSize: 2 });
  assert.deepEqual(l2.map.shape, [2, D]);
  assert.ok(maxAbsDiff(l2.map.dataSync(), new Float32Array(2 * D)) > 0);
  tf.dispose([x, coarse.map, fine.map, l2.map]);
});

test('AGI is seeded: random false classes exclude the target and repeat with the seed', async () => {
  const f = mlp(D, 8, 5, 4);
  const x = tensorFrom(3, [3, D]);
  const run = (seed: number) => agi(f, x, { target: [0, 1, 4], nClasses: 2, eps: 0.05, steps: 5, seed });
  const a = await run(1);
  const b = await run(1);
  assert.deepEqual(a.classes, b.classes);
  a.classes.forEach((cs, i) => {
    assert.equal(cs.length, 2);
    assert.ok(!cs.includes([0, 1, 4][i]));
  });
  assert.deepEqual(Array.from(a.map.dataSync()), Array.from(b.map.dataSync()));
  let differs = false;
  for (let s = 2; s < 8 && !differs; s++) {
    const c = await run(s);
    differs = JSON.stringify(c.classes) !== JSON.stringify(a.classes);
    c.map.dispose();
  }
  assert.ok(differs, 'some other seed picks other classes');
  tf.dispose([x, a.map, b.map]);
});

test('AGI: no leaks, clear errors', async () => {
  const f = mlp(D, 8, C, 5);
  const single = (t: tf.Tensor) => t.sum(1);
  const x = tensorFrom(4, [2, D]);
  const nan = tf.fill([2, D], NaN);
  await noLeak(async () => {
    const r = await agi(f, x, { target: 0, nClasses: 2, steps: 3, batchSize: 3 });
    r.map.dispose();
    await assert.rejects(agi(single, x, { target: 0 }), /needs a classifier with at least 2 outputs/);
    await assert.rejects(agi(f, x, { target: 0, classes: [7] }), /class 7 is out of range 0..3/);
    await assert.rejects(agi(f, x, { target: 0, classes: [0] }), /no false class left/);
    await assert.rejects(agi(f, x, { target: 0, step: 'linf' as never }), /unknown step "linf"/);
    await assert.rejects(agi(f, x, { target: 0, clip: [1, 0] }), /clip must be \[lo, hi\]/);
    await assert.rejects(agi(f, x, { target: 0, epsilon: 1 } as never), /agi: unknown option "epsilon"/);
    await assert.rejects(agi(f, x, { target: 4 }), /target 4 is out of range/);
    await assert.rejects(agi(f, nan, { target: 0 }), /agi: x contains NaN/);
  });
  tf.dispose([x, nan]);
});
