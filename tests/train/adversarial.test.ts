import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { asFn } from '../../src/lib/engine';
import { mlp } from '../../src/lib/models';
import { fit, fitAdversarial, fitTrades, fitActivationSensitivity, evaluate, softmaxCE, activationSensitivityLoss, type AttackFn } from '../../src/lib/train';
import { robustVsBrittle } from './toy';

before(setup);

const EPS = 0.25;
/** FGSM (Goodfellow et al. 2015): x + eps * sign(grad_x CE(f(x), y)). */
const fgsm = (eps: number): AttackFn => (model, x, y) =>
  tf.tidy(() => tf.add(x, tf.mul(eps, tf.sign(tf.grad((z: tf.Tensor) => softmaxCE(y, asFn(model)(z)))(x)))));

function robustAccuracy(m: tf.LayersModel, d: { x: tf.Tensor; y: tf.Tensor }, eps = EPS): number {
  const xAdv = fgsm(eps)(m, d.x, d.y, { seed: 0, epoch: 0, step: 0 }) as tf.Tensor;
  const acc = evaluate(m, { x: xAdv, y: d.y }, { loss: 'softmaxCE' }).accuracy;
  xAdv.dispose();
  return acc;
}

const common = { epochs: 15, batchSize: 16, lr: 0.05, seed: 1 };

test('adversarial training (Madry, FGSM callback) raises robust accuracy over standard training on a linear problem', async () => {
  const train = robustVsBrittle(128, 1);
  const test_ = robustVsBrittle(200, 2);
  const std = mlp({ inputShape: [21], outputs: 2, hidden: [], seed: 0 });
  await fit(std, train, common);
  const adv = mlp({ inputShape: [21], outputs: 2, hidden: [], seed: 0 });
  const r = await noLeak(() => fitAdversarial(adv, train, { ...common, attack: fgsm(EPS) }));
  const cleanStd = evaluate(std, test_).accuracy, cleanAdv = evaluate(adv, test_).accuracy;
  const robStd = robustAccuracy(std, test_), robAdv = robustAccuracy(adv, test_);
  console.log(`clean std ${cleanStd} adv ${cleanAdv}; robust (FGSM eps ${EPS}) std ${robStd} adv ${robAdv}`);
  assert.ok(cleanStd > 0.95 && cleanAdv > 0.75, `both fit the clean data (${cleanStd}, ${cleanAdv})`);
  assert.ok(robAdv > robStd + 0.2, `robust accuracy: adversarial ${robAdv} vs standard ${robStd}`);
  assert.ok('advLoss' in r.history[0].metrics);
  tf.dispose([train.x, train.y, test_.x, test_.y]);
  std.dispose();
  adv.dispose();
});

test("P1's schedule: extraStep crafts adversaries only on every k-th epoch, after the clean step", async () => {
  const train = robustVsBrittle(32, 3);
  const calls: number[] = [];
  const attack: AttackFn = (model, x, y, ctx) => {
    calls.push(ctx.epoch);
    return fgsm(0.1)(model, x, y, ctx);
  };
  const m = mlp({ inputShape: [21], outputs: 2, hidden: [], seed: 0 });
  const r = await noLeak(() => fitAdversarial(m, train, { epochs: 10, batchSize: 8, lr: 0.01, seed: 1, attack, mode: 'extraStep', scheduleEvery: 5 }));
  assert.deepEqual([...new Set(calls)], [5, 10]);
  assert.equal(calls.length, 2 * 4, '4 steps per scheduled epoch');
  assert.ok('advLoss' in r.history[4].metrics && !('advLoss' in r.history[3].metrics));
  // madry with k = 1 attacks every step of every epoch
  calls.length = 0;
  await fitAdversarial(m, train, { epochs: 2, batchSize: 8, lr: 0.01, seed: 1, attack });
  assert.equal(calls.length, 8);
  await assert.rejects(fitAdversarial(m, train, { attack, mode: 'free' as never }), /mode must be 'madry' or 'extraStep'/);
  await assert.rejects(fitAdversarial(m, train, { attack, schedule: 5 } as never), /unknown option "schedule"/);
  await assert.rejects(fitAdversarial(m, train, { batchSize: 8, attack: () => tf.zeros([1, 21]) }), /attack returned shape \[1,21\], expected \[8,21\]/);
  m.dispose();
  tf.dispose([train.x, train.y]);
});

