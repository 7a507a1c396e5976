import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImageFolder } from '../../src/lib/data';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { PNG } = require('pngjs');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jpeg = require('jpeg-js');

function rgba(w: number, h: number, f: (r: number, c: number) => [number, number, number]): Buffer {
  const d = Buffer.alloc(w * h * 4);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) { const [R, G, B] = f(r, c); d.set([R, G, B, 255], (r * w + c) * 4); }
  return d;
}
function png(w: number, h: number, f: (r: number, c: number) => [number, number, number]): Buffer {
  const p = new PNG({ width: w, height: h });
  rgba(w, h, f).copy(p.data);
  return PNG.sync.write(p);
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rl-imgs-'));
  mkdirSync(join(dir, 'b_red')); mkdirSync(join(dir, 'a_grad'));
  writeFileSync(join(dir, 'a_grad', '1.png'), png(4, 3, (r, c) => [c * 60, r * 100, 7]));
  writeFileSync(join(dir, 'a_grad', '2.png'), png(4, 3, () => [0, 0, 0]));
  writeFileSync(join(dir, 'b_red', 'x.jpg'), jpeg.encode({ width: 4, height: 3, data: rgba(4, 3, () => [200, 0, 0]) }, 95).data);
  return dir;
}

test('loadImageFolder reads PNG and JPEG class folders exactly (PNG) and closely (JPEG)', () => {
  const s = loadImageFolder(folder());
  assert.deepEqual(s.classes, ['a_grad', 'b_red']);
  assert.deepEqual(s.shape, [3, 3, 4, 3]);
  assert.deepEqual(Array.from(s.y), [0, 0, 1]);
  const px = (i: number, r: number, c: number, k: number) => s.x[((i * 3 + r) * 4 + c) * 3 + k];
  assert.equal(px(0, 2, 3, 0), Math.fround(180 / 255));
  assert.equal(px(0, 2, 3, 1), Math.fround(200 / 255));
  assert.equal(px(0, 2, 3, 2), Math.fround(7 / 255));
  assert.ok(Math.abs(px(2, 1, 1, 0) - 200 / 255) < 0.05 && px(2, 1, 1, 1) < 0.05, 'JPEG red');
});

test('loadImageFolder converts to grey and resizes bilinearly', () => {
  const s = loadImageFolder(folder(), { channels: 1, size: [6, 8], limitPerClass: 1 });
  assert.deepEqual(s.shape, [2, 6, 8, 1]);
  // a constant image stays constant under resizing; grey = 0.299 R (R=200)
  for (let p = 0; p < 48; p++) assert.ok(Math.abs(s.x[48 + p] - (0.299 * 200) / 255) < 0.02);
  // gradient R = 60 c, G = 100 r: dst (3, 3) samples source (1.25, 1.25) (half-pixel centres) -> R 75, G 125
  assert.ok(Math.abs(s.x[3 * 8 + 3] - (0.299 * 75 + 0.587 * 125 + 0.114 * 7) / 255) < 1e-6);
  // dst column 0 clamps to source column 0: R = 0
  assert.ok(Math.abs(s.x[3 * 8] - (0.587 * 125 + 0.114 * 7) / 255) < 1e-6);
});

test('loadImageFolder throws on a missing folder, no class folders, mixed sizes and corrupt files', () => {
  assert.throws(() => loadImageFolder('/nonexistent/imgs'), /folder not found: \/nonexistent\/imgs\. Expected it to contain one sub-folder per class/);
  const empty = mkdtempSync(join(tmpdir(), 'rl-imgs-'));
  assert.throws(() => loadImageFolder(empty), /has no class sub-folders/);
  const dir = folder();
  writeFileSync(join(dir, 'a_grad', '3.png'), png(5, 5, () => [1, 2, 3]));
  assert.throws(() => loadImageFolder(dir), /3\.png is 5x5 but .*1\.png is 4x3; pass \{ size: \[h, w\] \}/);
  writeFileSync(join(dir, 'a_grad', '3.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  assert.throws(() => loadImageFolder(dir), /3\.png is corrupt or truncated/);
  writeFileSync(join(dir, 'a_grad', '3.png'), 'not an image');
  assert.throws(() => loadImageFolder(dir), /3\.png is neither PNG nor JPEG/);
});
