import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup } from '../helpers';
import { mlp, merCnn, singingVoiceCnn, saveModel, loadModel, getOrTrain, modelsDir, readCard, cleanStale } from '../../src/lib/models';

before(setup);

const roots: string[] = [];
const tmpRoot = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-models-'));
  roots.push(d);
  return d;
};
after(() => roots.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const predict = (m: tf.LayersModel, x: tf.Tensor) => tf.tidy(() => Array.from((m.predict(x) as tf.Tensor).dataSync()));

test('save/load round trip gives identical predictions, custom layers included, and a full card', async () => {
  const dir = tmpRoot();
  const cases: [string, tf.LayersModel, number[]][] = [
    ['mlp', mlp({ inputShape: [3], outputs: 2, hidden: [5], seed: 1 }), [4, 3]],
    ['mer', merCnn({ head: 'A2M2E', inputShape: [16, 12, 1], width: 1 / 16, seed: 2 }), [2, 16, 12, 1]],
    ['svd', singingVoiceCnn({ width: 1 / 16, seed: 3 }), [1, 115, 80, 1]],
  ];
  for (const [name, m, shape] of cases) {
    const config = { architecture: name, seed: 1 };
    const card = await saveModel(m, name, { dir, config, metrics: { acc: 0.5 }, data: 'toy' });
    assert.equal(card.parameters, m.countParams());
    const x = tf.randomNormal(shape, 0, 1, 'float32', 9);
    const { model: m2, card: c2 } = await loadModel(name, { dir, config });
    assert.deepEqual(predict(m2, x), predict(m, x), `${name}: identical predictions`);
    assert.deepEqual(fs.readdirSync(path.join(dir, name)).sort(), ['card.json', 'model.json', 'weights.bin']);
    for (const k of ['architecture', 'config', 'seed', 'data', 'metrics', 'trainingSeconds', 'backend', 'tfjsVersion', 'created']) assert.ok(k in c2, k);
    assert.equal(c2.tfjsVersion, tf.version.tfjs);
    x.dispose();
    m.dispose();
    m2.dispose();
  }
  assert.deepEqual(fs.readdirSync(dir).sort(), ['mer', 'mlp', 'svd'], 'no temp folders left');
});

test('loading with a different config is a clear error naming the difference', async () => {
  const dir = tmpRoot();
  const m = mlp({ inputShape: [2], outputs: 2, seed: 0 });
  await saveModel(m, 'a', { dir, config: { width: 0.125, seed: 0 } });
  await assert.rejects(loadModel('a', { dir, config: { width: 0.25, seed: 0 } }), /does not match the requested config \(width: saved 0.125, requested 0.25\)/);
  await loadModel('a', { dir, config: { seed: 0, width: 0.125 } }).then((r) => r.model.dispose()); // key order ignored
  await assert.rejects(loadModel('missing', { dir }), /no saved model "missing"/);
  m.dispose();
});

test('a corrupt model.json or truncated weights.bin is a clear error', async () => {
  const dir = tmpRoot();
  const m = mlp({ inputShape: [2], outputs: 2, seed: 0 });
  await saveModel(m, 'c', { dir, config: {} });
  fs.writeFileSync(path.join(dir, 'c', 'model.json'), '{"modelTopology": {');
  await assert.rejects(loadModel('c', { dir }), /model.json is corrupt/);
  await saveModel(m, 'c', { dir, config: {} });
  const bin = path.join(dir, 'c', 'weights.bin');
  fs.writeFileSync(bin, fs.readFileSync(bin).subarray(0, 10));
  await assert.rejects(loadModel('c', { dir }), /weights.bin is corrupt or partial: 10 bytes/);
  m.dispose();
});

test('an interrupted write: a stale temp folder is ignored and cleaned; the saved model stays intact', async () => {
  const dir = tmpRoot();
  const m = mlp({ inputShape: [2], outputs: 2, seed: 0 });
  await saveModel(m, 'w', { dir, config: { v: 1 } });
  // a crashed writer (pid that does not exist) left a half-written folder
  const stale = path.join(dir, '.w.tmp-999999999-abc123');
  fs.mkdirSync(stale);
  fs.writeFileSync(path.join(stale, 'model.json'), '{');
  // a writer that is still running (this process' parent) must not be disturbed
  const live = path.join(dir, `.w.tmp-${process.ppid}-def456`);
  fs.mkdirSync(live);
  const { model } = await loadModel('w', { dir, config: { v: 1 } });
  assert.ok(!fs.existsSync(stale), 'stale temp folder removed');
  assert.ok(fs.existsSync(live), 'live writer left alone');
  assert.deepEqual(cleanStale(dir, 'w'), []);
  model.dispose();
  m.dispose();
});

test('getOrTrain trains once, then returns the cached model; a config change or a corrupt folder retrains', async () => {
  const dir = tmpRoot();
  let trained = 0;
  const logs: string[] = [];
  const trainFn = () => {
    trained++;
    return { model: mlp({ inputShape: [2], outputs: 2, seed: trained }), metrics: { acc: 1 }, history: [{ epoch: 1, loss: 0.5 }] };
  };
  const opts = { dir, log: (s: string) => logs.push(s) };
  const r1 = await getOrTrain('g', { seed: 1 }, trainFn, opts);
  assert.equal(r1.cached, false);
  assert.ok(r1.card.trainingSeconds! >= 0);
  const r2 = await getOrTrain('g', { seed: 1 }, trainFn, opts);
  assert.equal(r2.cached, true);
  assert.equal(trained, 1);
  const x = tf.tensor2d([[1, 2]]);
  assert.deepEqual(predict(r2.model, x), predict(r1.model, x));
  assert.deepEqual(readCard(path.join(dir, 'g')).metrics, { acc: 1 });
  const r3 = await getOrTrain('g', { seed: 2 }, trainFn, opts);
  assert.equal(r3.cached, false);
  assert.match(logs.join('\n'), /another config \(seed: saved 1, requested 2\); retraining/);
  fs.writeFileSync(path.join(dir, 'g', 'weights.bin'), 'x');
  const r4 = await getOrTrain('g', { seed: 2 }, trainFn, opts);
  assert.equal(r4.cached, false);
  assert.equal(trained, 3);
  assert.match(logs.join('\n'), /unusable .*weights.bin is corrupt or partial.*retraining/);
  for (const r of [r1, r2, r3, r4]) r.model.dispose();
  x.dispose();
  await assert.rejects(getOrTrain('g', { seed: 2 }, trainFn, { dir, verbose: true } as never), /unknown option "verbose"/);
  await assert.rejects(getOrTrain('../evil', {}, trainFn, { dir }), /model name "..\/evil"/);
});

test('modelsDir: ROBUSTLENS_MODELS overrides; default is the project models/ folder', () => {
  assert.equal(modelsDir({ ROBUSTLENS_MODELS: '/tmp/xyz' }), '/tmp/xyz');
  assert.equal(modelsDir({}), path.resolve(__dirname, '..', '..', 'models'));
});

test('getOrTrain stores the training-gradients version in the card; a model saved without it (older engine) is retrained; isCached agrees', async () => {
  const { isCached, TRAINING_GRADIENTS } = await import('../../src/lib/models');
  const dir = tmpRoot();
  const logs: string[] = [];
  let trained = 0;
  const trainFn = () => {
    trained++;
    return mlp({ inputShape: [2], outputs: 2, seed: 1 });
  };
  // a model saved the old way: the card's config is the caller's config only
  const old = mlp({ inputShape: [2], outputs: 2, seed: 1 });
  await saveModel(old, 'h', { dir, config: { seed: 1 } });
  old.dispose();
  assert.equal(isCached('h', { seed: 1 }, { dir }), false);
  const r = await getOrTrain('h', { seed: 1 }, trainFn, { dir, log: (s: string) => logs.push(s) });
  assert.equal(r.cached, false);
  assert.equal(trained, 1);
  assert.match(logs.join('\n'), /another config \(trainingGradients: saved undefined, requested 2\)|another config .*trainingGradients/);
  assert.deepEqual(readCard(path.join(dir, 'h')).config, { seed: 1, trainingGradients: TRAINING_GRADIENTS });
  assert.equal(isCached('h', { seed: 1 }, { dir }), true);
  const again = await getOrTrain('h', { seed: 1 }, trainFn, { dir });
  assert.equal(again.cached, true);
  assert.equal(trained, 1);
  r.model.dispose();
  again.model.dispose();
});
