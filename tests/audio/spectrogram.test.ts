import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, maxRelErr } from '../helpers';
import { Rng } from '../../src/lib/engine';
import {
  logFilterbank, melFilterbank, logFilteredSpectrogram, melSpectrogram, makeSpectrogram, spectrogramConfig,
  spectrogramFromConfig, fitStandardizer, applyStandardizer, snrDb, stft, magnitude, griffinLim,
  invertSpectrogram, filterbankPinv,
} from '../../src/lib/audio';

before(setup);

const sine = (n: number, f: number, sr: number, a = 1) => Float32Array.from({ length: n }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / sr));

function colSums(w: { data: Float32Array; shape: [number, number] }): number[] {
  const [K, B] = w.shape;
  const s = new Array(B).fill(0);
  for (let k = 0; k < K; k++) for (let b = 0; b < B; b++) s[b] += w.data[k * B + b];
  return s;
}

test("filterbank shapes: P1's 149 log bands, P2's 80 mel bands, unit-sum triangles, ascending centres", () => {
  const lf = logFilterbank({ sampleRate: 22050, nFft: 2048, bandsPerOctave: 24, fmin: 20, fmax: 16000 });
  assert.deepEqual(lf.weights.shape, [1025, 149]);
  const mf = melFilterbank({ sampleRate: 22050, nFft: 1024, nMels: 80, fmin: 27.5, fmax: 8000 });
  assert.deepEqual(mf.weights.shape, [513, 80]);
  for (const fb of [lf, mf]) {
    for (const s of colSums(fb.weights)) assert.ok(Math.abs(s - 1) < 1e-5);
    for (let i = 1; i < fb.centers.length; i++) assert.ok(fb.centers[i] > fb.centers[i - 1]);
  }
  // madmom drops the Nyquist bin; bands above 11025 Hz collapse onto the last bin (unique filters)
  assert.ok(lf.weights.data.subarray(1024 * 149).every((v) => v === 0));
  assert.ok(lf.centers[148] > 10000 && lf.centers[148] < 11025, `top band centre ${lf.centers[148]}`);
  assert.ok(Math.abs(lf.centers[0] - (3 * 22050) / 2048) < 1e-3, 'lowest band centred on bin 3 (first bins merge below ~40 Hz)');
  assert.equal(spectrogramConfig('logfilt').fps, 22050 / 704);
  assert.throws(() => logFilterbank({ fmin: 500, fmax: 400 }), /need 0 < fmin < fmax/);
  assert.throws(() => logFilterbank({ nFft: 16, fmin: 1000, fmax: 1100 }), /distinct bins/);
  assert.throws(() => melFilterbank({ fmax: 20000 }), /fmax <= sampleRate\/2/);
  assert.throws(() => melFilterbank({ nMels: 400 }), /covers no STFT bin/);
  assert.throws(() => melFilterbank({ bands: 3 } as object), /unknown option "bands"/);
});

test('a 1 kHz tone peaks in the band centred nearest 1 kHz; frame counts follow the front-ends', () => {
  const x = sine(22050, 1000, 22050, 0.5);
  for (const [S, fb] of [[logFilteredSpectrogram(x), logFilterbank()], [melSpectrogram(x), melFilterbank()]] as const) {
    const [T, B] = S.shape;
    const t = Math.floor(T / 2);
    let arg = 0;
    for (let b = 1; b < B; b++) if (S.data[t * B + b] > S.data[t * B + arg]) arg = b;
    let nearest = 0;
    for (let b = 1; b < B; b++) if (Math.abs(fb.centers[b] - 1000) < Math.abs(fb.centers[nearest] - 1000)) nearest = b;
    assert.ok(Math.abs(arg - nearest) <= 1, `peak band ${arg} (${fb.centers[arg]} Hz), nearest ${nearest}`);
  }
  assert.deepEqual(logFilteredSpectrogram(x).shape, [1 + Math.floor(22050 / 704), 149]);
  assert.deepEqual(melSpectrogram(x).shape, [1 + Math.floor((22050 - 1024) / 315), 80]);
  assert.ok(melSpectrogram(new Float32Array(2048)).data.every((v) => Math.abs(v - Math.log(1e-7)) < 1e-6), 'silence sits at the floor');
  assert.throws(() => melSpectrogram(new Float32Array(500)), /needs at least 1024/);
  assert.throws(() => logFilteredSpectrogram(x, { nMels: 3 } as object), /nMels\/floor apply to kind mel/);
  assert.throws(() => spectrogramConfig('cqt' as 'mel'), /unknown kind "cqt"/);
});

