/** P3: models trained in parallel (trainMissing on the main thread and a worker) are byte-for-byte
 * the models the sequential path (trainFamily -> getOrTrain) saves; trainAll then loads them. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup } from '../helpers';
import { isCached } from '../../src/lib/models/getOrTrain';
import { config, family, loadImageSets, trainAll, trainFamily, trainMissing, loadTrainSet } from '../../src/lib/papers/moshe2024';

before(setup);

test('trainMissing (main thread + 1 worker) saves the same weights as sequential trainFamily; trainAll then loads them all', async () => {
  const cfg = config('smoke');
  cfg.synth.nTrain = 600; // long enough (~1-2 s a model) for the worker to start and take models
  cfg.train.epochs = 2;
  const fams = [family('standard'), family('pgd'), family('trades'), family('as', 0.05)];
  const { synthTrain } = loadImageSets(cfg);
  const seqDir = mkdtempSync(join(tmpdir(), 'p3-seq-'));
  const parDir = mkdtempSync(join(tmpdir(), 'p3-par-'));
  try {
    const seq = [];
    for (const f of fams) {
      const r = await trainFamily(f, synthTrain, { cfg, dataset: 'synth', seed: 0, dir: seqDir });
      r.model.dispose();
      seq.push(r.name);
    }
    const lines: string[] = [];
    const log = console.log;
    console.log = (m: string) => lines.push(m);
    let trained: string[];
    try {
      trained = await trainMissing(fams, synthTrain, { cfg, dataset: 'synth', seeds: [0], dir: parDir, workers: 1 });
    } finally {
      console.log = log;
    }
    assert.deepEqual(trained, seq);
    assert.equal(lines.length, fams.length, lines.join('\n'));
    assert.ok(lines.some((l) => /on the worker 0 thread/.test(l)) && lines.some((l) => /on the main thread/.test(l)), lines.join('\n'));
    for (const name of seq) {
      const a = readFileSync(join(seqDir, name, 'weights.bin'));
      const b = readFileSync(join(parDir, name, 'weights.bin'));
      assert.ok(a.length > 0 && a.equals(b), `${name}: weights differ between the sequential and the parallel path`);
    }
    const again = await trainMissing(fams, synthTrain, { cfg, dataset: 'synth', seeds: [0], dir: parDir, workers: 1 });
    assert.deepEqual(again, [], 'nothing left to train');
    const all = await trainAll(fams, synthTrain, { cfg, dataset: 'synth', seeds: [0], dir: parDir });
    assert.ok(all.every((r) => r.cached));
    all.forEach((r) => r.model.dispose());
  } finally {
    rmSync(seqDir, { recursive: true, force: true });
    rmSync(parDir, { recursive: true, force: true });
  }
});

test('trainMissing: a training set that is not loadImageSets(cfg)\'s is left to the sequential loop (warning)', async () => {
  const cfg = config('smoke');
  const train = loadTrainSet(cfg, 'synth');
  train.x = train.x.slice();
  train.x[0] += 0.5; // not the configured data
  const dir = mkdtempSync(join(tmpdir(), 'p3-odd-'));
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => warnings.push(m);
  try {
    await trainMissing([family('standard'), family('trades')], train, { cfg, dataset: 'synth', seeds: [0], dir, workers: 1 });
    assert.match(warnings.join('\n'), /parallel training stopped .*not the one loadImageSets\(cfg\) builds for "synth".*training the rest in sequence/);
  } finally {
    console.warn = warn;
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(isCached('x', {}, { dir }), false);
});
