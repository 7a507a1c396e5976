import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { mlp, smallCnn, resNetSmall, merCnn, singingVoiceCnn, splitMer, emotionsView, layerView, ZeroMeanConv2D } from '../../src/lib/models';

before(setup);

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

test('same seed gives the same weights, another seed different ones (every architecture)', () => {
  const builders: [string, (seed: number) => tf.LayersModel][] = [
    ['mlp', (seed) => mlp({ inputShape: [3], outputs: 2, hidden: [4], seed })],
    ['smallCnn', (seed) => smallCnn({ inputShape: [8, 8, 1], classes: 3, width: 0.25, hidden: 8, seed })],
    ['resNetSmall', (seed) => resNetSmall({ inputShape: [8, 8, 3], classes: 3, width: 0.25, seed })],
    ['merCnn', (seed) => merCnn({ head: 'A2M2E', inputShape: [16, 12, 1], width: 1 / 16, seed })],
    ['singingVoiceCnn', (seed) => singingVoiceCnn({ width: 1 / 16, seed })],
  ];
  for (const [name, build] of builders) {
    const a = build(6), b = build(6), c = build(7);
    assert.deepEqual(weightsOf(a), weightsOf(b), `${name}: same seed`);
    assert.notDeepEqual(weightsOf(a), weightsOf(c), `${name}: different seed`);
    for (const m of [a, b, c]) m.dispose();
  }
});

test('layers in one model get different initial weights (seed derived per layer name)', () => {
  const m = mlp({ inputShape: [4], outputs: 4, hidden: [4, 4], seed: 1 });
  const k1 = m.getLayer('dense2').getWeights()[0].dataSync();
  const k2 = m.getLayer('dense1').getWeights()[0].dataSync();
  assert.notDeepEqual(Array.from(k1), Array.from(k2));
  m.dispose();
});

test('merCnn: width 1 matches the paper size (~3.9 M parameters); heads give the documented outputs', async () => {
  const full = merCnn({ head: 'A2E', width: 1 });
  const p = full.countParams();
  assert.ok(p > 3.85e6 && p < 4.0e6, `params ${p}`);
  assert.deepEqual(full.outputs[0].shape, [null, 8]);
  full.dispose();
  const inputShape = [32, 24, 1];
  const a2b2e = merCnn({ head: 'A2B2E', inputShape, width: 1 / 16, seed: 1 });
  assert.deepEqual(a2b2e.getLayer('bottleneck').outputShape, [null, 7]);
  assert.deepEqual(a2b2e.outputs[0].shape, [null, 8]);
  const m = merCnn({ head: 'A2M2E', inputShape, width: 1 / 16, seed: 1 });
  assert.deepEqual(m.outputs[0].shape, [null, 15]);
  await noLeak(() =>
    tf.tidy(() => {
      const x = tf.randomNormal([2, ...inputShape], 0, 1, 'float32', 3);
      const y = m.predict(x) as tf.Tensor;
      const { emotions, midLevel } = splitMer(y);
      const e2 = emotionsView(m).predict(x) as tf.Tensor;
      assert.deepEqual(emotions.shape, [2, 8]);
      assert.deepEqual(midLevel!.shape, [2, 7]);
      assert.deepEqual(Array.from(e2.dataSync()), Array.from(emotions.dataSync()), 'emotions first in the concat');
    }),
  );
  assert.throws(() => merCnn({ head: 'A2X' as never }), /head must be one of A2E, A2B2E, A2M2E/);
  // BatchNorm momentum: PyTorch's default (0.1) in Keras terms, 0.9, unless given
  const bnMom = (mm: tf.LayersModel) => (mm.getLayer('conv1_bn').getConfig() as { momentum: number }).momentum;
  const m09 = merCnn({ head: 'A2E', inputShape: [16, 12, 1], width: 1 / 16 });
  const m99 = merCnn({ head: 'A2E', inputShape: [16, 12, 1], width: 1 / 16, bnMomentum: 0.99 });
  assert.equal(bnMom(m09), 0.9);
  assert.equal(bnMom(m99), 0.99);
  m09.dispose(); m99.dispose();
  assert.throws(() => merCnn({ bnMomentum: 1 }), /bnMomentum must be in \[0, 1\)/);
  m.dispose();
  a2b2e.dispose();
});