/** Broadband test signal: tones + noise (real audio has a noise floor; see the precision note in makeSpectrogram). */
function testSignal(n: number, seed: number): Float32Array {
  const r = new Rng(seed);
  return Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i * 0.125) + 0.2 * Math.sin(i * 0.61 + 1) + 0.05 * r.normal());
}

test('differentiable spectrogram matches the reference path (logfilt and mel, batch of 2; fft and dft methods), without leaks', async () => {
  const x1 = testSignal(6000, 1), x2 = testSignal(6000, 2);
  for (const [kind, method] of [['logfilt', 'fft'], ['mel', 'fft'], ['logfilt', 'dft'], ['mel', 'dft']] as const) {
    const spec = makeSpectrogram({ kind, method });
    await noLeak(() => {
      const S = tf.tidy(() => spec.fn(tf.tensor2d([...x1, ...x2], [2, 6000])));
      assert.deepEqual(S.shape, [2, spec.frames(6000), kind === 'mel' ? 80 : 149]);
      const d = S.arraySync();
      S.dispose();
      for (const [i, x] of [x1, x2].entries()) {
        const ref = spec.reference(x);
        const err = maxRelErr(d[i].flat(), ref.data);
        assert.ok(err < 1e-4, `${kind} ${method} clip ${i}: max relative error ${err}`);
      }
    });
    spec.dispose();
    assert.throws(() => spec.fn(tf.zeros([1, 6000]) as tf.Tensor2D), /used after dispose/);
  }
  const spec = makeSpectrogram({ kind: 'mel' });
  assert.throws(() => spec.fn(tf.zeros([6000]) as unknown as tf.Tensor2D), /2-D tensor \[batch, samples\]/);
  assert.throws(() => spec.fn(tf.zeros([1, 500]) as tf.Tensor2D), /needs at least nFft = 1024/);
  spec.dispose();
  assert.throws(() => makeSpectrogram({} as { kind: 'mel' }), /kind is required/);
  assert.throws(() => makeSpectrogram({ kind: 'mel', method: 'fast' as 'fft' }), /method must be 'fft' or 'dft'/);
});

test("spectrogram methods 'fft' and 'dft' agree in values and gradients (power 1 and 2, centred or not, batch 2), gradient 0 at silence, no leaks", async () => {
  const r = new Rng(9);
  const cases = [
    { kind: 'logfilt' as const, sampleRate: 8000, nFft: 128, hop: 40, bandsPerOctave: 6, fmin: 100, fmax: 3900 },
    { kind: 'mel' as const, sampleRate: 8000, nFft: 128, hop: 33, nMels: 10, fmin: 50, fmax: 3900, power: 2 as const, log: 'none' as const },
    { kind: 'mel' as const, sampleRate: 8000, nFft: 64, hop: 16, nMels: 8, fmin: 100, fmax: 3500, center: true },
  ];
  for (const o of cases) {
    const n = 700;
    const x = Float32Array.from({ length: 2 * n }, () => r.normal(0, 0.5));
    const fftS = makeSpectrogram({ ...o, method: 'fft' }), dftS = makeSpectrogram({ ...o, method: 'dft' });
    const T = fftS.frames(n), B = fftS.config.filterbank.weights.shape[1];
    const W = tf.tensor3d(Float32Array.from({ length: 2 * T * B }, () => r.normal()), [2, T, B]);
    const wave = tf.tensor2d(x, [2, n]);
    const run = (s: typeof fftS) => tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((w: tf.Tensor) => tf.sum(tf.mul(s.fn(w as tf.Tensor2D), W)))([wave]);
      return { S: s.fn(wave).dataSync(), v: value.dataSync()[0], g: grads[0].dataSync() };
    });
    let a: ReturnType<typeof run> | undefined;
    await noLeak(() => { a = run(fftS); });
    const b = run(dftS);
    assert.ok(maxRelErr(a!.S, b.S) < 1e-4, `${o.kind}: values differ by ${maxRelErr(a!.S, b.S)}`);
    const gErr = maxRelErr(a!.g, b.g);
    assert.ok(gErr < 1e-3, `${o.kind}: gradients differ by ${gErr}`);
    assert.ok(Math.max(...Array.from(a!.g, Math.abs)) > 1e-2, 'non-trivial gradient');
    // silence: |X| = sqrt(0 + 1e-20), gradient 0 (not NaN), as on the dft path
    const g0 = tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(fftS.fn(w as tf.Tensor2D)))(tf.zeros([1, n])).dataSync());
    assert.ok(g0.every((v) => v === 0), 'gradient at silence is 0');
    tf.dispose([W, wave]);
    fftS.dispose();
    dftS.dispose();
  }
});

