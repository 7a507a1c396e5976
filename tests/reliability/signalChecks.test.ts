/**
 * Issue 21 item 8: the differentiable spectrogram, readWav and loadFsdd check signals at the
 * boundary, as the reference path does: NaN / Infinity and empty signals are errors naming the
 * function (and the file, and the first bad sample), not NaN frames or a spectrogram of nothing.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { makeSpectrogram, logFilteredSpectrogram, readWav, writeWav } from '../../src/lib/audio';
import { loadFsdd } from '../../src/lib/data';

before(setup);

const tone = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i / 7));

/** A float WAV whose sample `at` holds `v` (writeWav refuses NaN, so the bytes are patched). */
function floatWavWith(n: number, at: number, v: number): Uint8Array {
  const bytes = writeWav(tone(n), 8000, { bitDepth: 32, float: true });
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setFloat32(bytes.length - 4 * (n - at), v, true);
  return bytes;
}

test('makeSpectrogram (fft and dft): a NaN or Infinity sample, an empty signal or an empty batch is an error naming the sample; no tensors left', async () => {
  const x = tone(4000);
  assert.throws(() => logFilteredSpectrogram(Float32Array.from(x, (v, i) => (i === 1234 ? NaN : v))), /sample 1234 is NaN/, 'the reference path already checks');
  for (const method of ['fft', 'dft'] as const) {
    const spec = makeSpectrogram({ kind: 'logfilt', method });
    const bad = x.slice();
    bad[1234] = NaN;
    const two = new Float32Array(8000);
    two.set(x);
    two.set(x, 4000);
    two[4000 + 17] = -Infinity;
    const waves = [tf.tensor2d(bad, [1, 4000]), tf.tensor2d(two, [2, 4000]), tf.zeros([1, 0]), tf.zeros([0, 4000])] as tf.Tensor2D[];
    try {
      await noLeak(() => {
        assert.throws(() => spec.fn(waves[0]), /^Error: makeSpectrogram: signal 0 sample 1234 is NaN \(NaN or Infinity\)/);
        assert.throws(() => spec.fn(waves[1]), /makeSpectrogram: signal 1 sample 17 is -Infinity/);
        assert.throws(() => spec.fn(waves[2]), /makeSpectrogram: signal has 0 samples/);
        assert.throws(() => spec.fn(waves[3]), /makeSpectrogram: wave holds no signals/);
        assert.throws(() => tf.grad((w: tf.Tensor) => spec.fn(w as tf.Tensor2D).sum())(waves[0]), /signal 0 sample 1234 is NaN/);
      });
      const ok = spec.fn(tf.tensor2d(x, [1, 4000]));
      assert.ok(ok.dataSync().every(Number.isFinite));
      ok.dispose();
    } finally {
      tf.dispose(waves);
      spec.dispose();
    }
  }
});

test('readWav: a float WAV with NaN / Infinity and a WAV without samples are errors naming the file and sample', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-wav-'));
  try {
    assert.throws(() => readWav(floatWavWith(50, 3, NaN)), /^Error: readWav: channel 0 sample 3 is NaN/);
    assert.throws(() => readWav(floatWavWith(50, 49, Infinity)), /readWav: channel 0 sample 49 is Infinity/);
    const empty = join(dir, 'empty.wav');
    writeFileSync(empty, writeWav(new Float32Array(0), 8000));
    assert.throws(() => readWav(empty), /readWav\(.*empty\.wav\): the data chunk holds no samples/);
    assert.equal(readWav(floatWavWith(50, 3, 0.25)).channels[0][3], 0.25);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loadFsdd: a recording with NaN or without samples is an error naming loadFsdd and the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-fsdd-'));
  try {
    writeFileSync(join(dir, '0_ann_0.wav'), writeWav(tone(100), 8000));
    writeFileSync(join(dir, '1_ann_0.wav'), floatWavWith(100, 42, NaN));
    assert.throws(() => loadFsdd(dir), /^Error: loadFsdd: readWav\(.*1_ann_0\.wav\): channel 0 sample 42 is NaN/);
    writeFileSync(join(dir, '1_ann_0.wav'), writeWav(new Float32Array(0), 8000));
    assert.throws(() => loadFsdd(dir), /loadFsdd: readWav\(.*1_ann_0\.wav\): the data chunk holds no samples/);
    writeFileSync(join(dir, '1_ann_0.wav'), writeWav(tone(80), 8000));
    assert.deepEqual(loadFsdd(dir).signals.map((s) => s.length), [100, 80]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
