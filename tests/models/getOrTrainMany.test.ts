/**
 * models.getOrTrainMany: the same weights as sequential getOrTrain wherever a model trains (main
 * thread, workers), every missing model trained exactly once, cached ones reused, one spec trains
 * only itself, clear errors. Nothing here depends on which thread takes which model.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup } from '../helpers';
import { getOrTrain, getOrTrainMany, defineTrainer } from '../../src/lib/models';
import type { ModelSpec } from '../../src/lib/models';
import { tinyTrainer } from '../fixtures/models/trainers';

before(setup);

const specs = (seeds: number[], epochs = 3): ModelSpec<{ seed: number; epochs: number; fail?: boolean }>[] =>
  seeds.map((seed) => ({ name: `tiny-s${seed}`, config: { seed, epochs }, trainer: tinyTrainer, args: { seed, epochs }, architecture: 'mlp' }));

const quietly = async <T>(f: (lines: string[]) => Promise<T>): Promise<T> => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (m: string) => lines.push(m);
  try {
    return await f(lines);
  } finally {
    console.log = log;
  }
};

test('getOrTrainMany: byte-identical weights to sequential getOrTrain, on the main thread + a worker and on the workers alone; each model trained once', async () => {
  const seeds = [0, 1, 2];
  const dirs = { seq: mkdtempSync(join(tmpdir(), 'many-seq-')), both: mkdtempSync(join(tmpdir(), 'many-both-')), workers: mkdtempSync(join(tmpdir(), 'many-w-')) };
  try {
    for (const s of specs(seeds)) {
      const r = await getOrTrain(s.name, s.config, () => tinyTrainer.train(s.args), { dir: dirs.seq, architecture: 'mlp' });
      r.model.dispose();
    }
    for (const [dir, options] of [[dirs.both, { workers: 1 }], [dirs.workers, { workers: 1, mainThread: false }]] as const) {
      const trained: string[] = [];
      const n0 = tf.memory().numTensors;
      const rs = await getOrTrainMany(specs(seeds), { ...options, dir, onTrained: (d) => trained.push(d.name) });
      assert.deepEqual(rs.map((r) => r.name), seeds.map((s) => `tiny-s${s}`));
      assert.ok(rs.every((r) => !r.cached), 'trained by this call');
      assert.deepEqual([...trained].sort(), rs.map((r) => r.name), 'every missing model trained exactly once');
      rs.forEach((r) => r.model.dispose());
      assert.equal(tf.memory().numTensors, n0, 'nothing left on the main thread');
      for (const name of trained) {
        const a = readFileSync(join(dirs.seq, name, 'weights.bin'));
        assert.ok(a.length > 0 && a.equals(readFileSync(join(dir, name, 'weights.bin'))), `${name}: weights differ from sequential training (${JSON.stringify(options)})`);
      }
    }
  } finally {
    Object.values(dirs).forEach((d) => rmSync(d, { recursive: true, force: true }));
  }
});

test('getOrTrainMany: cached models are reused (nothing trained, files untouched); asking for one model trains only that one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'many-cache-'));
  try {
    const one = await quietly(() => getOrTrainMany(specs([5]), { dir, workers: 1 }));
    assert.equal(one[0].cached, false);
    one[0].model.dispose();
    assert.deepEqual(readdirSync(dir), ['tiny-s5'], 'one spec: only that model is trained');
    const mtime = statSync(join(dir, 'tiny-s5', 'weights.bin')).mtimeMs;
    const trained: string[] = [];
    const loaded: number[] = [];
    const rs = await getOrTrainMany(specs([5, 6]), { dir, workers: 1, onTrained: (d) => trained.push(d.name), onModel: (r) => loaded.push(r.index) });
    assert.deepEqual(rs.map((r) => r.cached), [true, false]);
    assert.deepEqual(loaded, [0, 1]);
    assert.equal(statSync(join(dir, 'tiny-s5', 'weights.bin')).mtimeMs, mtime, 'the cached model was not rewritten');
    rs.forEach((r) => r.model.dispose());
    const again = await getOrTrainMany(specs([5, 6]), { dir, workers: 1, onTrained: (d) => trained.push(d.name) });
    assert.ok(again.every((r) => r.cached));
    again.forEach((r) => r.model.dispose());
    assert.ok(!trained.includes('tiny-s5'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('getOrTrainMany: a trainer that fails in the parallel step is reported, then its own error surfaces from the sequential pass; no model leaks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'many-fail-'));
  const warnings: string[] = [];
  try {
    const bad = specs([0, 1, 2]);
    bad[1].args = { ...bad[1].args, fail: true };
    const n0 = tf.memory().numTensors;
    await assert.rejects(
      quietly(() => getOrTrainMany(bad, { dir, workers: 1, log: (m) => warnings.push(m) })),
      /tiny trainer: asked to fail \(seed 1\)/,
    );
    assert.equal(tf.memory().numTensors, n0, 'the models loaded before the failure are disposed');
    assert.match(warnings.join('\n'), /getOrTrainMany: parallel training stopped \(runTasks: task "tiny-s1" .*asked to fail.*\); training the rest in sequence/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('getOrTrainMany: bad specs and options are rejected, naming the spec', async () => {
  const s = specs([0])[0];
  await assert.rejects(getOrTrainMany([s, { ...s }]), /two specs are named "tiny-s0"/);
  await assert.rejects(getOrTrainMany([{ ...s, trainer: { train: () => null } as never }]), /specs\[0\] \("tiny-s0"\) needs a trainer from defineTrainer/);
  await assert.rejects(getOrTrainMany([{ ...s, config: undefined }]), /has no config/);
  await assert.rejects(getOrTrainMany([{ ...s, args: { x: 1n } as never }]), /arguments that are not JSON/);
  await assert.rejects(getOrTrainMany([{ ...s, label: 'x' } as never]), /specs\[0\]: unknown option "label"/);
  await assert.rejects(getOrTrainMany([{ ...s, name: '../x' }]), /model name "\.\.\/x"/);
  await assert.rejects(getOrTrainMany([s], { threads: 2 } as never), /unknown option "threads"/);
  await assert.rejects(getOrTrainMany([s], { workers: 0, mainThread: false }), /mainThread: false needs at least one worker/);
  assert.throws(() => defineTrainer('test.tiny', '/somewhere/else.ts', () => null as never), /"models\.trainer:test\.tiny" is already defined by .*trainers\.ts/);
});
