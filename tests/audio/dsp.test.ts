import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/lib/engine';
import { fft, rfft, makeWindow, frameSignal, stft, magnitude, istft, resample } from '../../src/lib/audio';

const sine = (n: number, f: number, sr: number, a = 1, ph = 0) => Float32Array.from({ length: n }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / sr + ph));

test('fft matches the direct DFT and inverts', () => {
  const r = new Rng(1);
  const x = Array.from({ length: 16 }, () => r.normal());
  const re = Float64Array.from(x), im = new Float64Array(16);
  fft(re, im);
  for (let k = 0; k < 16; k++) {
    let sr = 0, si = 0;
    for (let n = 0; n < 16; n++) { sr += x[n] * Math.cos((2 * Math.PI * k * n) / 16); si -= x[n] * Math.sin((2 * Math.PI * k * n) / 16); }
    assert.ok(Math.abs(re[k] - sr) < 1e-12 && Math.abs(im[k] - si) < 1e-12, `bin ${k}`);
  }
  fft(re, im, true);
  for (let n = 0; n < 16; n++) assert.ok(Math.abs(re[n] - x[n]) < 1e-12 && Math.abs(im[n]) < 1e-12);
  assert.throws(() => fft(new Float64Array(12), new Float64Array(12)), /power of two, got 12/);
});

test('rfft gives the direct DFT of a real frame (bins 0..n/2) for n = 2 .. 2048; complex fft of 1024 too', () => {
  const r = new Rng(2);
  for (const n of [2, 4, 8, 64, 2048]) {
    const x = Float64Array.from({ length: n }, () => r.normal());
    const { re, im } = rfft(x);
    assert.equal(re.length, n / 2 + 1);
    let worst = 0;
    for (let k = 0; k <= n / 2; k++) {
      let sr = 0, si = 0;
      for (let m = 0; m < n; m++) { sr += x[m] * Math.cos((2 * Math.PI * k * m) / n); si -= x[m] * Math.sin((2 * Math.PI * k * m) / n); }
      worst = Math.max(worst, Math.abs(re[k] - sr), Math.abs(im[k] - si));
    }
    assert.ok(worst < 1e-9 * n, `n ${n}: max abs error ${worst}`);
    // the same as the complex FFT of the frame
    const cr = Float64Array.from(x), ci = new Float64Array(n);
    fft(cr, ci);
    for (let k = 0; k <= n / 2; k++) assert.ok(Math.abs(cr[k] - re[k]) < 1e-9 && Math.abs(ci[k] - im[k]) < 1e-9, `n ${n} bin ${k}`);
  }
  // writes into given arrays; bad lengths throw
  const outRe = new Float64Array(5), outIm = new Float64Array(5);
  const res = rfft([1, 0, 0, 0, 0, 0, 0, 0], outRe, outIm);
  assert.equal(res.re, outRe);
  assert.deepEqual(Array.from(outRe), [1, 1, 1, 1, 1]);
  assert.throws(() => rfft(new Float64Array(6)), /power of two >= 2, got 6/);
  assert.throws(() => rfft(new Float64Array(1)), /power of two >= 2, got 1/);
  assert.throws(() => rfft(new Float64Array(8), new Float64Array(4), new Float64Array(5)), /output arrays need 5 values/);
});

test('windows: periodic and symmetric hann values; unknown names and bad lengths throw', () => {
  assert.deepEqual(Array.from(makeWindow('hann', 4)), [0, 0.5, 1, 0.5]);
  const s = makeWindow('hann', 5, { periodic: false });
  assert.deepEqual(Array.from(s).map((v) => +v.toFixed(6)), [0, 0.5, 1, 0.5, 0]);
  assert.ok(Math.abs(makeWindow('hamming', 8)[0] - 0.08) < 1e-7);
  assert.ok(makeWindow('rect', 3).every((v) => v === 1));
  assert.throws(() => makeWindow('kaiser' as 'hann', 8), /unknown window "kaiser"/);
  assert.throws(() => makeWindow('hann', 0), /positive integer/);
});

test('frameSignal: centred and uncentred frame counts and contents', () => {
  const x = Float32Array.from({ length: 10 }, (_, i) => i + 1);
  const c = frameSignal(x, { frameLength: 4, hop: 3 });
  assert.deepEqual(c.shape, [1 + Math.floor(10 / 3), 4]);
  assert.deepEqual(Array.from(c.data.slice(0, 4)), [0, 0, 1, 2]); // centred on sample 0
  const u = frameSignal(x, { frameLength: 4, hop: 3, center: false });
  assert.deepEqual(u.shape, [3, 4]);
  assert.deepEqual(Array.from(u.data.slice(4, 8)), [4, 5, 6, 7]);
  assert.throws(() => frameSignal(x.slice(0, 3), { frameLength: 4, hop: 1, center: false }), /needs at least 4/);
  assert.throws(() => frameSignal(x, { frameLength: 4, hop: 0 }), /hop must be a positive integer/);
  assert.throws(() => frameSignal(Float32Array.from([0, NaN]), { frameLength: 2, hop: 1 }), /sample 1 is NaN/);
});

