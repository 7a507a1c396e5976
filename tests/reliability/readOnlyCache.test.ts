/**
 * Issue 21 item 5: a models folder that cannot be written. getOrTrain finds it before training,
 * trains, keeps the model in memory (uncached) and says how to cache it; getOrTrainMany trains in
 * sequence instead of letting workers train models they cannot save. As root, chmod does not stop
 * writes, so the unwritable folder here is one below a regular file (mkdir fails with ENOTDIR), a
 * stand-in for EROFS / EACCES: the same check covers all three.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup } from '../helpers';
import { getOrTrain, getOrTrainMany, mlp } from '../../src/lib/models';
import { tinyTrainer } from '../fixtures/models/trainers';

before(setup);

test('getOrTrain on a models folder that cannot be written: trains once, returns the model uncached, warns with ROBUSTLENS_MODELS', async () => {
  const base = mkdtempSync(join(tmpdir(), 'rl-ro-'));
  try {
    writeFileSync(join(base, 'file'), 'not a folder');
    const dir = join(base, 'file', 'models');
    const warnings: string[] = [];
    let trained = 0;
    const r = await getOrTrain(
      'ro-mlp',
      { seed: 1 },
      () => {
        trained++;
        return mlp({ inputShape: [3], hidden: [4], outputs: 2, seed: 1 });
      },
      { dir, log: (m) => warnings.push(m) },
    );
    assert.equal(trained, 1);
    assert.equal(r.cached, false);
    assert.ok(r.model instanceof tf.LayersModel);
    assert.equal((r.model.predict(tf.zeros([2, 3])) as tf.Tensor).shape.join('x'), '2x2', 'the trained model is usable');
    assert.equal(r.card.name, 'ro-mlp');
    assert.equal(r.card.digests, undefined, 'no files, no digests');
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /getOrTrain: "ro-mlp" was trained but NOT cached: the models folder .*file[\\/]models is not writable \(.*ENOTDIR.*\).*ROBUSTLENS_MODELS/);
    r.model.dispose();
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('getOrTrainMany on a models folder that cannot be written: every model trained once on the main thread, none cached, one warning each', async () => {
  const base = mkdtempSync(join(tmpdir(), 'rl-ro-many-'));
  try {
    writeFileSync(join(base, 'file'), '');
    const dir = join(base, 'file', 'models');
    const warnings: string[] = [];
    const parallel: string[] = [];
    const specs = [0, 1].map((seed) => ({ name: `ro-tiny-s${seed}`, config: { seed, epochs: 1 }, trainer: tinyTrainer, args: { seed, epochs: 1 }, architecture: 'mlp' }));
    const rs = await getOrTrainMany(specs, { dir, workers: 1, log: (m) => warnings.push(m), onTrained: (d) => parallel.push(d.name) });
    assert.deepEqual(rs.map((r) => r.cached), [false, false]);
    assert.deepEqual(parallel, [], 'no parallel step (workers could not save)');
    assert.equal(warnings.filter((w) => /was trained but NOT cached/.test(w)).length, 2, warnings.join('\n'));
    assert.ok(!existsSync(dir));
    rs.forEach((r) => r.model.dispose());
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
