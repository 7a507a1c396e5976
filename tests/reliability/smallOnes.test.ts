/**
 * Issue 21 item 9: ambiguous CSV columns, header-only and UTF-16 CSVs, seeds that are not numbers,
 * LIME with too few samples or segment ids without cells, and smoothGrad's noise depending on the
 * rest of the batch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { parseCsv, readCsv, numberColumn } from '../../src/lib/data';
import { Rng, seedFor } from '../../src/lib/engine';
import { pgd } from '../../src/lib/attacks';
import { lime, saliency, smoothGrad, imageGrid } from '../../src/lib/explain';

before(setup);

test('CSV: two columns matching one name are an error; a header without rows is an error unless allowEmpty; UTF-16 is an encoding error', () => {
  const t = parseCsv('id,valence,Valence\n1,0.5,0.7\n', { source: 'ratings.csv' });
  assert.throws(() => numberColumn(t, 'valence', 'loadX'), /ratings\.csv: columns "valence" and "Valence" all match "valence"/);
  assert.deepEqual(Array.from(numberColumn(t, 'id', 'loadX')), [1]);
  assert.throws(() => parseCsv('a,b\n', { source: 'h.csv' }), /parseCsv\(h\.csv\): the file has a header but no data rows/);
  assert.deepEqual(parseCsv('a,b\n', { allowEmpty: true }).rows, []);
  const dir = mkdtempSync(join(tmpdir(), 'rl-csv-'));
  try {
    const text = 'id,valence\n1,0.5\n';
    writeFileSync(join(dir, 'le.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    assert.throws(() => readCsv(join(dir, 'le.csv')), /parseCsv\(.*le\.csv\): wrong text encoding: the file is UTF-16 \(byte-order mark FF FE\)/);
    writeFileSync(join(dir, 'nobom.csv'), Buffer.from(text, 'utf16le'));
    assert.throws(() => readCsv(join(dir, 'nobom.csv')), /parseCsv\(.*nobom\.csv\): wrong text encoding \(a NUL character at offset 1\)/);
    writeFileSync(join(dir, 'ok.csv'), text);
    assert.deepEqual(readCsv(join(dir, 'ok.csv')).rows, [['1', '0.5']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('seeds: NaN, a string or undefined is an error (was seed 0) in Rng, seedFor, pgd, lime and smoothGrad', async () => {
  assert.throws(() => new Rng(NaN), /Rng: seed must be a finite number, got NaN/);
  assert.throws(() => new Rng('abc' as never), /Rng: seed must be a finite number, got "abc"/);
  assert.throws(() => seedFor(NaN, 'init'), /seedFor\(init\): seed must be a finite number/);
  assert.throws(() => seedFor(undefined as never), /seedFor: seed must be a finite number, got undefined/);
  assert.notDeepEqual(new Rng(1).normals(3), new Rng(0).normals(3));
  const W = tf.tensor2d([1, -1, 0.5, 2, -0.3, 0.1, 0.7, 0.2], [4, 2]);
  const f = (x: tf.Tensor) => tf.matMul(x.reshape([x.shape[0], 4]), W);
  const x = tf.tensor4d([0.1, 0.5, 0.9, 0.3], [1, 2, 2, 1]);
  try {
    await noLeak(async () => {
      await assert.rejects(pgd(f, x, [0], { eps: 0.1, steps: 2, seed: NaN }), /seed must be a finite number, got NaN/);
      await assert.rejects(lime(f, x, { target: 0, segments: imageGrid(2, 2, 2, 2), nSamples: 20, seed: 'abc' as never }), /lime: seed must be a finite number; got "abc"/);
      assert.throws(() => smoothGrad(saliency, { seed: NaN }), /smoothGrad: seed must be a finite number; got NaN/);
    });
  } finally {
    tf.dispose([W, x]);
  }
});

test('lime: nSamples below segments + 1 and segment ids without cells are rejected (was: zero weights with fidelity 1; weights for empty ids)', async () => {
  const W = tf.tensor2d(Array.from({ length: 16 * 2 }, (_, i) => Math.sin(i)), [16, 2]);
  const f = (x: tf.Tensor) => tf.matMul(x.reshape([x.shape[0], 16]), W);
  const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => (i % 5) / 5), [1, 4, 4, 1]);
  const seg = imageGrid(4, 4, 2, 2); // 4 segments
  const gappy = Int32Array.from(seg, (v) => (v === 1 ? 3 : v)); // ids 0, 2, 3: id 1 has no cells
  try {
    await noLeak(async () => {
      await assert.rejects(lime(f, x, { target: 0, segments: seg, nSamples: 1 }), /lime: nSamples = 1 is too few for a surrogate of 4 segments; use at least 5/);
      await assert.rejects(lime(f, x, { target: 0, segments: gappy, nSamples: 50 }), /lime: segment ids must be 0\.\.3 without gaps; id 1 has no cells/);
      const ok = await lime(f, x, { target: 0, segments: seg, nSamples: 5, seed: 1 });
      assert.equal(ok.weights[0].length, 4);
      ok.map.dispose();
    });
  } finally {
    tf.dispose([W, x]);
  }
});

test('smoothGrad: an example gets the same noise (the same map) alone and in a batch of 6, whatever batchSize', async () => {
  const W = tf.tensor2d(Array.from({ length: 6 * 3 }, (_, i) => Math.sin(1.3 * i)), [6, 3]);
  const f = (x: tf.Tensor) => tf.matMul(tf.tanh(x.reshape([x.shape[0], 6])), W);
  const xs = tf.tensor2d(Array.from({ length: 6 * 6 }, (_, i) => Math.cos(0.7 * i)), [6, 6]);
  const x0 = xs.slice(0, 1);
  try {
    const sg = (batchSize: number) => smoothGrad(saliency, { n: 8, noiseLevel: 0.2, seed: 3, batchSize });
    const alone = await sg(64)(f, x0, { target: [1] });
    const inBatch = await sg(64)(f, xs, { target: [1, 0, 2, 1, 0, 2] });
    const small = await sg(5)(f, xs, { target: [1, 0, 2, 1, 0, 2] });
    const a = alone.map.dataSync();
    const b = inBatch.map.slice(0, 1).dataSync();
    const c = small.map.slice(0, 1).dataSync();
    for (let j = 0; j < a.length; j++) {
      assert.ok(Math.abs(a[j] - b[j]) <= 1e-6 * (1 + Math.abs(a[j])), `alone ${a[j]} vs in a batch ${b[j]} at ${j}`);
      assert.ok(Math.abs(a[j] - c[j]) <= 1e-6 * (1 + Math.abs(a[j])), `batchSize 64 ${a[j]} vs 5 ${c[j]} at ${j}`);
    }
    tf.dispose([alone.map, inBatch.map, small.map]);
  } finally {
    tf.dispose([W, xs, x0]);
  }
});