test('singingVoiceCnn: 115x80 input, probability output, invariant to a constant added to the input', () => {
  const m = singingVoiceCnn({ width: 1 / 16, seed: 2 });
  assert.deepEqual(m.inputs[0].shape, [null, 115, 80, 1]);
  tf.tidy(() => {
    const x = tf.randomNormal([2, 115, 80, 1], 0, 1, 'float32', 5);
    const p = m.predict(x) as tf.Tensor;
    const p2 = m.predict(tf.add(x, 3)) as tf.Tensor;
    const pv = p.dataSync();
    assert.ok(Array.from(pv).every((v) => v > 0 && v < 1));
    const d = tf.max(tf.abs(tf.sub(p, p2))).dataSync()[0];
    assert.ok(d < 1e-4, `zero-mean first layer: output changed by ${d}`);
    const logit = layerView(m, 'logit').predict(x) as tf.Tensor;
    assert.ok(tf.max(tf.abs(tf.sub(tf.sigmoid(logit), p))).dataSync()[0] < 1e-6);
  });
  const plain = singingVoiceCnn({ width: 1 / 16, seed: 2, zeroMean: false });
  const d2 = tf.tidy(() => {
    const x = tf.randomNormal([2, 115, 80, 1], 0, 1, 'float32', 5);
    return tf.max(tf.abs(tf.sub(plain.predict(x) as tf.Tensor, plain.predict(tf.add(x, 3)) as tf.Tensor))).dataSync()[0];
  });
  assert.ok(d2 > 1e-4, 'the plain baseline is not level-invariant (so the test above can fail)');
  m.dispose();
  plain.dispose();
});

test('ZeroMeanConv2D equals conv2d with the mean-subtracted kernel', () => {
  const layer = new ZeroMeanConv2D({ filters: 2, kernelSize: 2, seed: 4, useBias: false });
  tf.tidy(() => {
    const x = tf.randomNormal([1, 4, 4, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const y = layer.apply(x) as tf.Tensor;
    const w = layer.getWeights()[0] as tf.Tensor4D;
    const ref = tf.conv2d(x, tf.sub(w, tf.mean(w, [0, 1, 2], true)) as tf.Tensor4D, 1, 'valid');
    assert.ok(tf.max(tf.abs(tf.sub(y, ref))).dataSync()[0] < 1e-6);
    assert.ok(Math.abs(tf.mean(w).dataSync()[0]) > 1e-4, 'stored kernel itself is not zero-mean');
  });
});

test('resNetSmall and smallCnn output logits of the requested classes; unknown options rejected', () => {
  const r = resNetSmall({ inputShape: [8, 8, 3], classes: 5, width: 0.25, seed: 0 });
  assert.deepEqual(r.outputs[0].shape, [null, 5]);
  const used = new Set(r.layers.map((l) => l.getClassName()));
  for (const c of used) assert.ok(['InputLayer', 'Conv2D', 'BatchNormalization', 'ReLU', 'Add', 'GlobalAveragePooling2D', 'Dense'].includes(c), c);
  r.dispose();
  assert.throws(() => smallCnn({ inputShape: [8, 8, 1], widht: 2 } as never), /unknown option "widht"/);
  assert.throws(() => smallCnn({ inputShape: [8, 8] }), /inputShape must be 3 positive integers/);
  assert.throws(() => mlp({ inputShape: [2], outputs: 2, width: -1 }), /width must be a positive number/);
  assert.throws(() => layerView(mlp({ inputShape: [2], outputs: 2 }), 'nope'), /has no layer "nope"/);
});
