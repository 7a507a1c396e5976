import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { mlp, smallCnn, SeededDropout } from '../../src/lib/models';
import { fit, evaluate, merLoss } from '../../src/lib/train';
import { blobs } from './toy';

before(setup);

const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

test('fit makes the loss fall on a separable problem, reports progress, leaks no tensors', async () => {
  const train = blobs(64, 1);
  const valid = blobs(32, 2);
  const m = mlp({ inputShape: [2], outputs: 2, hidden: [8], seed: 3 });
  const before0 = evaluate(m, valid, { loss: 'softmaxCE' });
  const steps: number[] = [];
  const epochs: number[] = [];
  const r = await noLeak(() =>
    fit(m, train, {
      valid, epochs: 8, batchSize: 16, lr: 0.05, loss: 'softmaxCE', seed: 1,
      onStep: (p) => { steps.push(p.step); assert.ok(Number.isFinite(p.loss) && p.steps === 4); },
      onEpoch: (p) => { epochs.push(p.epoch); assert.ok('valLoss' in p.metrics && p.seconds >= 0); },
    }),
  );
  assert.equal(r.history.length, 8);
  assert.deepEqual(epochs, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(steps.length, 32);
  const first = r.history[0].metrics.loss;
  const last = r.history[7].metrics.loss;
  assert.ok(last < 0.5 * first, `loss ${first} -> ${last}`);
  assert.ok(r.history[7].metrics.valAccuracy >= 0.95, `valAccuracy ${r.history[7].metrics.valAccuracy}`);
  assert.ok(r.history[7].metrics.valLoss < before0.loss);
  m.dispose();
  tf.dispose([train.x, train.y, valid.x, valid.y]);
});

test('same seeds give the same trained weights; another shuffle seed different ones', async () => {
  const train = blobs(32, 4);
  const run = async (seed: number) => {
    const m = mlp({ inputShape: [2], outputs: 2, hidden: [4], seed: 0 });
    await fit(m, train, { epochs: 2, batchSize: 8, lr: 0.01, seed });
    const w = weights(m);
    m.dispose();
    return w;
  };
  const a = await run(5);
  assert.deepEqual(await run(5), a);
  assert.notDeepEqual(await run(6), a);
  tf.dispose([train.x, train.y]);
});

test('early stopping stops after `patience` epochs without improvement and restores the best weights', async () => {
  const train = blobs(32, 5);
  const valid = blobs(16, 6);
  const m = mlp({ inputShape: [2], outputs: 2, hidden: [4], seed: 1 });
  const script = [0.1, 0.5, 0.3, 0.2, 0.4, 0.9, 0.9];
  let call = 0;
  let atBest: number[][] = [];
  const r = await noLeak(() =>
    fit(m, train, {
      valid, epochs: 7, batchSize: 8, lr: 0.05, seed: 2,
      metrics: { score: () => script[call++] },
      earlyStopping: { metric: 'valScore', patience: 2, mode: 'max' },
      onEpoch: (p) => { if (p.epoch === 2) atBest = weights(m); },
    }),
  );
  assert.equal(r.bestEpoch, 2);
  assert.equal(r.stoppedEarly, true);
  assert.equal(r.history.length, 4, 'epochs 3 and 4 did not improve: stop after 4');
  assert.deepEqual(weights(m), atBest, 'weights restored to epoch 2');
  assert.notDeepEqual(r.history[3].metrics.loss, undefined);
  m.dispose();
  tf.dispose([train.x, train.y, valid.x, valid.y]);
});

test('merLoss = w * MSE(emotions) + (1 - w) * MSE(mid-level); A2E-style outputs need w = 1', () => {
  tf.tidy(() => {
    const yT = tf.tensor2d([[0, 0, 1, 1, 2]]); // 2 "emotions", 3 "mid-level"
    const yP = tf.tensor2d([[1, 0, 1, 2, 4]]);
    const l = merLoss({ w: 0.25, emotions: 2 })(yT, yP).dataSync()[0];
    assert.ok(Math.abs(l - (0.25 * 0.5 + 0.75 * (5 / 3))) < 1e-6, `${l}`);
    const l1 = merLoss({ w: 1, emotions: 2 })(yT, tf.tensor2d([[1, 0]])).dataSync()[0];
    assert.ok(Math.abs(l1 - 0.5) < 1e-6);
    assert.throws(() => merLoss({ w: 0.5, emotions: 2 })(yT, tf.tensor2d([[1, 0]])), /needs mid-level outputs/);
  });
});

test('fit trains a regression head with merLoss and a model with BatchNorm + dropout', async () => {
  const input = tf.input({ shape: [3] });
  let h = tf.layers.dense({ units: 8, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  h = new SeededDropout({ rate: 0.2, seed: 3 }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(h) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: out });
  const x = tf.randomNormal([48, 3], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.concat([tf.matMul(x, tf.tensor2d([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0]])).slice([0, 0], [-1, 4])], 1));
  const bnMeanBefore = Array.from(m.layers[2].getWeights()[2].dataSync());
  const r = await noLeak(() => fit(m, { x, y }, { epochs: 15, batchSize: 16, lr: 0.05, loss: merLoss({ w: 0.5, emotions: 2 }), seed: 1 }));
  assert.ok(r.history[14].metrics.loss < 0.5 * r.history[0].metrics.loss, `${r.history[0].metrics.loss} -> ${r.history[14].metrics.loss}`);
  assert.notDeepEqual(Array.from(m.layers[2].getWeights()[2].dataSync()), bnMeanBefore, 'BatchNorm moving mean updated in training mode');
  m.dispose();
  tf.dispose([x, y]);
});

test('fit trains a small CNN when the backend has conv gradients', async (t) => {
  if (!tf.getKernel('Conv2DBackpropFilter', tf.getBackend())) return t.skip(`no Conv2DBackpropFilter on ${tf.getBackend()} yet (engine kernels pending)`);
  const x = tf.randomUniform([16, 8, 8, 1], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.cast(tf.greater(tf.mean(x.slice([0, 0, 0, 0], [-1, 4, 8, 1]), [1, 2, 3]), tf.mean(x, [1, 2, 3])), 'int32'));
  const m = smallCnn({ inputShape: [8, 8, 1], classes: 2, width: 0.25, hidden: 8, seed: 1 });
  const r = await noLeak(() => fit(m, { x, y }, { epochs: 6, batchSize: 8, lr: 0.01, seed: 1 }));
  assert.ok(r.history[5].metrics.loss < r.history[0].metrics.loss);
  m.dispose();
  tf.dispose([x, y]);
});

test('fit rejects unknown options, bad data and unavailable early-stopping metrics', async () => {
  const d = blobs(8, 1);
  const m = mlp({ inputShape: [2], outputs: 2, seed: 0 });
  await assert.rejects(fit(m, d, { epoch: 3 } as never), /fit: unknown option "epoch"/);
  await assert.rejects(fit(m, d, { loss: 'hinge' as never }), /loss must be one of softmaxCE, bce, bceLogits, mse/);
  await assert.rejects(fit(m, d, { earlyStopping: { metric: 'valLoss', patience: 2 } }), /"valLoss" is not computed.*pass options.valid/);
  await assert.rejects(fit(m, d, { earlyStopping: { patience: 2, wait: 1 } as never }), /earlyStopping: unknown option "wait"/);
  await assert.rejects(fit(m, { x: d.x, y: tf.zeros([3]) }, {}), /train.x has 8 examples but train.y has 3/);
  await assert.rejects(fit(m, d, { loss: (_y, p) => tf.mul(tf.sum(p), NaN) as tf.Scalar }), /fit: loss became NaN; lower lr/);
  m.dispose();
  tf.dispose([d.x, d.y]);
});

test('lrSchedule: SGD with lr a then b equals two one-epoch runs at a and b; Adam follows it; lr is recorded; bad schedules are rejected', async () => {
  const train = blobs(32, 6);
  const mk = () => mlp({ inputShape: [2], outputs: 2, hidden: [4], seed: 2 });
  const base = { batchSize: 8, loss: 'softmaxCE' as const, shuffle: false, optimizer: 'sgd' as const };
  const a = mk();
  await fit(a, train, { ...base, epochs: 1, lr: 0.1 });
  await fit(a, train, { ...base, epochs: 1, lr: 0.01 });
  const b = mk();
  const r = await noLeak(() => fit(b, train, { ...base, epochs: 2, lr: 0.5, lrSchedule: (e) => (e === 1 ? 0.1 : 0.01) }));
  const wa = weights(a), wb = weights(b);
  wa.forEach((w, i) => w.forEach((v, j) => assert.ok(Math.abs(v - wb[i][j]) < 1e-6, `weight ${i}.${j}: ${v} vs ${wb[i][j]}`)));
  assert.deepEqual(r.history.map((h) => h.metrics.lr), [0.1, 0.01]);
  // Adam: a constant schedule equal to lr changes nothing; a decaying one changes the weights
  const c = mk(), d = mk(), e = mk();
  const adam = { batchSize: 8, loss: 'softmaxCE' as const, epochs: 3, lr: 0.05, seed: 1 };
  await fit(c, train, adam);
  await fit(d, train, { ...adam, lrSchedule: () => 0.05 });
  await fit(e, train, { ...adam, lrSchedule: (ep) => 0.05 / 10 ** (ep - 1) });
  assert.deepEqual(weights(c), weights(d));
  assert.notDeepEqual(weights(c), weights(e));
  await assert.rejects(fit(mk(), train, { ...adam, lrSchedule: (ep) => (ep === 2 ? 0 : 0.01) }), /fit: lrSchedule returned 0 for epoch 2/);
  await assert.rejects(fit(mk(), train, { ...adam, lrSchedule: 0.1 as never }), /fit: lrSchedule must be a function/);
  [a, b, c, d, e].forEach((m) => m.dispose());
  tf.dispose([train.x, train.y]);
});
