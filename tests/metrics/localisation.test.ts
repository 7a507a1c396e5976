/** energyInMask, pointingGame, boxMask, sparseness (Gini), cosineSimilarity: known answers. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { energyInMask, pointingGame, boxMask, sparseness, cosineSimilarity } from '../../src/lib/metrics';

before(setup);
const close = (a: number, b: number, tol = 1e-6, msg = '') => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

test('energyInMask: 1 when the mask covers all energy; squared vs absolute; channels; shared mask', async () => {
  await noLeak(() => {
    const a = tf.tensor2d([[3, 4, 0, 0], [0, 0, 1, 1]]);
    const full = tf.tensor2d([[1, 1, 0, 0], [0, 1, 1, 1]]);
    assert.deepEqual(energyInMask(a, full).perExample, [1, 1]);
    const m = tf.tensor2d([[1, 0, 0, 0], [1, 0, 1, 0]]);
    const sq = energyInMask(a, m);
    close(sq.perExample![0], 9 / 25);
    close(sq.perExample![1], 0.5);
    close(energyInMask(a, m, { energy: 'absolute' }).perExample![0], 3 / 7);
    // Shared mask (one example's shape).
    close(energyInMask(a, [1, 0, 0, 1]).perExample![1], 0.5);
    // Attribution with 2 channels, one-channel mask: energy summed over channels.
    const ac = tf.tensor4d([1, 1, 2, 0, 0, 0, 0, 0], [1, 2, 2, 2]); // pixel energies 2, 4, 0, 0
    const mc = tf.tensor4d([0, 1, 0, 0], [1, 2, 2, 1]);
    close(energyInMask(ac, mc).value, 4 / 6);
    assert.equal(energyInMask.meta.higherIsBetter, true);
    // All-zero attribution: undefined.
    const z = energyInMask([[0, 0]], [[1, 0]]);
    assert.ok(Number.isNaN(z.perExample![0]));
    assert.equal(z.nUndefined, 1);
    tf.dispose([a, full, m, ac, mc]);
  });
  assert.throws(() => energyInMask([[1, 2, 3]], [[1, 0]]), /mask shape \[1,2\] does not fit attribution \[1,3\]/);
  assert.throws(() => energyInMask([[1, 2]], [[1, 0]], { energy: 'l1' as never }), /unknown energy/);
  assert.throws(() => energyInMask([[1, NaN]], [[1, 0]]), /NaN/);
});

test('pointingGame: hit inside, miss outside, tolerance by Euclidean distance, absolute', async () => {
  await noLeak(() => {
    const a = tf.buffer([2, 5, 5]);
    a.set(1, 0, 0, 0); // example 0: max at (0, 0)
    a.set(1, 1, 2, 3); // example 1: max at (2, 3)
    a.set(-5, 1, 4, 4); // and a larger negative value at (4, 4)
    const at = a.toTensor();
    const mask = boxMask([2, 5, 5], [{ top: 2, left: 2, bottom: 4, right: 4 }, { top: 2, left: 2, bottom: 4, right: 4 }]);
    assert.deepEqual(pointingGame(at, mask).perExample, [0, 1]);
    // (0,0) to the nearest mask cell (2,2): distance sqrt(8) = 2.83.
    assert.deepEqual(pointingGame(at, mask, { tolerance: 2 }).perExample, [0, 1]);
    assert.deepEqual(pointingGame(at, mask, { tolerance: 3 }).perExample, [1, 1]);
    // |a|: example 1's max moves to (4, 4), outside the box (distance to (3,3) is sqrt 2).
    assert.deepEqual(pointingGame(at, mask, { absolute: true }).perExample, [0, 0]);
    assert.deepEqual(pointingGame(at, mask, { absolute: true, tolerance: 1.5 }).perExample, [0, 1]);
    tf.dispose([at, mask]);
  });
  assert.throws(() => pointingGame([[1, 2]], [[1, 0]], { tolerance: -1 }), /tolerance must be/);
  assert.throws(() => pointingGame([[1, 2]], [[1, 0]], { radius: 1 } as never), /unknown option "radius"/);
});

test('boxMask: end-exclusive boxes, clipped, over channels', () => {
  const m = boxMask([2, 4, 4, 3], [{ top: 1, left: 1, bottom: 3, right: 4 }, { top: -2, left: 3, bottom: 9, right: 9 }]);
  const s = tf.tidy(() => m.sum([1, 2, 3]).arraySync()) as number[];
  assert.deepEqual(s, [2 * 3 * 3, 4 * 1 * 3]);
  m.dispose();
  assert.throws(() => boxMask([1, 4, 4], []), /length mismatch/);
  assert.throws(() => boxMask([4, 4], []), /shape must be/);
  assert.throws(() => boxMask([1, 4, 4], [{ top: 0, left: 0, bottom: NaN, right: 1 }]), /bottom = NaN/);
});

test('sparseness (Gini): one-hot (d-1)/d, constant 0, known value, sign-invariant', async () => {
  await noLeak(() => {
    const onehot = [0, 0, 0, 0, 0, 0, 0, 5, 0, 0];
    const r = sparseness([onehot, new Array(10).fill(2), [1, 2, 3, 4, 0, 0, 0, 0, 0, 0]]);
    close(r.perExample![0], 9 / 10);
    close(r.perExample![1], 0);
    // sorted v = [0 x6, 1, 2, 3, 4]: Σ(2k-11) v_k / (10 Σ v) = (3*1 + 5*2 + 7*3 + 9*4) / 100 = 0.7
    close(r.perExample![2], 0.7);
    close(sparseness([[-1, 2, -3, 4]]).value, sparseness([[1, 2, 3, 4]]).value);
    close(sparseness([[1, 2, 3, 4]]).value, 0.25); // (−3·1 − 1·2 + 1·3 + 3·4) / (4·10)
    const z = sparseness([[0, 0, 0]]);
    assert.equal(z.nUndefined, 1);
    const t = tf.tensor4d(onehot.concat(onehot), [2, 5, 2, 1]);
    close(sparseness(t).value, 0.9);
    t.dispose();
  });
  assert.throws(() => sparseness([1, 2, 3]), /batch/);
  assert.throws(() => sparseness([[1, 2]], { abs: true } as never), /unknown option "abs"/);
});

test('cosineSimilarity: itself 1, negation -1, orthogonal 0, zero map undefined', async () => {
  await noLeak(() => {
    const a = tf.tensor3d([[[1, 2], [3, 4]], [[0, 1], [0, 0]], [[1, 1], [1, 1]]]);
    const r = cosineSimilarity(a, a);
    r.perExample!.forEach((v) => close(v, 1));
    const neg = tf.neg(a);
    cosineSimilarity(a, neg).perExample!.forEach((v) => close(v, -1));
    const b = tf.tensor3d([[[2, -1], [0, 0]], [[1, 0], [0, 0]], [[0, 0], [0, 0]]]);
    const o = cosineSimilarity(a, b);
    close(o.perExample![0], 0);
    close(o.perExample![1], 0);
    assert.ok(Number.isNaN(o.perExample![2]));
    assert.equal(o.nUndefined, 1);
    close(cosineSimilarity([[1, 0]], [[1, 1]]).value, Math.SQRT1_2);
    tf.dispose([a, neg, b]);
  });
  assert.throws(() => cosineSimilarity([[1, 0]], [[1, 1, 1]]), /shape mismatch/);
});
