/** The one training-attack adapter (moved here from papers/moshe2024 pgdTrainAttack and papers/wang2022 pgdL2Attack). */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { Rng } from '../../src/lib/engine';
import { mlp } from '../../src/lib/models';
import { pgd, pgdTrainingAttack, rampedEps } from '../../src/lib/attacks';

before(setup);

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('rampedEps grows linearly over the warm-up steps, then stays at eps', () => {
  assert.equal(rampedEps(0.1, 1, 5, 0, 10), 0.1);
  close(rampedEps(0.1, 1, 5, 10, 10), 0.05);
  close(rampedEps(0.1, 2, 3, 20, 10), (0.1 * 13) / 20);
  assert.equal(rampedEps(0.1, 3, 1, 10, 10), 0.1);
});

test('Linf: stays in the (ramped) ball and [0, 1], raises the loss, leaves no tensors', async () => {
  const m = mlp({ inputShape: [6], outputs: 2, hidden: [], seed: 1 });
  const x = tf.tensor2d([[0.5, 0.4, 0.6, 0.5, 0.3, 0.7], [0.2, 0.8, 0.5, 0.5, 0.5, 0.1]]);
  const y = tf.tensor1d([0, 1], 'int32');
  const ce = (z: tf.Tensor) => tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 2), m.apply(z) as tf.Tensor).dataSync()[0]);
  await noLeak(() => {
    const xAdv = pgdTrainingAttack({ eps: 0.1, steps: 5 })(m, x, y, { seed: 3, epoch: 1, step: 1 }) as tf.Tensor;
    const linf = tf.tidy(() => tf.max(tf.abs(tf.sub(xAdv, x))).dataSync()[0]);
    assert.ok(linf <= 0.1 + 1e-6 && linf > 0.05, `linf ${linf}`);
    assert.ok(ce(xAdv) > ce(x), 'the attack raises the loss');
    const half = pgdTrainingAttack({ eps: 0.1, steps: 5, rampSteps: 4, stepsPerEpoch: 4 })(m, x, y, { seed: 3, epoch: 1, step: 2 }) as tf.Tensor;
    const linfHalf = tf.tidy(() => tf.max(tf.abs(tf.sub(half, x))).dataSync()[0]);
    assert.ok(linfHalf <= 0.05 + 1e-6, `ramped linf ${linfHalf}`);
    tf.dispose([xAdv, half]);
  });
  tf.dispose([x, y]);
  m.dispose();
});

test('L2: stays in the ball and [0, 1], raises the loss, seeded by the step seed, one-hot = ids, equals attacks.pgd', async () => {
  const model = mlp({ inputShape: [2, 2, 1], outputs: 3, hidden: [], seed: 4 });
  const x = tf.tensor(new Rng(3).uniforms(6 * 4, 0.2, 0.8), [6, 2, 2, 1]);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
  const yOne = tf.oneHot(y, 3);
  const attack = pgdTrainingAttack({ eps: 0.3, norm: 'l2', steps: 5 });
  const ce = (xx: tf.Tensor) => tf.tidy(() => tf.logSoftmax(model.predict(xx) as tf.Tensor).mul(tf.oneHot(y, 3)).sum(1).neg().dataSync());
  await noLeak(async () => {
    const a = attack(model, x, y, { seed: 7, epoch: 1, step: 1 }) as tf.Tensor;
    const b = attack(model, x, y, { seed: 7, epoch: 1, step: 1 }) as tf.Tensor;
    const c = attack(model, x, yOne, { seed: 7, epoch: 1, step: 1 }) as tf.Tensor;
    const d = attack(model, x, y, { seed: 8, epoch: 1, step: 2 }) as tf.Tensor;
    const r = await pgd(model, x, y, { eps: 0.3, norm: 'l2', steps: 5, seed: 7 });
    const norms = tf.tidy(() => a.sub(x).reshape([6, -1]).norm(2, 1).dataSync());
    for (const v of norms) assert.ok(v <= 0.3 + 1e-5 && v > 0.05, `||delta|| = ${v}`);
    const av = Array.from(a.dataSync());
    assert.ok(av.every((v) => v >= 0 && v <= 1));
    assert.deepEqual(av, Array.from(b.dataSync()), 'same seed, same adversary');
    assert.deepEqual(av, Array.from(c.dataSync()), 'one-hot and id labels agree');
    assert.deepEqual(av, Array.from(r.xAdv.dataSync()), 'the same steps as attacks.pgd');
    assert.notDeepEqual(av, Array.from(d.dataSync()), 'another step seed, another start');
    const l0 = ce(x), l1 = ce(a);
    for (let i = 0; i < 6; i++) assert.ok(l1[i] > l0[i], `loss rises for example ${i}`);
    tf.dispose([a, b, c, d, r.xAdv]);
  });
  tf.dispose([x, y, yOne]);
  model.dispose();
});

test('errors: eps, norm, steps, a ramp without stepsPerEpoch, unknown options; the caller name in messages', () => {
  assert.throws(() => pgdTrainingAttack({ eps: 0 }), /pgdTrainingAttack: eps must be a positive finite number/);
  assert.throws(() => pgdTrainingAttack({ eps: 0.1, norm: 'l1' as never }), /norm must be 'linf' or 'l2'/);
  assert.throws(() => pgdTrainingAttack({ eps: 0.1, steps: 0 }), /steps must be a positive integer/);
  assert.throws(() => pgdTrainingAttack({ eps: 0.1, rampSteps: 3 }), /needs stepsPerEpoch/);
  assert.throws(() => pgdTrainingAttack({ eps: 0.1, step: 3 } as never), /unknown option "step"/);
  assert.throws(() => pgdTrainingAttack({ eps: -1 }, 'trainLadder'), /^Error: trainLadder: eps/);
});
