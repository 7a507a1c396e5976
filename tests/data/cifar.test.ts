import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadCifar10, CIFAR10_CLASSES } from '../../src/lib/data';

test('loadCifar10 reads the embedded subset: 1,000 stratified test images, NHWC in [0,1]', () => {
  const s = loadCifar10(undefined, { split: 'test' });
  assert.deepEqual(s.shape, [1000, 32, 32, 3]);
  assert.deepEqual(s.classes, CIFAR10_CLASSES);
  const counts = new Array(10).fill(0);
  s.y.forEach((k) => counts[k]++);
  assert.deepEqual(counts, new Array(10).fill(100));
  assert.ok(s.x.every((v) => v >= 0 && v <= 1));
  assert.equal(loadCifar10(undefined, { limit: 5 }).shape[0], 5);
});

test('loadCifar10 maps the planar R, G, B record layout to NHWC', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-cifar-'));
  const rec = new Uint8Array(3073);
  rec[0] = 7;
  for (let p = 0; p < 1024; p++) { rec[1 + p] = p % 256; rec[1025 + p] = 255; rec[2049 + p] = 0; }
  writeFileSync(join(dir, 'test_batch.bin'), gzipSync(rec));
  const s = loadCifar10(dir, { split: 'test' });
  assert.deepEqual(Array.from(s.y), [7]);
  const px = (r: number, c: number, k: number) => s.x[(r * 32 + c) * 3 + k];
  assert.equal(px(0, 5, 0), Math.fround(5 / 255));
  assert.equal(px(3, 2, 0), Math.fround(((3 * 32 + 2) % 256) / 255));
  assert.equal(px(3, 2, 1), 1);
  assert.equal(px(3, 2, 2), 0);
});

test('loadCifar10 throws on a file of the wrong length, a bad label and a missing folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-cifar-'));
  writeFileSync(join(dir, 'data_batch_1.bin'), new Uint8Array(3073 * 2 - 10));
  assert.throws(() => loadCifar10(dir), /data_batch_1\.bin has 6136 bytes, not a multiple of 3073 .*truncated or not a CIFAR-10 binary batch/);
  const bad = new Uint8Array(3073); bad[0] = 11;
  writeFileSync(join(dir, 'data_batch_1.bin'), bad);
  assert.throws(() => loadCifar10(dir), /label byte 11 of record 0 .*data_batch_1\.bin/);
  assert.throws(() => loadCifar10(dir, { split: 'test' }), /no test batch \(test_batch\.bin\[\.gz\]\)/);
  assert.throws(() => loadCifar10(join(dir, 'missing')), /folder not found.*Expected it to contain CIFAR-10 binary batches/);
});
