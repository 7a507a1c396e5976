/** P3: trainAll trains the missing models in parallel (models.getOrTrainMany), byte-for-byte the models
 * sequential trainFamily saves; a training set that is not the configured one trains in sequence. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup } from '../helpers';
import { config, family, loadImageSets, trainAll, trainFamily, loadTrainSet } from '../../src/lib/papers/moshe2024';

before(setup);

test('trainAll (main thread + 1 worker) saves the same weights as sequential trainFamily, each model once; a second trainAll loads them all', async () => {
  const cfg = config('smoke');
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
    const order: string[] = [];
    let all;
    try {
      all = await trainAll(fams, synthTrain, { cfg, dataset: 'synth', seeds: [0], dir: parDir, workers: 1, onModel: (r) => order.push(r.name) });
    } finally {
      console.log = log;
    }
    assert.deepEqual(all.map((r) => r.name), seq);
    assert.deepEqual(order, seq);
    assert.ok(all.every((r) => !r.cached));
    all.forEach((r) => r.model.dispose());
    assert.deepEqual(lines.map((l) => /trained (\S+) in/.exec(l)?.[1]).sort(), [...seq].sort(), `each model trained once:\n${lines.join('\n')}`);
    for (const name of seq) {
      const a = readFileSync(join(seqDir, name, 'weights.bin'));
      const b = readFileSync(join(parDir, name, 'weights.bin'));
      assert.ok(a.length > 0 && a.equals(b), `${name}: weights differ between the sequential and the parallel path`);
    }
    const again = await trainAll(fams, synthTrain, { cfg, dataset: 'synth', seeds: [0], dir: parDir, workers: 1 });
    assert.ok(again.every((r) => r.cached));
    again.forEach((r) => r.model.dispose());
  } finally {
    rmSync(seqDir, { recursive: true, force: true });
    rmSync(parDir, { recursive: true, force: true });
  }
});

test('trainAll: a training set that is not loadImageSets(cfg)\'s trains in sequence on the given set (warning)', async () => {
  const cfg = config('smoke');
  cfg.train.epochs = 1;
  const train = loadTrainSet(cfg, 'synth');
  train.x = train.x.slice();
  train.x[0] += 0.5; // not the configured data
  const dir = mkdtempSync(join(tmpdir(), 'p3-odd-'));
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => warnings.push(m);
  try {
    const rs = await trainAll([family('standard'), family('trades')], train, { cfg, dataset: 'synth', seeds: [0], dir, workers: 1 });
    assert.match(warnings.join('\n'), /trainAll: the training set is not the one loadImageSets\(cfg\) builds for "synth"; training in sequence on the given set/);
    assert.deepEqual(rs.map((r) => r.cached), [false, false]);
    rs.forEach((r) => r.model.dispose());
    assert.equal(readdirSync(dir).length, 2);
  } finally {
    console.warn = warn;
    rmSync(dir, { recursive: true, force: true });
  }
});
