/**
 * Issue 21, loader property test: random truncations and byte corruptions of valid IDX, CIFAR-10,
 * WAV and CSV files (fixed seed, a few hundred cases, seconds). Each either parses to the original
 * values or throws an Error naming the file: no other exception, no hang, no silent garbage.
 *
 * "Silent garbage" is judged by what a format can know. The IDX and CIFAR files are gzipped, as
 * shipped, so gzip's CRC-32 and length catch every corruption: the original values or an error.
 * WAV and CSV carry no checksum: a changed sample byte or digit cannot be told from real data, so
 * for them a corrupted file must give an error or well-formed output (finite samples in [-1, 1]
 * with the declared layout; rectangular rows with the header's columns), and a WAV cut inside its
 * data chunk must be an error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng } from '../../src/lib/engine';
import { readIdx, writeIdx, loadCifar10, readCsv } from '../../src/lib/data';
import { readWav, writeWav } from '../../src/lib/audio';

const CASES = 60; // per format and kind (truncation / corruption)

type Mutant = { bytes: Uint8Array; kind: 'truncated' | 'corrupted'; at: number };

function* mutants(valid: Uint8Array, seed: number): Generator<Mutant> {
  const r = new Rng(seed);
  for (let k = 0; k < CASES; k++) yield { bytes: valid.slice(0, r.int(valid.length)), kind: 'truncated', at: -1 };
  for (let k = 0; k < CASES; k++) {
    const b = valid.slice();
    const at = r.int(b.length);
    b[at] ^= 1 + r.int(255); // always a different byte
    yield { bytes: b, kind: 'corrupted', at };
  }
}

/** Run parse on the mutant written at `file`: the value, or the Error, which must name the file. */
function attempt<T>(file: string, what: string, parse: () => T): { value?: T; error?: Error } {
  try {
    return { value: parse() };
  } catch (e) {
    assert.ok(e instanceof Error, `${what}: threw a non-Error ${String(e)}`);
    assert.ok(e.message.includes(file), `${what}: the error does not name the file: ${e.message}`);
    return { error: e };
  }
}

test('IDX (gzipped) and CIFAR-10 batches (gzipped): every truncation or corruption gives the original values or an error naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-fuzz-img-'));
  try {
    const r = new Rng(1);
    const pixels = Uint8Array.from({ length: 3 * 5 * 4 }, () => r.int(256));
    const idx = gzipSync(writeIdx([3, 5, 4], pixels));
    const file = join(dir, 'images-idx3-ubyte.gz');
    let errors = 0;
    for (const m of mutants(idx, 2)) {
      writeFileSync(file, m.bytes);
      const got = attempt(file, `IDX ${m.kind} at ${m.at} (${m.bytes.length} bytes)`, () => readIdx(file));
      if (got.error) errors++;
      else {
        assert.deepEqual(got.value!.dims, [3, 5, 4], `IDX ${m.kind} at ${m.at}: parsed other dims`);
        assert.deepEqual(Array.from(got.value!.data as Uint8Array), Array.from(pixels), `IDX ${m.kind} at ${m.at}: parsed other values`);
      }
    }
    assert.ok(errors >= CASES, `every truncation is an error (${errors})`);

    const rec = Uint8Array.from({ length: 2 * 3073 }, (_, i) => (i % 3073 === 0 ? (i / 3073) * 3 : r.int(256)));
    const cdir = join(dir, 'cifar');
    mkdirSync(cdir);
    const cfile = join(cdir, 'test_batch.bin.gz');
    const want = loadCifar10((writeFileSync(cfile, gzipSync(rec)), cdir), { split: 'test' });
    for (const m of mutants(gzipSync(rec), 3)) {
      writeFileSync(cfile, m.bytes);
      const got = attempt(cfile, `CIFAR ${m.kind} at ${m.at}`, () => loadCifar10(cdir, { split: 'test' }));
      if (got.value) {
        assert.deepEqual(Array.from(got.value.y), Array.from(want.y));
        assert.deepEqual(got.value.x, want.x, `CIFAR ${m.kind} at ${m.at}: parsed other values`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('WAV (16-bit and float): a truncation inside the data is an error naming the file; any mutant is an error naming it or well-formed audio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-fuzz-wav-'));
  try {
    const r = new Rng(4);
    const left = Float32Array.from({ length: 40 }, () => r.range(-0.9, 0.9));
    const right = Float32Array.from({ length: 40 }, () => r.range(-0.9, 0.9));
    for (const [name, opts] of [['pcm16', { bitDepth: 16 as const }], ['float', { bitDepth: 32 as const, float: true }]] as const) {
      const valid = writeWav([left, right], 8000, opts);
      const file = join(dir, `${name}.wav`);
      const dataStart = valid.length - 40 * 2 * (name === 'float' ? 4 : 2);
      for (const m of mutants(valid, name === 'float' ? 5 : 6)) {
        writeFileSync(file, m.bytes);
        const what = `WAV ${name} ${m.kind} at ${m.at} (${m.bytes.length} bytes)`;
        const got = attempt(file, what, () => readWav(file));
        if (m.kind === 'truncated') assert.ok(got.error, `${what}: a cut file parsed`);
        if (got.value) {
          const w = got.value;
          assert.ok(w.sampleRate > 0 && w.channels.length >= 1, `${what}: bad layout`);
          const n = w.channels[0].length;
          assert.ok(n > 0 && w.channels.every((c) => c.length === n), `${what}: ragged or empty channels`);
          for (const c of w.channels) for (const v of c) assert.ok(Number.isFinite(v) && Math.abs(v) <= 1 + 1e-6 || (name === 'float' && Number.isFinite(v)), `${what}: sample ${v}`);
          if (m.at >= dataStart) assert.equal(w.channels.length, 2, `${what}: a sample byte changed the layout`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CSV: any truncation or corruption is an error naming the file or rectangular rows under the original header', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-fuzz-csv-'));
  try {
    const r = new Rng(7);
    const lines = ['song_id,valence,"arousal, mean"'];
    for (let i = 0; i < 12; i++) lines.push(`${i},${r.range(-1, 1).toFixed(4)},"${r.range(1, 9).toFixed(2)}"`);
    const valid = new Uint8Array(Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'));
    const file = join(dir, 'ratings.csv');
    for (const m of mutants(valid, 8)) {
      writeFileSync(file, m.bytes);
      const what = `CSV ${m.kind} at ${m.at} (${m.bytes.length} bytes)`;
      const got = attempt(file, what, () => readCsv(file));
      if (got.value) {
        const t = got.value;
        assert.ok(t.columns.length >= 1 && t.rows.length >= 1, `${what}: empty table`);
        assert.ok(t.rows.every((row) => row.length === t.columns.length), `${what}: ragged rows`);
        if (m.kind === 'truncated' || m.at > lines[0].length + 2) assert.deepEqual(t.columns, ['song_id', 'valence', 'arousal, mean'], `${what}: the header changed`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
