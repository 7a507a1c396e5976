/**
 * Cached models are verified (issue 21 item 1): a card carries SHA-256 digests of weights.bin and
 * of model.json's topology; altered files or a card without digests never load as a valid model.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup } from '../helpers';
import { mlp, saveModel, loadModel, getOrTrain, isCached, readCard, modelDigests, DigestMismatchError, cacheConfig } from '../../src/lib/models';

before(setup);

const roots: string[] = [];
after(() => roots.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tmpRoot(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-digests-'));
  roots.push(d);
  return d;
}

const CONFIG = { architecture: 'mlp', seed: 1 };
const make = (seed: number) => mlp({ inputShape: [3], outputs: 2, hidden: [4], seed });

/** A saved model in a fresh folder (through getOrTrain, so its card has the cache config). */
async function saved(): Promise<{ dir: string; folder: string }> {
  const dir = tmpRoot();
  const r = await getOrTrain('m', CONFIG, () => make(1), { dir, log: () => {} });
  r.model.dispose();
  return { dir, folder: path.join(dir, 'm') };
}

function editWeights(folder: string, edit: (f: Float32Array) => void): void {
  const file = path.join(folder, 'weights.bin');
  const buf = fs.readFileSync(file);
  const f = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  edit(f);
  fs.writeFileSync(file, new Uint8Array(f.buffer));
}

const corruptions: [string, RegExp, (folder: string, dir: string) => Promise<void> | void][] = [
  [
    'flipped bytes',
    /weights\.bin does not match the digest/,
    (folder) => {
      const file = path.join(folder, 'weights.bin');
      const b = fs.readFileSync(file);
      b[5] ^= 0xff;
      b[17] ^= 0x10;
      fs.writeFileSync(file, b);
    },
  ],
  ['one NaN', /weights\.bin does not match the digest/, (folder) => editWeights(folder, (f) => (f[2] = NaN))],
  ['all zeros', /weights\.bin does not match the digest/, (folder) => editWeights(folder, (f) => f.fill(0))],
  [
    "another model's weights (same architecture)",
    /weights\.bin does not match the digest/,
    async (folder, dir) => {
      const other = make(2);
      await saveModel(other, 'other', { dir, config: { seed: 2 } });
      other.dispose();
      fs.copyFileSync(path.join(dir, 'other', 'weights.bin'), path.join(folder, 'weights.bin'));
    },
  ],
  [
    'relu -> tanh in model.json',
    /model\.json does not match the digest/,
    (folder) => {
      const file = path.join(folder, 'model.json');
      const s = fs.readFileSync(file, 'utf8');
      assert.match(s, /"activation":"relu"/);
      fs.writeFileSync(file, s.replace('"activation":"relu"', '"activation":"tanh"'));
    },
  ],
  [
    'a card without digests',
    /has no SHA-256 digests, so .* cannot be verified/,
    (folder) => {
      const file = path.join(folder, 'card.json');
      const card = JSON.parse(fs.readFileSync(file, 'utf8'));
      delete card.digests;
      fs.writeFileSync(file, JSON.stringify(card));
    },
  ],
];

test('a saved card carries SHA-256 digests of the files on disk; an untouched model loads as cached', async () => {
  const { dir, folder } = await saved();
  const card = readCard(folder);
  assert.equal(card.cardVersion, 2);
  assert.deepEqual(card.digests, modelDigests(folder));
  assert.match(card.digests!.weights, /^[0-9a-f]{64}$/);
  assert.equal(isCached('m', CONFIG, { dir }), true);
  // re-indenting model.json changes no digest (the topology digest is of the parsed JSON)
  const mj = path.join(folder, 'model.json');
  fs.writeFileSync(mj, JSON.stringify(JSON.parse(fs.readFileSync(mj, 'utf8')), null, 2) + '\r\n');
  let trained = 0;
  const r = await getOrTrain('m', CONFIG, () => (trained++, make(1)), { dir });
  assert.equal(r.cached, true);
  assert.equal(trained, 0);
  r.model.dispose();
});

for (const [what, message, corrupt] of corruptions) {
  test(`cached model with ${what}: loadModel throws naming the file, getOrTrain says so and retrains, isCached is false`, async () => {
    const { dir, folder } = await saved();
    await corrupt(folder, dir);
    await assert.rejects(loadModel('m', { dir, config: cacheConfig(CONFIG) }), (e: Error) => {
      assert.ok(e instanceof DigestMismatchError, `a DigestMismatchError, got ${e.name}: ${e.message}`);
      assert.match(e.message, /^loadModel: /);
      assert.match(e.message, message);
      assert.ok(e.message.includes(folder), 'names the folder');
      return true;
    });
    assert.equal(isCached('m', CONFIG, { dir }), false);
    const logs: string[] = [];
    let trained = 0;
    const r = await getOrTrain('m', CONFIG, () => (trained++, make(1)), { dir, log: (s) => logs.push(s) });
    assert.equal(r.cached, false, 'retrained');
    assert.equal(trained, 1);
    assert.match(logs.join('\n'), /saved "m" failed verification .*; retraining/);
    assert.match(logs.join('\n'), message);
    r.model.dispose();
    // the retrained model is saved with fresh digests and is reused afterwards
    assert.deepEqual(readCard(folder).digests, modelDigests(folder));
    const again = await getOrTrain('m', CONFIG, () => (trained++, make(1)), { dir });
    assert.equal(again.cached, true);
    assert.equal(trained, 1);
    again.model.dispose();
  });
}

test('every committed model under models/ has a card whose digests match its files', () => {
  const root = path.resolve(__dirname, '..', '..', 'models');
  const folders = fs.existsSync(root) ? fs.readdirSync(root).filter((n) => fs.existsSync(path.join(root, n, 'card.json'))) : [];
  for (const n of folders) {
    const card = readCard(path.join(root, n));
    assert.deepEqual(card.digests, modelDigests(path.join(root, n)), `${n}: card digests match (run node scripts/model-digests.mjs after retraining by hand)`);
  }
});

test('loading verified weights gives the saved predictions (digests do not alter the load)', async () => {
  const { dir } = await saved();
  const m = make(1);
  const { model } = await loadModel('m', { dir });
  const x = tf.tensor2d([[0.1, -2, 3]]);
  const p = (mm: tf.LayersModel) => tf.tidy(() => Array.from((mm.predict(x) as tf.Tensor).dataSync()));
  assert.deepEqual(p(model), p(m));
  x.dispose();
  m.dispose();
  model.dispose();
});