test('gradients of the differentiable spectrogram (fft and dft methods) match finite differences of the reference', () => {
  const r = new Rng(5);
  const cases = (['fft', 'dft'] as const).flatMap((method) => [
    { kind: 'mel' as const, sampleRate: 8000, nFft: 64, hop: 24, nMels: 6, fmin: 100, fmax: 3500, method },
    { kind: 'logfilt' as const, sampleRate: 8000, nFft: 64, hop: 24, bandsPerOctave: 3, fmin: 300, fmax: 3800, method },
  ]);
  for (const o of cases) {
    const { method, ...co } = o;
    const spec = makeSpectrogram({ ...co, method });
    const n = 96;
    const x = Float64Array.from({ length: n }, () => r.normal(0, 0.5));
    const T = spec.frames(n), B = spec.config.filterbank.weights.shape[1];
    const wts = Float64Array.from({ length: T * B }, () => r.normal());
    const f = (v: Float64Array) => {
      const S = spectrogramFromConfig(v, spec.config).data;
      let s = 0;
      for (let i = 0; i < S.length; i++) s += wts[i] * S[i];
      return s;
    };
    const g = tf.tidy(() => {
      const W = tf.tensor3d(Float32Array.from(wts), [1, T, B]);
      return tf.grad((w: tf.Tensor) => tf.sum(tf.mul(spec.fn(w as tf.Tensor2D), W)))(tf.tensor2d(Float32Array.from(x), [1, n])).dataSync();
    });
    const h = 1e-3;
    const fd = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = x.slice(), m = x.slice();
      p[i] += h; m[i] -= h;
      fd[i] = (f(p) - f(m)) / (2 * h);
    }
    const err = maxRelErr(g, fd);
    assert.ok(err < 2e-2, `${o.kind} ${method}: gradient max relative error ${err}`);
    assert.ok(Math.max(...Array.from(fd, Math.abs)) > 0.1, 'non-trivial gradient');
    spec.dispose();
  }
});

test('standardizer: per band and global; Mat and tensor paths agree; errors', async () => {
  const a = { data: Float32Array.from([1, 10, 3, 30, 5, 50]), shape: [3, 2] as [number, number] };
  const st = fitStandardizer([a]);
  assert.deepEqual(Array.from(st.mean), [3, 30]);
  const z = applyStandardizer(st, a);
  assert.deepEqual(Array.from(z.data).map((v) => +v.toFixed(5)), [-1.22474, -1.22474, 0, 0, 1.22474, 1.22474]);
  const g = fitStandardizer(a, { perBand: false });
  assert.equal(g.mean.length, 1);
  assert.ok(Math.abs(g.mean[0] - 99 / 6) < 1e-5);
  await noLeak(() => {
    const t = tf.tidy(() => applyStandardizer(st, tf.tensor3d(a.data, [1, 3, 2])).dataSync());
    assert.ok(maxRelErr(t, z.data) < 1e-6);
  });
  assert.throws(() => applyStandardizer(st, { data: new Float32Array(3), shape: [1, 3] }), /has 3 bands, the standardizer 2/);
  assert.throws(() => fitStandardizer([a, { data: new Float32Array(3), shape: [1, 3] }]), /spectrogram 1 has 3 bands/);
  assert.throws(() => fitStandardizer({ data: Float32Array.from([NaN, 1]), shape: [1, 2] }), /holds NaN/);
  assert.throws(() => fitStandardizer(a, { global: true } as object), /unknown option "global"/);
});

