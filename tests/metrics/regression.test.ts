/** MAE, MAE increase under attack, average correlation (P1 Table 1), SNR. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { meanAbsoluteError, maeIncrease, averageCorrelation, snrDb } from '../../src/lib/metrics';

before(setup);
const close = (a: number, b: number, tol = 1e-6, msg = '') => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

test('meanAbsoluteError: value, per example, per target', async () => {
  await noLeak(() => {
    const r = meanAbsoluteError([[0.1, 0.5], [0.3, 0.9]], [[0, 0.5], [0.5, 0.5]]);
    close(r.value, 0.175);
    r.perExample.forEach((v, i) => close(v, [0.05, 0.3][i]));
    r.perTarget.forEach((v, i) => close(v, [0.15, 0.2][i]));
    assert.equal(meanAbsoluteError.meta.higherIsBetter, false);
    const p = tf.tensor1d([1, 2, 3]);
    close(meanAbsoluteError(p, [1, 1, 1]).value, 1);
    p.dispose();
  });
  assert.throws(() => meanAbsoluteError([[1, 2]], [[1, 2, 3]]), /shape mismatch/);
  assert.throws(() => meanAbsoluteError([1, NaN], [1, 2]), /NaN/);
  assert.throws(() => meanAbsoluteError([], []), /empty/);
});

test('maeIncrease: difference and ratio', async () => {
  const y = [[0, 0.5], [0.5, 0.5]];
  const clean = [[0.1, 0.5], [0.3, 0.9]]; // MAE 0.175, per example [0.05, 0.3]
  const adv = [[1.1, 0.5], [0.5, 2.5]]; // |d| = [[1.1, 0], [0, 2]] -> per example [0.55, 1], MAE 0.775
  const r = await noLeak(() => maeIncrease(clean, adv, y));
  close(r.value, 0.6);
  r.perExample.forEach((v, i) => close(v, [0.5, 0.7][i]));
  close(r.clean.value, 0.175);
  close(r.adversarial.value, 0.775);
  const q = maeIncrease(clean, adv, y, { mode: 'ratio' });
  close(q.value, 0.775 / 0.175, 1e-5);
  assert.match(q.meta.name, /ratio/);
  assert.throws(() => maeIncrease(clean, adv, y, { mode: 'percent' as never }), /unknown mode/);
  assert.throws(() => maeIncrease(clean, [[1, 2]], y), /shape mismatch/);
});

test('averageCorrelation: per target and averaged (P1 Table 1)', async () => {
  const t = [[0.1, 0.3], [0.4, 0.2], [0.9, 0.8], [0.5, 0.6]];
  const p = t.map(([a, b]) => [2 * a + 1, -b]); // r = 1 and r = -1
  const r = await noLeak(() => averageCorrelation(p, t, { targetNames: ['valence', 'energy'] }));
  close(r.perTarget[0], 1);
  close(r.perTarget[1], -1);
  close(r.value, 0);
  assert.deepEqual(r.targetNames, ['valence', 'energy']);
  // scipy.stats.pearsonr(u, v)[0] = 0.9400276686129821 (scipy 1.10.1); float32 tensors here.
  const u = [1.0, 2.5, 3.1, 4.8, 2.2, 6.0, 5.5];
  const v = [2.1, 2.9, 3.0, 5.5, 1.9, 7.2, 5.0];
  close(averageCorrelation(tf.tensor2d(u, [7, 1]), tf.tensor2d(v, [7, 1])).value, 0.9400276686129821, 1e-6);
  // A constant prediction column is undefined and left out of the average.
  const c = averageCorrelation(t.map(([a]) => [a, 0.5]), t);
  assert.ok(Number.isNaN(c.perTarget[1]));
  assert.equal(c.nUndefined, 1);
  close(c.value, 1);
  assert.throws(() => averageCorrelation([[1, 2]], [[1, 2]]), /at least 2 examples/);
  assert.throws(() => averageCorrelation(p, t, { targetNames: ['a'] }), /length mismatch/);
  assert.throws(() => averageCorrelation(p, t, { names: [] } as never), /unknown option "names"/);
});

test('snrDb: 20 log10(||x|| / ||x - xAdv||), Infinity where unperturbed', async () => {
  const x = tf.ones([2, 4]);
  const xAdv = tf.tensor2d([[1.01, 1.01, 1.01, 1.01], [1, 1, 1, 1]]);
  const r = await noLeak(() => snrDb(x, xAdv));
  close(r.perExample![0], 40, 1e-3);
  assert.equal(r.perExample![1], Infinity);
  assert.equal(r.nUndefined, 1);
  close(r.value, 40, 1e-3);
  assert.throws(() => snrDb(x, tf.ones([2, 3])), /shape mismatch/);
  tf.dispose([x, xAdv]);
});