test('TRADES training raises robust accuracy over standard training and logs its two parts', async () => {
  const train = robustVsBrittle(128, 1);
  const test_ = robustVsBrittle(200, 2);
  const std = mlp({ inputShape: [21], outputs: 2, hidden: [], seed: 0 });
  await fit(std, train, common);
  const tr = mlp({ inputShape: [21], outputs: 2, hidden: [], seed: 0 });
  const r = await noLeak(() => fitTrades(tr, train, { ...common, eps: EPS, beta: 6, steps: 3, stepSize: 0.1 }));
  const robStd = robustAccuracy(std, test_), robTr = robustAccuracy(tr, test_);
  console.log(`TRADES robust ${robTr} vs standard ${robStd}; clean ${evaluate(tr, test_).accuracy}`);
  assert.ok(robTr > robStd + 0.2, `robust accuracy TRADES ${robTr} vs standard ${robStd}`);
  assert.ok('natural' in r.history[0].metrics && 'robust' in r.history[0].metrics);
  await assert.rejects(fitTrades(tr, train, { eps: 0.1, loss: 'mse' } as never), /unknown option "loss"/);
  tf.dispose([train.x, train.y, test_.x, test_.y]);
  std.dispose();
  tr.dispose();
});

test('activation-sensitivity training lowers the sensitivity of the chosen layer vs standard training', async () => {
  const train = robustVsBrittle(64, 4);
  const opts = { ...common, epochs: 10 };
  const std = mlp({ inputShape: [21], outputs: 2, hidden: [8], seed: 0 });
  await fit(std, train, opts);
  const reg = mlp({ inputShape: [21], outputs: 2, hidden: [8], seed: 0 });
  const r = await noLeak(() => fitActivationSensitivity(reg, train, { ...opts, layers: ['dense1'], lambda: 0.2, eps: EPS, eta: 'adversarial' }));
  const sens = (m: tf.LayersModel) =>
    tf.tidy(() => activationSensitivityLoss(m, train.x, train.y, { layers: ['dense1'], lambda: 1, eps: EPS, eta: 'random', seed: 9 }).penalty.dataSync()[0]);
  const sStd = sens(std), sReg = sens(reg);
  console.log(`dense1 sensitivity: standard ${sStd}, regularised ${sReg}`);
  assert.ok(sReg < 0.7 * sStd, `sensitivity regularised ${sReg} vs standard ${sStd}`);
  const accReg = evaluate(reg, train).accuracy;
  assert.ok(accReg > 0.8, `the regularised model still fits (accuracy ${accReg})`);
  assert.ok('task' in r.history[0].metrics && 'penalty' in r.history[0].metrics);
  await assert.rejects(fitActivationSensitivity(reg, train, { layers: ['dense1'], lambda: 1, eps: 0.1, lamda: 2 } as never), /unknown option "lamda"/);
  tf.dispose([train.x, train.y]);
  std.dispose();
  reg.dispose();
});

test('activation-sensitivity training with an adversarial eta works on a conv net with max pooling (no second-order gradients)', async () => {
  const { smallCnn } = await import('../../src/lib/models');
  const m = smallCnn({ inputShape: [8, 8, 1], classes: 2, width: 0.25, hidden: 0, seed: 0 });
  const x = tf.randomUniform([8, 8, 8, 1], 0, 1, 'float32', 3);
  const y = tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32');
  const r = await noLeak(() =>
    fitActivationSensitivity(m, { x, y }, { layers: ['conv1', 'conv2'], lambda: 0.5, eps: 0.1, eta: 'adversarial', clip: [0, 1], epochs: 2, batchSize: 4, seed: 1 }),
  );
  assert.equal(r.history.length, 2);
  assert.ok(r.history.every((h) => Number.isFinite(h.metrics.loss) && h.metrics.penalty > 0), JSON.stringify(r.history));
  tf.dispose([x, y]);
  m.dispose();
});