test('snrDb: 20 log10(||x|| / ||x - xAdv||) of one signal (batches: tests/attacks/perturbationSizes)', async () => {
  const x = Float32Array.from([3, 4, 0, 0]);
  assert.ok(Math.abs(snrDb(x, x.map((v) => v * 1.01)) - 40) < 1e-4);
  assert.ok(Math.abs(snrDb(x, Float32Array.from([3, 4, 0.5, 0])) - 20) < 1e-9);
  assert.equal(snrDb(x, x), Infinity);
  assert.throws(() => snrDb(x, x.slice(1)), /x has 4 samples, xAdv has 3/);
  assert.throws(() => snrDb(x, Float32Array.from([NaN, 0, 0, 0])), /not finite/);
});

test('filterbank pseudo-inverse: F W+ W = F, and inversion with the original phase reproduces the spectrogram', () => {
  const cfg = spectrogramConfig('mel');
  const W = cfg.filterbank.weights;
  const P = filterbankPinv(W);
  // W+ W ~ identity [B, B]
  const B = W.shape[1], K = W.shape[0];
  let err = 0;
  for (let a = 0; a < B; a++) for (let b = 0; b < B; b++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += P.data[a * K + k] * W.data[k * B + b];
    err = Math.max(err, Math.abs(s - (a === b ? 1 : 0)));
  }
  assert.ok(err < 1e-3, `W+ W - I max ${err}`);
  const x = testSignal(8000, 9);
  for (const kind of ['mel', 'logfilt'] as const) {
    const S = kind === 'mel' ? melSpectrogram(x) : logFilteredSpectrogram(x);
    const y = invertSpectrogram(S, { kind, phaseFrom: x });
    assert.equal(y.length, x.length);
    const S2 = kind === 'mel' ? melSpectrogram(y) : logFilteredSpectrogram(y);
    // compare in the linear domain, away from the first/last frames
    let num = 0, den = 0;
    const Bk = S.shape[1];
    for (let i = 2 * Bk; i < S.data.length - 2 * Bk; i++) {
      const a = kind === 'mel' ? Math.exp(S.data[i]) : 10 ** S.data[i] - 1, b = kind === 'mel' ? Math.exp(S2.data[i]) : 10 ** S2.data[i] - 1;
      num += (a - b) ** 2; den += a * a;
    }
    assert.ok(num / den < 0.05, `${kind}: relative re-analysis error ${num / den}`);
  }
  assert.throws(() => invertSpectrogram(melSpectrogram(x), { kind: 'logfilt' }), /80 bands, the logfilt filterbank 149/);
  assert.throws(() => invertSpectrogram(melSpectrogram(x), { kind: 'mel', phaseFrom: x.slice(0, 4000) }), /phaseFrom gives/);
});

test('Griffin-Lim: spectral convergence improves with iterations; seeded', () => {
  const x = testSignal(4000, 4);
  const o = { nFft: 256, hop: 64 };
  const M = magnitude(stft(x, o));
  const sc = (y: Float32Array) => {
    const M2 = magnitude(stft(y, o));
    let num = 0, den = 0;
    for (let i = 0; i < M.data.length; i++) { num += (M.data[i] - M2.data[i]) ** 2; den += M.data[i] ** 2; }
    return Math.sqrt(num / den);
  };
  const y0 = griffinLim(M, { ...o, iterations: 0, length: x.length });
  const y30 = griffinLim(M, { ...o, iterations: 30, length: x.length, seed: 1 });
  assert.ok(sc(y30) < 0.5 * sc(y0), `SC ${sc(y0)} -> ${sc(y30)}`);
  assert.ok(sc(y30) < 0.25, `SC after 30 iterations ${sc(y30)}`);
  assert.deepEqual(griffinLim(M, { ...o, iterations: 2, length: x.length, seed: 1 }), griffinLim(M, { ...o, iterations: 2, length: x.length, seed: 1 }));
  assert.throws(() => griffinLim(M, { nFft: 512, hop: 64 }), /129 bins, nFft = 512 needs 257/);
  assert.throws(() => griffinLim({ data: Float32Array.from([-1, 0, 0]), shape: [1, 3] }, { nFft: 4 }), /needs finite values >= 0/);
});
