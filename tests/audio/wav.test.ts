import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav, writeWav, toMono } from '../../src/lib/audio/wav';

/** Samples on the b-bit grid (so quantisation is exact), covering both extremes. */
function gridSignal(bits: number, n: number, phase = 0): Float32Array {
  const full = 2 ** (bits - 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.round(Math.sin(0.37 * i + phase) * (full - 1));
    out[i] = v / full;
  }
  out[0] = -1; // the most negative code
  out[1] = (full - 1) / full; // the most positive code
  return out;
}

for (const bits of [8, 16, 24] as const) {
  test(`${bits}-bit PCM stereo write/read round-trips exactly`, () => {
    const l = gridSignal(bits, 101);
    const r = gridSignal(bits, 101, 1.3);
    const bytes = writeWav([l, r], 22050, { bitDepth: bits });
    assert.equal(bytes.length, 44 + 101 * 2 * (bits / 8) + ((101 * 2 * (bits / 8)) & 1));
    const back = readWav(bytes);
    assert.equal(back.sampleRate, 22050);
    assert.equal(back.channels.length, 2);
    assert.deepEqual(Array.from(back.channels[0]), Array.from(l));
    assert.deepEqual(Array.from(back.channels[1]), Array.from(r));
  });
}

test('32-bit PCM round-trips exactly for float32-representable grid values', () => {
  // k / 2^31 with k having at most 24 significant bits is exact in float32.
  const x = new Float32Array([-1, 0, 0.5, -0.25, 12345 / 2 ** 23, -(2 ** 23 - 1) / 2 ** 23]);
  const back = readWav(writeWav(x, 48000, { bitDepth: 32 }));
  assert.deepEqual(Array.from(back.channels[0]), Array.from(x));
  assert.equal(back.sampleRate, 48000);
});

test('32-bit float round-trips bit-exactly (mono, odd rate)', () => {
  const x = new Float32Array([0.1, -0.7, 1e-8, 0.999, -1, 0.333]);
  const back = readWav(writeWav(x, 11025, { float: true }));
  assert.deepEqual(Array.from(back.channels[0]), Array.from(x));
  assert.equal(back.sampleRate, 11025);
});

test('write clips out-of-range samples to full scale', () => {
  const back = readWav(writeWav(new Float32Array([2, -3]), 8000, { bitDepth: 16 }));
  assert.deepEqual(Array.from(back.channels[0]), [32767 / 32768, -1]);
});

test('reads WAVE_FORMAT_EXTENSIBLE headers and skips unknown chunks; reads from a path', () => {
  const x = gridSignal(16, 20);
  const plain = writeWav([x, x, x], 16000, { bitDepth: 16 });
  const data = plain.subarray(36); // "data" chunk
  const fmt = new Uint8Array(8 + 40);
  const v = new DataView(fmt.buffer);
  fmt.set([0x66, 0x6d, 0x74, 0x20]);
  v.setUint32(4, 40, true);
  v.setUint16(8, 0xfffe, true);
  v.setUint16(10, 3, true);
  v.setUint32(12, 16000, true);
  v.setUint32(16, 16000 * 6, true);
  v.setUint16(20, 6, true);
  v.setUint16(22, 16, true);
  v.setUint16(24, 22, true);
  v.setUint16(26, 16, true);
  v.setUint32(28, 7, true);
  v.setUint16(32, 1, true); // SubFormat: PCM
  const list = new Uint8Array([0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]); // odd-sized LIST chunk + pad
  const body = new Uint8Array(4 + fmt.length + list.length + data.length);
  body.set([0x57, 0x41, 0x56, 0x45]);
  body.set(fmt, 4);
  body.set(list, 4 + fmt.length);
  body.set(data, 4 + fmt.length + list.length);
  const file = new Uint8Array(8 + body.length);
  file.set([0x52, 0x49, 0x46, 0x46]);
  new DataView(file.buffer).setUint32(4, body.length, true);
  file.set(body, 8);
  const dir = mkdtempSync(join(tmpdir(), 'wav-'));
  const path = join(dir, 'ext.wav');
  writeFileSync(path, file);
  const back = readWav(path);
  assert.equal(back.sampleRate, 16000);
  assert.equal(back.channels.length, 3);
  for (const ch of back.channels) assert.deepEqual(Array.from(ch), Array.from(x));
});

test('toMono averages channels', () => {
  const m = toMono([new Float32Array([1, 0, 0.5]), new Float32Array([0, 0, -0.5])]);
  assert.deepEqual(Array.from(m), [0.5, 0, 0]);
  assert.throws(() => toMono([new Float32Array(2), new Float32Array(3)]), /channel 1 has 3 samples/);
  assert.throws(() => toMono([]), /non-empty/);
});

test('throws on a truncated file', () => {
  const bytes = writeWav(new Float32Array(100), 8000);
  assert.throws(() => readWav(bytes.subarray(0, 8)), /truncated file/);
  assert.throws(() => readWav(bytes.subarray(0, 30)), /truncated file/);
  assert.throws(() => readWav(bytes.subarray(0, 100)), /truncated file \(data chunk declares 200 bytes, 56 present\)/);
});

test('throws on a non-RIFF/WAVE file', () => {
  const bytes = new TextEncoder().encode('ID3\u0004 this is an mp3, honest');
  assert.throws(() => readWav(bytes), /not a RIFF\/WAVE file/);
});

test('throws on an unsupported encoding, naming it', () => {
  const bytes = writeWav(new Float32Array(10), 8000).slice();
  const v = new DataView(bytes.buffer);
  v.setUint16(20, 7, true); // mu-law
  v.setUint16(34, 8, true);
  assert.throws(() => readWav(bytes), /unsupported encoding mu-law \(8-bit\)/);
  v.setUint16(20, 3, true); // 64-bit float
  v.setUint16(34, 64, true);
  assert.throws(() => readWav(bytes), /unsupported encoding 64-bit float/);
  v.setUint16(20, 1, true);
  v.setUint16(34, 12, true);
  assert.throws(() => readWav(bytes), /unsupported encoding 12-bit PCM/);
});

test('write throws on NaN samples, bad options and mismatched channels', () => {
  assert.throws(() => writeWav(new Float32Array([0, NaN]), 8000), /sample 1 is NaN/);
  assert.throws(() => writeWav(new Float32Array(2), 8000, { bitDepth: 12 as 16 }), /bitDepth must be 8, 16, 24 or 32/);
  assert.throws(() => writeWav(new Float32Array(2), 8000, { float: true, bitDepth: 16 }), /float samples are 32-bit/);
  assert.throws(() => writeWav(new Float32Array(2), 8000, { depth: 16 } as object), /unknown option "depth"/);
  assert.throws(() => writeWav([new Float32Array(2), new Float32Array(3)], 8000), /channel 1 has 3 samples/);
  assert.throws(() => writeWav(new Float32Array(2), 0), /sampleRate must be a positive integer/);
});
