import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readIdx, writeIdx, loadMnist, loadFashionMnist, FASHION_MNIST_CLASSES } from '../../src/lib/data';

const data = join(__dirname, '..', '..', 'data');
const shared = join(__dirname, '..', '..', '..', 'shared', 'data');

test('readIdx reads uint8 IDX, plain and gzipped, and round-trips writeIdx', () => {
  const bytes = writeIdx([2, 3], new Uint8Array([0, 1, 2, 250, 254, 255]));
  assert.deepEqual(Array.from(bytes.subarray(0, 4)), [0, 0, 8, 2]);
  for (const input of [bytes, new Uint8Array(gzipSync(bytes))]) {
    const r = readIdx(input);
    assert.deepEqual(r.dims, [2, 3]);
    assert.equal(r.type, 'uint8');
    assert.deepEqual(Array.from(r.data), [0, 1, 2, 250, 254, 255]);
  }
});

test('readIdx decodes big-endian int32 and float32 IDX', () => {
  const b = new Uint8Array(4 + 4 + 8);
  const v = new DataView(b.buffer);
  b[2] = 0x0c; b[3] = 1; v.setUint32(4, 2); v.setInt32(8, -5); v.setInt32(12, 70000);
  assert.deepEqual(Array.from(readIdx(b).data), [-5, 70000]);
  b[2] = 0x0d; v.setFloat32(8, 1.5); v.setFloat32(12, -0.25);
  assert.deepEqual(Array.from(readIdx(b).data), [1.5, -0.25]);
});

test('readIdx throws on bad magic, truncation, trailing bytes and corrupt gzip, naming the file', () => {
  const good = writeIdx([4], new Uint8Array([1, 2, 3, 4]));
  const bad = good.slice(); bad[2] = 0x42;
  assert.throws(() => readIdx(bad, 'x.idx'), /readIdx\(x\.idx\): bad magic number 00 00 42 01/);
  assert.throws(() => readIdx(good.subarray(0, 10), 'x.idx'), /x\.idx.*size mismatch.*12 bytes, the file has 10 \(truncated\)/);
  assert.throws(() => readIdx(good.subarray(0, 7), 'x.idx'), /x\.idx.*truncated header/);
  assert.throws(() => readIdx(new Uint8Array([...good, 9]), 'x.idx'), /size mismatch.*trailing bytes/);
  assert.throws(() => readIdx(good.subarray(0, 2), 'x.idx'), /truncated: 2 bytes/);
  const gz = new Uint8Array(gzipSync(good));
  assert.throws(() => readIdx(gz.subarray(0, gz.length - 6), 'x.idx.gz'), /x\.idx\.gz: corrupt or truncated gzip/);
});

test('loadMnist / loadFashionMnist read the embedded stratified subsets', () => {
  for (const [load, n, classes] of [[loadMnist, 1000, 10], [loadFashionMnist, 1000, 10]] as const) {
    const s = load(undefined, { split: 'test' });
    assert.deepEqual(s.shape, [n, 28, 28, 1]);
    const counts = new Array(classes).fill(0);
    s.y.forEach((k) => counts[k]++);
    assert.deepEqual(counts, new Array(classes).fill(n / classes));
    let lo = Infinity, hi = -Infinity;
    for (const v of s.x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    assert.equal(lo, 0); assert.equal(hi, 1);
  }
  assert.deepEqual(loadFashionMnist(undefined, { limit: 3 }).classes, FASHION_MNIST_CLASSES);
  assert.equal(loadMnist(undefined, { split: 'train', limit: 7 }).y.length, 7);
});

test('the embedded MNIST test images are byte-identical to images of the shared set', { skip: !existsSync(shared) && 'no shared data' }, () => {
  const full = readIdx(join(shared, 'mnist', 't10k-images-idx3-ubyte.gz'));
  const fullLbl = readIdx(join(shared, 'mnist', 't10k-labels-idx1-ubyte.gz'));
  const h = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
  const known = new Map<string, number>();
  for (let i = 0; i < 10000; i++) known.set(h((full.data as Uint8Array).subarray(i * 784, (i + 1) * 784)), fullLbl.data[i]);
  const sub = readIdx(join(data, 'mnist', 't10k-images-idx3-ubyte.gz'));
  const subLbl = readIdx(join(data, 'mnist', 't10k-labels-idx1-ubyte.gz'));
  for (let i = 0; i < 1000; i += 37) assert.equal(known.get(h((sub.data as Uint8Array).subarray(i * 784, (i + 1) * 784))), subLbl.data[i], `image ${i}`);
});

test('loadMnist throws on a label file that does not match its images, a missing folder and unknown options', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-idx-'));
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), writeIdx([3, 2, 2], new Uint8Array(12)));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), writeIdx([2], new Uint8Array([1, 2])));
  assert.throws(() => loadMnist(dir), /label file .*train-labels-idx1-ubyte has 2 labels but image file .*train-images-idx3-ubyte has 3 images/);
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), writeIdx([3], new Uint8Array([1, 2, 12])));
  assert.throws(() => loadMnist(dir), /label 12 at index 2 .* out of range/);
  copyFileSync(join(data, 'mnist', 't10k-labels-idx1-ubyte.gz'), join(dir, 't10k-labels-idx1-ubyte.gz'));
  assert.throws(() => loadMnist(dir, { split: 'test' }), /none of t10k-images-idx3-ubyte\[\.gz\].* found in/);
  assert.throws(() => loadMnist(join(dir, 'nope')), /folder not found: .*nope\. Expected it to contain train-images-idx3-ubyte/);
  assert.throws(() => loadMnist(undefined, { splitt: 'test' } as never), /unknown option "splitt"/);
  assert.throws(() => loadMnist(undefined, { split: 'val' as never }), /split must be 'train' or 'test'/);
});
