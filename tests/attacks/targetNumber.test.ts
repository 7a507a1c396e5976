/**
 * Issue 21 item 3: a numeric `target` ("number, one per example, or tensor") is one target class
 * for every example: pgd, fgsm, cwL2 and isAdversarial give exactly what the same class repeated
 * per example gives (was: "target has 1 labels for 4 examples").
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { pgd, fgsm, cwL2, isAdversarial } from '../../src/lib/attacks';

before(setup);

const D = 5;
let W: tf.Tensor2D;
let x: tf.Tensor2D;
before(() => {
  W = tf.keep(tf.tensor2d(Array.from({ length: D * 3 }, (_, i) => Math.sin(1.7 * i + 0.3)), [D, 3]));
  x = tf.keep(tf.tensor2d(Array.from({ length: 4 * D }, (_, i) => 0.5 + 0.4 * Math.sin(0.9 * i)), [4, D]));
});
after(() => tf.dispose([W, x]));
const f = (v: tf.Tensor) => tf.matMul(v.reshape([v.shape[0], D]), W);
const y = [0, 1, 0, 1];

test('pgd / fgsm / cwL2 / isAdversarial: target 2 equals target [2, 2, 2, 2]; a bad number is still rejected', async () => {
  await noLeak(async () => {
    const a = await pgd(f, x, y, { eps: 0.3, steps: 5, seed: 1, target: 2 });
    const b = await pgd(f, x, y, { eps: 0.3, steps: 5, seed: 1, target: [2, 2, 2, 2] });
    assert.deepEqual(a.xAdv.dataSync(), b.xAdv.dataSync());
    assert.deepEqual(a.success, b.success);
    tf.dispose([a.xAdv, b.xAdv]);
    const c = await fgsm(f, x, y, { eps: 0.3, target: 2 });
    const d = await fgsm(f, x, y, { eps: 0.3, target: [2, 2, 2, 2] });
    assert.deepEqual(c.xAdv.dataSync(), d.xAdv.dataSync());
    tf.dispose([c.xAdv, d.xAdv]);
    const e = await cwL2(f, x, y, { steps: 20, binarySearchSteps: 2, target: 2 });
    const g = await cwL2(f, x, y, { steps: 20, binarySearchSteps: 2, target: [2, 2, 2, 2] });
    assert.deepEqual(e.xAdv.dataSync(), g.xAdv.dataSync());
    tf.dispose([e.xAdv, g.xAdv]);
    assert.deepEqual(await isAdversarial(f, x, y, { target: 2 }), await isAdversarial(f, x, y, { target: [2, 2, 2, 2] }));
    await assert.rejects(pgd(f, x, y, { eps: 0.3, steps: 2, target: 3 }), /pgd: target\[0\] = 3 is not a class index in \[0, 2\]/);
    await assert.rejects(pgd(f, x, y, { eps: 0.3, steps: 2, target: NaN }), /pgd: target contains NaN/);
  });
});
