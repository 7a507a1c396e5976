import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { perturbationSizes } from '../../src/lib/attacks';
import { snrDb as snrMetric } from '../../src/lib/metrics';
import { snrDb as snrSignal } from '../../src/lib/audio';

before(setup);

test('perturbationSizes: L2, Linf and SNR in dB per example, with known answers', async () => {
  // x_0 = (3, 4): ||x|| = 5; delta_0 = (0, 0.05): L2 0.05, Linf 0.05, SNR 20 log10(5 / 0.05) = 40 dB
  // x_1 = (1, 0): delta_1 = (0.1, 0): SNR 20 log10(1 / 0.1) = 20 dB; x_2 unperturbed: Infinity
  const x = tf.tensor2d([[3, 4], [1, 0], [2, 2]]);
  const xAdv = tf.tensor2d([[3, 4.05], [1.1, 0], [2, 2]]);
  const r = await noLeak(() => perturbationSizes(x, xAdv));
  const near = (a: number, b: number, tol = 1e-4) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);
  near(r.l2[0], 0.05);
  near(r.l2[1], 0.1);
  assert.equal(r.l2[2], 0);
  near(r.linf[0], 0.05);
  near(r.linf[1], 0.1);
  near(r.snrDb[0], 40, 1e-3);
  near(r.snrDb[1], 20, 1e-3);
  assert.equal(r.snrDb[2], Infinity);
  tf.dispose([x, xAdv]);
});

test('perturbationSizes: Linf differs from L2 on a spread perturbation; works on any rank >= 2', () => {
  const x = tf.zeros([1, 2, 2, 1]).add(1);
  const xAdv = x.add(tf.tensor4d([0.1, -0.2, 0.1, 0.2], [1, 2, 2, 1]));
  const r = perturbationSizes(x, xAdv);
  assert.ok(Math.abs(r.l2[0] - Math.sqrt(0.01 + 0.04 + 0.01 + 0.04)) < 1e-5);
  assert.ok(Math.abs(r.linf[0] - 0.2) < 1e-6);
  tf.dispose([x, xAdv]);
});

test('the SNR metric and the one-signal audio.snrDb agree with perturbationSizes', () => {
  const x = tf.tensor2d([[0.3, -0.7, 0.2, 0.9], [1, 2, 3, 4]]);
  const xAdv = tf.tensor2d([[0.31, -0.69, 0.2, 0.88], [1.2, 2, 2.9, 4]]);
  const sizes = perturbationSizes(x, xAdv);
  const m = snrMetric(x, xAdv);
  assert.deepEqual(m.perExample, sizes.snrDb);
  const rows = x.arraySync() as number[][];
  const rowsAdv = xAdv.arraySync() as number[][];
  rows.forEach((row, i) => assert.ok(Math.abs(snrSignal(row, rowsAdv[i]) - sizes.snrDb[i]) < 1e-4));
  tf.dispose([x, xAdv]);
});

test('perturbationSizes: errors for a shape mismatch, a missing batch axis, a non-tensor', () => {
  assert.throws(() => perturbationSizes(tf.zeros([2, 3]), tf.zeros([2, 4])), /differ in shape/);
  assert.throws(() => perturbationSizes(tf.zeros([3]), tf.zeros([3])), /must be a batch/);
  assert.throws(() => perturbationSizes([1, 2] as never, tf.zeros([2])), /must be tf.Tensors/);
});
