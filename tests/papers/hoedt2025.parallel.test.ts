/** P1: trainMers trains the missing models of a grid in parallel (models.getOrTrainMany), byte-for-byte
 * the models sequential trainMer saves; trainMer asked for one model trains only that one. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup } from '../helpers';
import * as P from '../../src/lib/papers/hoedt2025';

before(setup);

async function inModels<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const env = process.env.ROBUSTLENS_MODELS;
  process.env.ROBUSTLENS_MODELS = dir;
  try {
    return await f();
  } finally {
    if (env === undefined) delete process.env.ROBUSTLENS_MODELS;
    else process.env.ROBUSTLENS_MODELS = env;
  }
}

test('trainMers (main thread + 1 worker) saves the same weights as sequential trainMer, each model once; then everything loads from the cache', async () => {
  const cfg = { ...P.config('smoke'), seeds: [6, 7], epochs: 3 };
  const data = P.loadP1Data(cfg);
  const kinds = ['A2E', 'A2M2E'] as const;
  const seqDir = mkdtempSync(join(tmpdir(), 'p1-seq-'));
  const parDir = mkdtempSync(join(tmpdir(), 'p1-par-'));
  const log = console.log;
  try {
    const names: string[] = [];
    await inModels(seqDir, async () => {
      for (const kind of kinds) {
        for (const seed of cfg.seeds) {
          const t = await P.trainMer(kind, seed, data, cfg);
          assert.equal(t.cached, false);
          t.model.dispose();
          names.push(`p1-smoke-${kind}-s${seed}`);
        }
      }
    });
    const lines: string[] = [];
    const n0 = tf.memory().numTensors;
    const got = await inModels(parDir, async () => {
      console.log = (m: string) => lines.push(m);
      try {
        return await P.trainMers([...kinds], cfg.seeds, data, cfg, { workers: 1 });
      } finally {
        console.log = log;
      }
    });
    assert.deepEqual(got.map((t) => `p1-smoke-${t.kind}-s${t.seed}`), names, 'kind-major order');
    assert.ok(got.every((t) => !t.cached && t.epochs > 0 && t.seconds > 0));
    got.forEach((t) => t.model.dispose());
    assert.equal(tf.memory().numTensors, n0, 'the main thread keeps no copy of the data');
    assert.deepEqual(lines.map((l) => /trained (\S+) in/.exec(l)?.[1]).sort(), [...names].sort(), `each model trained once:\n${lines.join('\n')}`);
    for (const name of names) {
      const a = readFileSync(join(seqDir, name, 'weights.bin'));
      const b = readFileSync(join(parDir, name, 'weights.bin'));
      assert.ok(a.length > 0 && a.equals(b), `${name}: weights differ between the sequential and the parallel path`);
    }
    const again = await inModels(parDir, () => P.trainMers([...kinds], cfg.seeds, data, cfg, { workers: 1 }));
    assert.ok(again.every((t) => t.cached));
    again.forEach((t) => t.model.dispose());
  } finally {
    console.log = log;
    data.dispose();
    rmSync(seqDir, { recursive: true, force: true });
    rmSync(parDir, { recursive: true, force: true });
  }
});

test('trainMer asked for one model trains only that model; trainMers on data that is not loadP1Data(cfg)\'s trains in sequence on the given data', async () => {
  const cfg = { ...P.config('smoke'), seeds: [6, 7], epochs: 1 };
  const data = P.loadP1Data(cfg);
  const dir = mkdtempSync(join(tmpdir(), 'p1-one-'));
  const lines: string[] = [];
  const log = console.log;
  try {
    await inModels(dir, async () => {
      const t = await P.trainMer('A2E', 6, data, cfg);
      t.model.dispose();
      assert.deepEqual(readdirSync(dir), ['p1-smoke-A2E-s6']);
      const y = data.train.y;
      data.train.y = tf.add(y, 0.01) as tf.Tensor2D;
      y.dispose();
      console.log = (m: string) => lines.push(m);
      const got = await P.trainMers(['A2B2E'], cfg.seeds, data, cfg, { workers: 1 });
      console.log = log;
      assert.deepEqual(lines, [], 'no parallel step');
      assert.deepEqual(got.map((t) => t.cached), [false, false]);
      got.forEach((t) => t.model.dispose());
    });
  } finally {
    console.log = log;
    data.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
