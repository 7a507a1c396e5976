/** P1: models trained in parallel (trainMerMissing on the main thread and a worker) are byte-for-byte
 * the models the sequential path (trainMer -> getOrTrain) saves; trainMer then loads them. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup } from '../helpers';
import * as P from '../../src/lib/papers/hoedt2025';

before(setup);

test('trainMerMissing (main thread + 1 worker) saves the same weights as sequential trainMer; trainMer then loads them', async () => {
  const cfg = { ...P.config('smoke'), seeds: [6, 7], epochs: 3 };
  const data = P.loadP1Data(cfg);
  const kinds = ['A2E', 'A2M2E'] as const;
  const seqDir = mkdtempSync(join(tmpdir(), 'p1-seq-'));
  const parDir = mkdtempSync(join(tmpdir(), 'p1-par-'));
  const env = process.env.ROBUSTLENS_MODELS;
  const log = console.log;
  try {
    process.env.ROBUSTLENS_MODELS = seqDir;
    const names: string[] = [];
    for (const kind of kinds) {
      for (const seed of cfg.seeds) {
        const t = await P.trainMer(kind, seed, data, cfg, { workers: 0 });
        assert.equal(t.cached, false);
        t.model.dispose();
        names.push(`p1-smoke-${kind}-s${seed}`);
      }
    }
    process.env.ROBUSTLENS_MODELS = parDir;
    const n0 = tf.memory().numTensors;
    const lines: string[] = [];
    console.log = (m: string) => lines.push(m);
    const trained = await P.trainMerMissing([...kinds], cfg.seeds, data, cfg, { workers: 1 });
    console.log = log;
    assert.equal(tf.memory().numTensors, n0, 'the main thread keeps no copy of the data');
    assert.deepEqual(trained, names);
    assert.equal(lines.length, names.length, lines.join('\n'));
    assert.ok(lines.some((l) => /on the worker 0 thread/.test(l)), lines.join('\n'));
    for (const name of names) {
      const a = readFileSync(join(seqDir, name, 'weights.bin'));
      const b = readFileSync(join(parDir, name, 'weights.bin'));
      assert.ok(a.length > 0 && a.equals(b), `${name}: weights differ between the sequential and the parallel path`);
    }
    for (const kind of kinds) {
      const t = await P.trainMer(kind, cfg.seeds[1], data, cfg);
      assert.equal(t.cached, true);
      t.model.dispose();
    }
  } finally {
    console.log = log;
    if (env === undefined) delete process.env.ROBUSTLENS_MODELS;
    else process.env.ROBUSTLENS_MODELS = env;
    data.dispose();
    rmSync(seqDir, { recursive: true, force: true });
    rmSync(parDir, { recursive: true, force: true });
  }
});

test('trainMer on data that is not loadP1Data(cfg)\'s trains in sequence (no parallel step)', async () => {
  const cfg = { ...P.config('smoke'), seeds: [6, 7], epochs: 1 };
  const data = P.loadP1Data(cfg);
  const y = data.train.y;
  data.train.y = tf.add(y, 0.01) as tf.Tensor2D;
  y.dispose();
  const dir = mkdtempSync(join(tmpdir(), 'p1-odd-'));
  const env = process.env.ROBUSTLENS_MODELS;
  const lines: string[] = [];
  const log = console.log;
  try {
    process.env.ROBUSTLENS_MODELS = dir;
    console.log = (m: string) => lines.push(m);
    assert.deepEqual(await P.trainMerMissing(['A2E', 'A2B2E'], cfg.seeds, data, cfg, { workers: 1 }), []);
    console.log = log;
    assert.deepEqual(lines, []);
  } finally {
    console.log = log;
    if (env === undefined) delete process.env.ROBUSTLENS_MODELS;
    else process.env.ROBUSTLENS_MODELS = env;
    data.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
