import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist, loadFashionMnist, loadCifar10, loadFsdd, loadDeamStatic, loadJamendoLyrics } from '../../src/lib/data';

const shared = join(__dirname, '..', '..', '..', 'shared', 'data');
const skip = !existsSync(shared) && 'no shared data shelf';

test('loaders read the full data sets from a folder the user names', { skip }, () => {
  assert.deepEqual(loadMnist(join(shared, 'mnist'), { split: 'test', limit: 50 }).shape, [50, 28, 28, 1]);
  assert.deepEqual(loadFashionMnist(join(shared, 'fashion-mnist'), { split: 'test', limit: 50 }).shape, [50, 28, 28, 1]);
  const c = loadCifar10(join(shared, 'cifar10'), { split: 'train', limit: 20 });
  assert.deepEqual(c.shape, [20, 32, 32, 3]);
  const f = loadFsdd(join(shared, 'fsdd'), { split: 'train', audio: false });
  assert.equal(f.items.length, 2700);
  assert.ok(f.items.every((i) => i.index >= 5));
  assert.equal(loadDeamStatic(join(shared, 'deam')).clips.length, 10);
  assert.equal(loadJamendoLyrics(join(shared, 'jamendolyrics'), { audio: false }).length, 4);
});
