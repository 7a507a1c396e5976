/**
 * Issue 21 item 4: a batched call that would outgrow wasm's heap (which aborts the backend for the
 * whole process) is shrunk under the memory budget, or refused with a clear message, before the
 * backend sees it. The model here writes 1 MiB per example (an 8x8 input upsampled to 512x512), so
 * LIME's 4096-row batch would need about 4 GiB in one forward pass.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { bytesPerRow, rowsPerPass, memoryBudgetBytes } from '../../src/lib/engine';
import { lime, imageGrid } from '../../src/lib/explain';

before(setup);

function wide(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.upSampling2d({ size: [64, 64], inputShape: [8, 8, 1] })); // [512, 512, 1]: 1 MiB per example
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dense({ units: 2, kernelInitializer: 'ones' }));
  return m;
}

test('bytesPerRow / rowsPerPass (forward, LayersModel): input plus every layer output; rows lowered to the budget; one row over it is an error', () => {
  const m = wide();
  const x = tf.zeros([4, 8, 8, 1]);
  try {
    assert.equal(bytesPerRow(m, [8, 8, 1]), 4 * (64 + 512 * 512 + 1 + 2));
    assert.equal(bytesPerRow((x: tf.Tensor) => x, [3]), null);
    assert.equal(rowsPerPass('t', m, x, 4096, 'forward', { budget: 256 * 2 ** 20 }), 255);
    assert.equal(rowsPerPass('t', m, x, 16, 'forward', { budget: 256 * 2 ** 20 }), 16);
    assert.throws(() => rowsPerPass('lime', m, x, 4, 'forward', { budget: 2 ** 19 }), /lime: one example needs about 1.0 MiB in a forward pass, more than the memory budget of 0.5 MiB/);
    assert.equal(memoryBudgetBytes({}), 2 ** 30);
    assert.equal(memoryBudgetBytes({ ROBUSTLENS_MEMORY_MB: '300' }), 300 * 2 ** 20);
    assert.throws(() => memoryBudgetBytes({ ROBUSTLENS_MEMORY_MB: 'lots' }), /ROBUSTLENS_MEMORY_MB="lots" is not a positive number/);
  } finally {
    x.dispose();
    m.dispose();
  }
});

test('lime with batchSize 4096 on a model writing 1 MiB per example: evaluated in chunks under the budget (was: wasm out of bounds, backend aborted), same weights as batchSize 64', async () => {
  const m = wide();
  const x = tf.tensor4d(Array.from({ length: 64 }, (_, i) => (i % 7) / 7), [1, 8, 8, 1]);
  const seg = imageGrid(8, 8, 2, 2);
  try {
    await noLeak(async () => {
      const big = await lime(m, x, { target: 0, segments: seg, nSamples: 4096, batchSize: 4096, seed: 2, workers: 0 });
      const small = await lime(m, x, { target: 0, segments: seg, nSamples: 4096, batchSize: 64, seed: 2, workers: 0 });
      for (let s = 0; s < 4; s++) assert.ok(Math.abs(big.weights[0][s] - small.weights[0][s]) <= 1e-5, `${big.weights[0]} vs ${small.weights[0]}`);
      tf.dispose([big.map, small.map]);
      const ok = tf.add(1, 1);
      assert.equal(ok.dataSync()[0], 2, 'the backend still works');
      ok.dispose();
    });
  } finally {
    x.dispose();
    m.dispose();
  }
});

test('makeSpectrogram: a wave whose tensors would outgrow the budget is refused before the backend (fft and dft); one within it is computed', async () => {
  const { makeSpectrogram } = await import('../../src/lib/audio');
  const env = process.env.ROBUSTLENS_MEMORY_MB;
  process.env.ROBUSTLENS_MEMORY_MB = '4';
  const long = tf.zeros([1, 441000]) as tf.Tensor2D; // 10 s at 44.1 kHz: about 10 MiB of tensors
  const short = tf.randomUniform([1, 4000], -0.5, 0.5, 'float32', 1) as tf.Tensor2D;
  try {
    for (const method of ['fft', 'dft'] as const) {
      const spec = makeSpectrogram({ kind: 'logfilt', method });
      try {
        await noLeak(() => {
          assert.throws(() => spec.fn(long), /makeSpectrogram: a \[1, 441000\] wave \(\d+ frames x \d+ bins\) needs about \d+ MiB of tensors, more than the memory budget of 4 MiB \(ROBUSTLENS_MEMORY_MB\); split the signal/);
          const S = spec.fn(short);
          assert.equal(S.shape[0], 1);
          S.dispose();
        });
      } finally {
        spec.dispose();
      }
    }
  } finally {
    if (env === undefined) delete process.env.ROBUSTLENS_MEMORY_MB;
    else process.env.ROBUSTLENS_MEMORY_MB = env;
    tf.dispose([long, short]);
  }
});