test("a sine's energy lands in its STFT bin", () => {
  const sr = 8000, nFft = 256, k0 = 19;
  const x = sine(2048, (k0 * sr) / nFft, sr);
  const M = magnitude(stft(x, { nFft, hop: 64 }));
  const [T, K] = M.shape;
  for (const t of [5, 10, 20]) {
    const row = M.data.subarray(t * K, (t + 1) * K);
    let arg = 0;
    for (let k = 1; k < K; k++) if (row[k] > row[arg]) arg = k;
    assert.equal(arg, k0);
    assert.ok(Math.abs(row[k0] - nFft / 4) < 1e-3, `peak ${row[k0]} = A * sum(w) / 2 = N/4`); // periodic hann sums to N/2
    let off = 0;
    for (let k = 0; k < K; k++) if (Math.abs(k - k0) > 1) off = Math.max(off, row[k]);
    assert.ok(off < 1e-3, `leakage beyond +-1 bin ${off}`);
  }
  assert.equal(T, 1 + Math.floor(2048 / 64));
});

test('Parseval: frame energy equals the one-sided spectrum energy / N (rect window)', () => {
  const r = new Rng(2);
  const N = 64;
  const x = r.normals(N);
  const X = stft(x, { nFft: N, hop: N, window: 'rect', center: false });
  const P = magnitude(X, 2).data;
  let e = 0;
  for (const v of x) e += v * v;
  let s = P[0] + P[N / 2];
  for (let k = 1; k < N / 2; k++) s += 2 * P[k];
  assert.ok(Math.abs(s / N - e) < 1e-4 * e, `${s / N} vs ${e}`);
});

test('inverse STFT recovers the signal (periodic and symmetric windows, centred or not)', () => {
  const r = new Rng(3);
  const x = r.normals(1000);
  for (const o of [{ nFft: 64, hop: 16 }, { nFft: 256, hop: 88, periodic: false }, { nFft: 128, hop: 32, center: false }, { nFft: 64, hop: 20, window: 'blackman' as const }]) {
    const y = istft(stft(x, o), { ...o, length: x.length });
    // uncentred frames cover [0, last frame end); skip the one-hop edges where only window tails overlap
    const [lo, hi] = o.center === false ? [o.hop, Math.floor((x.length - o.nFft) / o.hop) * o.hop + o.nFft - o.hop] : [0, x.length];
    let err = 0;
    for (let i = lo; i < hi; i++) err = Math.max(err, Math.abs(y[i] - x[i]));
    assert.ok(err < 1e-5, `${JSON.stringify(o)}: max error ${err}`);
  }
  assert.throws(() => istft(stft(x, { nFft: 64 }), { nFft: 128 }), /33 bins, nFft = 128 needs 65/);
  assert.throws(() => stft(x, { nFft: 100 }), /power of two, got 100/);
  assert.throws(() => stft(x, { nFft: 64, hops: 2 } as object), /unknown option "hops"/);
});

/** Frequency of the strongest component (parabolic interpolation on a zero-padded spectrum). */
function peakHz(x: Float32Array, sr: number): number {
  const N = 8192;
  const re = new Float64Array(N), im = new Float64Array(N);
  const w = makeWindow('hann', Math.min(N, x.length));
  const off = Math.floor((x.length - w.length) / 2);
  for (let i = 0; i < w.length; i++) re[i] = x[off + i] * w[i];
  fft(re, im);
  let k = 1;
  const m = (j: number) => Math.hypot(re[j], im[j]);
  for (let j = 1; j < N / 2; j++) if (m(j) > m(k)) k = j;
  const [a, b, c] = [Math.log(m(k - 1)), Math.log(m(k)), Math.log(m(k + 1))];
  return ((k + (0.5 * (a - c)) / (a - 2 * b + c)) * sr) / N;
}

test("resampling keeps a tone's frequency and suppresses what would alias", () => {
  const x = sine(44100, 1000, 44100, 0.5);
  for (const srOut of [22050, 16000, 48000]) {
    const y = resample(x, 44100, srOut);
    assert.equal(y.length, Math.ceil(44100 * (srOut / 44100)));
    assert.ok(Math.abs(peakHz(y, srOut) - 1000) < 1, `${srOut}: ${peakHz(y, srOut)} Hz`);
    let rms = 0;
    for (let i = 1000; i < y.length - 1000; i++) rms += y[i] * y[i];
    rms = Math.sqrt(rms / (y.length - 2000));
    assert.ok(Math.abs(rms - 0.5 / Math.SQRT2) < 0.005, `${srOut}: amplitude kept (${rms})`);
  }
  const high = resample(sine(44100, 15000, 44100, 0.5), 44100, 22050); // above the new Nyquist
  let hr = 0;
  for (let i = 1000; i < high.length - 1000; i++) hr = Math.max(hr, Math.abs(high[i]));
  assert.ok(hr < 5e-3, `15 kHz tone leaks ${hr} after downsampling to 22.05 kHz`);
  assert.throws(() => resample(x, 0, 22050), /sample rates must be positive/);
  assert.throws(() => resample(Float32Array.from([0, Infinity]), 8000, 16000), /sample 1 is Infinity/);
  assert.deepEqual(Array.from(resample(Float32Array.from([1, 2]), 8000, 8000)), [1, 2]);
});
