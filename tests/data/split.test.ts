import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { split, splitIndices, partCounts, batches, toTensors, ImageSet, dataDir } from '../../src/lib/data';

before(setup);

function toySet(n: number, K: number): ImageSet {
  const x = new Float32Array(n * 2 * 2);
  for (let i = 0; i < n; i++) x.fill(i, i * 4, i * 4 + 4);
  return { x, shape: [n, 2, 2, 1], y: Int32Array.from({ length: n }, (_, i) => i % K), classes: Array.from({ length: K }, (_, k) => `c${k}`) };
}

test('partCounts uses largest remainders: 360 -> 288/36/36, 10 -> 8/1/1, 7 -> 5/1/1', () => {
  assert.deepEqual(partCounts(360, [0.8, 0.1, 0.1]), [288, 36, 36]);
  assert.deepEqual(partCounts(10, [0.8, 0.1, 0.1]), [8, 1, 1]);
  assert.deepEqual(partCounts(7, [0.8, 0.1, 0.1]), [5, 1, 1]);
  assert.deepEqual(partCounts(5, [0.5, 0.5]), [3, 2]);
});

test('splitIndices partitions 0..n-1, is seeded and depends on the seed', () => {
  const a = splitIndices(360, { fractions: [0.8, 0.1, 0.1], seed: 6 });
  assert.deepEqual(a.map((p) => p.length), [288, 36, 36]);
  assert.deepEqual(a.flat().sort((x, y) => x - y), Array.from({ length: 360 }, (_, i) => i));
  assert.deepEqual(splitIndices(360, { fractions: [0.8, 0.1, 0.1], seed: 6 }), a);
  assert.notDeepEqual(splitIndices(360, { fractions: [0.8, 0.1, 0.1], seed: 7 })[2], a[2]);
});

test('split stratifies by class, keeps images with their labels, and validates fractions', () => {
  const set = toySet(100, 4);
  const [tr, va, te] = split(set, { fractions: [0.6, 0.2, 0.2], seed: 1 });
  for (const [part, per] of [[tr, 15], [va, 5], [te, 5]] as const) {
    const counts = [0, 0, 0, 0];
    part.y.forEach((k) => counts[k]++);
    assert.deepEqual(counts, [per, per, per, per]);
    for (let j = 0; j < part.shape[0]; j++) assert.equal(part.x[j * 4] % 4, part.y[j], 'image stays with its label');
  }
  assert.throws(() => split(set, { fractions: [0.5, 0.4] }), /fractions must sum to 1, they sum to 0\.9/);
  assert.throws(() => split(set, { fraction: [1] } as never), /unknown option "fraction"/);
});

test('batches covers every image once per pass, is seeded, and respects dropLast', () => {
  const set = toySet(10, 2);
  const b = [...batches(set, 4, { seed: 3 })];
  assert.deepEqual(b.map((x) => x.shape[0]), [4, 4, 2]);
  assert.deepEqual(b.flatMap((x) => Array.from(x.x.filter((_, i) => i % 4 === 0))).sort((p, q) => p - q), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...batches(set, 4, { seed: 3 })].map((x) => x.indices), b.map((x) => x.indices));
  assert.deepEqual([...batches(set, 4, { shuffle: false })][0].indices, [0, 1, 2, 3]);
  assert.equal([...batches(set, 4, { dropLast: true })].length, 2);
  assert.throws(() => [...batches(set, 0)], /batchSize must be a positive integer/);
});

test('toTensors makes [n,h,w,c] float32 and int32 tensors with the same values, no leaks, rejects NaN', async () => {
  const set = toySet(3, 2);
  await noLeak(() => {
    const { x, y } = toTensors(set);
    assert.deepEqual(x.shape, [3, 2, 2, 1]);
    assert.equal(y.dtype, 'int32');
    assert.deepEqual(Array.from(x.dataSync()), Array.from(set.x));
    assert.deepEqual(Array.from(y.dataSync()), [0, 1, 0]);
    tf.dispose([x, y]);
  });
  const bad = toySet(2, 2);
  bad.x[5] = NaN;
  assert.throws(() => toTensors(bad), /NaN or Infinity \(image 1, flat index 5\)/);
  assert.throws(() => toTensors({ ...bad, y: new Int32Array(3) }), /y has 3 labels but the set has 2 images/);
});

test('dataDir defaults to the project data/ and honours ROBUSTLENS_DATA', () => {
  const prev = process.env.ROBUSTLENS_DATA;
  try {
    delete process.env.ROBUSTLENS_DATA;
    assert.match(dataDir('mnist'), /[\\/]data[\\/]mnist$/);
    process.env.ROBUSTLENS_DATA = '/tmp/elsewhere';
    assert.equal(dataDir('mnist'), '/tmp/elsewhere/mnist');
  } finally {
    if (prev === undefined) delete process.env.ROBUSTLENS_DATA; else process.env.ROBUSTLENS_DATA = prev;
  }
});
