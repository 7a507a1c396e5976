import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, fingerprint } from '../../src/lib/engine';
import { synthMidLevelMusic, synthSingingMix, melSpectrogram, melFilterbank, frameFeatures, writeWav } from '../../src/lib/audio';
import { clipFeatures, conceptCorrelates, ridgeProbeR2 } from './probe';

test('synthMidLevelMusic: shapes, names, same seed same bytes, other seed other audio', () => {
  const a = synthMidLevelMusic(3, { seconds: 1, seed: 4 });
  const b = synthMidLevelMusic(3, { seconds: 1, seed: 4 });
  const c = synthMidLevelMusic(3, { seconds: 1, seed: 5 });
  assert.equal(a.audio.length, 3);
  assert.equal(a.audio[0].length, 22050);
  assert.deepEqual(a.midLevelNames, ['melodiousness', 'articulation', 'rhythmicStability', 'rhythmicComplexity', 'dissonance', 'tonalStability', 'minorness']);
  assert.equal(a.emotionNames.length, 8);
  assert.ok(a.midLevel.every((r) => r.length === 7 && r.every((v) => v >= 0 && v <= 1)));
  assert.ok(a.emotions.every((r) => r.length === 8 && r.every((v) => v >= 0 && v <= 1)));
  assert.deepEqual(writeWav(a.audio, 22050, { float: true }), writeWav(b.audio, 22050, { float: true }));
  assert.deepEqual(a.emotions, b.emotions);
  assert.notDeepEqual(Array.from(a.audio[0]), Array.from(c.audio[0]));
  // clip i does not depend on n
  assert.deepEqual(Array.from(synthMidLevelMusic(1, { seconds: 1, seed: 4 }).audio[0]), Array.from(a.audio[0]));
  assert.ok(a.audio.every((x) => x.every((v) => Number.isFinite(v) && Math.abs(v) <= 1)));
});

test('synthMidLevelMusic: emotions are the documented linear function of the controls plus noiseSd noise', () => {
  const d = synthMidLevelMusic(40, { seconds: 0.2, seed: 1, noiseSd: 0.05 });
  const { bias, weights, noiseSd } = d.emotionWeights;
  const res: number[] = [];
  d.midLevel.forEach((m, i) => weights.forEach((w, e) => {
    const lin = bias[e] + w.reduce((s, wj, j) => s + wj * (m[j] - 0.5), 0);
    const y = d.emotions[i][e];
    if (y > 0 && y < 1) res.push(y - lin); // unclipped
  }));
  const sd = Math.sqrt(res.reduce((s, r) => s + r * r, 0) / res.length);
  assert.ok(Math.abs(sd - noiseSd) < 0.01, `residual sd ${sd}`);
  const exact = synthMidLevelMusic(2, { seconds: 0.2, noiseSd: 0, midLevel: [[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0, 0, 1, 0]] });
  assert.deepEqual(exact.emotions[0], bias);
  // valence = 0.5 + 0.25*0.5 + 0.05*(-0.5) - 0.25*(-0.5) + 0.15*0.5 - 0.35*(-0.5) = 0.975
  assert.ok(Math.abs(exact.emotions[1][0] - 0.975) < 1e-12, 'valence of a melodious, legato, consonant, tonal major clip');
});

test('synthMidLevelMusic: controls are audible (one control varied, others and the render seed fixed)', () => {
  const base = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
  const feats = (j: number, v: number) => {
    const rows = [0, 1, 2, 3].map(() => base.map((b, i) => (i === j ? v : b)));
    return synthMidLevelMusic(4, { seconds: 2, seed: 11, midLevel: rows }).audio.map((x) => clipFeatures(x, 22050));
  };
  const mean = (F: number[][], k: number) => F.reduce((s, r) => s + r[k], 0) / F.length;
  // feature 4: loudness-envelope variation (std/mean): staccato notes -> a spikier envelope
  assert.ok(mean(feats(1, 1), 4) > mean(feats(1, 0), 4), 'articulation raises envelope variation');
  // feature 7: onset peaks per frame
  assert.ok(mean(feats(3, 1), 7) > mean(feats(3, 0), 7), 'rhythmic complexity raises onset density');
  // feature 9: semitone-neighbour chroma products (roughness)
  assert.ok(mean(feats(4, 1), 9) > mean(feats(4, 0), 9), 'dissonance raises roughness');
});

test('synthMidLevelMusic: a linear probe on simple spectral features beats chance on held-out clips', () => {
  const d = synthMidLevelMusic(72, { seconds: 2, seed: 7 });
  const X = d.audio.map((a) => clipFeatures(a, d.sampleRate));
  const r2 = ridgeProbeR2(X.slice(0, 48), d.midLevel.slice(0, 48), X.slice(48), d.midLevel.slice(48), 10);
  const byName = Object.fromEntries(d.midLevelNames.map((n, i) => [n, r2[i]]));
  assert.ok(byName.articulation > 0.5, `articulation R^2 ${byName.articulation}`);
  assert.ok(byName.rhythmicComplexity > 0.2, `rhythmic complexity R^2 ${byName.rhythmicComplexity}`);
  // chance: the same probe on shuffled targets
  const shuffled = new Rng(3).shuffle(d.midLevel);
  const r2s = ridgeProbeR2(X.slice(0, 48), shuffled.slice(0, 48), X.slice(48), shuffled.slice(48), 10);
  assert.ok(Math.max(r2s[1], r2s[3]) < 0.2, `shuffled-label probe R^2 ${r2s}`);
  const emo = ridgeProbeR2(X.slice(0, 48), d.emotions.slice(0, 48), X.slice(48), d.emotions.slice(48), 10);
  assert.ok(emo[1] > 0.3, `energy R^2 ${emo[1]}`);
});

// P1's demo input is a 96-frame (3.03 s) slice. Version 2 of the generator must make minorness,
// rhythmic stability and tonal stability audible at that length with the other six controls random;
// version 1 did not (effect sizes d = 0.11, 0.02, 0.11 for the three correlates below; these tests fail on it).
function correlateEffect(j: number, key: 'minorTriad' | 'highShare' | 'bassOnsets', version: 1 | 2) {
  const N = 8;
  const rows = (v: number) => Array.from({ length: N }, (_, i) => {
    const r = new Rng(100 + i);
    return Array.from({ length: 7 }, (_, k) => (k === j ? v : r.uniform()));
  });
  const at = (v: number) => synthMidLevelMusic(N, { seconds: 3.03, seed: 9, midLevel: rows(v), version }).audio.map((a) => conceptCorrelates(a, 22050)[key]);
  const lo = at(0.2), hi = at(0.8);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const vr = (v: number[]) => v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1);
  return { lo, hi, d: (mean(hi) - mean(lo)) / Math.sqrt((vr(lo) + vr(hi)) / 2) };
}

test('synthMidLevelMusic v2: minorness is audible in a 3 s clip as minor triads (every clip at 0.8 above every clip at 0.2)', () => {
  const { lo, hi, d } = correlateEffect(6, 'minorTriad', 2);
  assert.ok(Math.min(...hi) > Math.max(...lo), `minor-triad score at 0.8 ${hi.map((v) => v.toFixed(3))} vs at 0.2 ${lo.map((v) => v.toFixed(3))}`);
  assert.ok(d > 1.5, `effect size ${d}`);
});

test('synthMidLevelMusic v2: rhythmic stability is audible in a 3 s clip as a denser pulse (energy above 5 kHz)', () => {
  const { d } = correlateEffect(2, 'highShare', 2);
  assert.ok(d > 1, `effect size ${d}`);
});

test('synthMidLevelMusic v2: tonal stability is audible in a 3 s clip as a held bass pedal (fewer bass onsets)', () => {
  const { d } = correlateEffect(5, 'bassOnsets', 2);
  assert.ok(d < -1, `effect size ${d}`);
});

test('synthMidLevelMusic: version 1 still renders the first generator byte for byte (the data of version-1 models)', () => {
  const a = synthMidLevelMusic(3, { seconds: 1, seed: 4, version: 1 });
  assert.equal(fingerprint(a.audio), 'cee28b87');
  assert.equal(fingerprint([new Float64Array(a.emotions.flat())]), '5d9259cc');
  const b = synthMidLevelMusic(3, { seconds: 1, seed: 4 });
  assert.notEqual(fingerprint(b.audio), 'cee28b87', 'version 2 is the default');
  assert.deepEqual(b.emotions, a.emotions, 'the emotions depend on the controls, not on the renderer');
});

test('synthMidLevelMusic: bad options throw', () => {
  assert.throws(() => synthMidLevelMusic(1.5), /n must be a non-negative integer/);
  assert.throws(() => synthMidLevelMusic(1, { seconds: 0 }), /seconds must be positive/);
  assert.throws(() => synthMidLevelMusic(1, { midLevel: [[0.5, 2, 0, 0, 0, 0, 0]] }), /row 0 must hold 7 values in \[0, 1\]/);
  assert.throws(() => synthMidLevelMusic(2, { midLevel: [[0, 0, 0, 0, 0, 0, 0]] }), /midLevel has 1 rows, n = 2/);
  assert.throws(() => synthMidLevelMusic(1, { tempo: 3 } as object), /unknown option "tempo"/);
  assert.throws(() => synthMidLevelMusic(1, { version: 3 as 2 }), /version must be 1 or 2/);
});

test('synthSingingMix: labels align with mel frames; seeded; stems add up to the mix', () => {
  const d = synthSingingMix(3, { seconds: 2, seed: 2 });
  const e = synthSingingMix(3, { seconds: 2, seed: 2 });
  assert.equal(d.labelRate, 70);
  for (let i = 0; i < 3; i++) {
    assert.equal(d.labels[i].length, melSpectrogram(d.audio[i]).shape[0]);
    assert.deepEqual(d.audio[i], e.audio[i]);
    let err = 0;
    for (let j = 0; j < d.audio[i].length; j++) err = Math.max(err, Math.abs(d.audio[i][j] - d.voice[i][j] - d.accompaniment[i][j]));
    assert.ok(err < 1e-6);
    // a label is 1 exactly where the frame centre is inside a sung segment
    const t = d.labels[i].findIndex((v) => v === 1);
    if (t >= 0) {
      const c = (t * 315 + 512) / 22050;
      assert.ok(d.segments[i].some(([a, b]) => c >= a && c < b));
    }
  }
  assert.throws(() => synthSingingMix(1, { labelFrames: { hop: 0 } }), /labelFrames.hop must be a positive integer/);
  assert.throws(() => synthSingingMix(1, { labelFrames: { fps: 70 } as object }), /unknown option "fps"/);
  assert.throws(() => synthSingingMix(1, { seconds: 0.1 }), /at least 0.5/);
});

test('synthSingingMix: sung frames carry more energy in the formant bands (500 Hz-3 kHz) than non-sung frames', () => {
  const d = synthSingingMix(6, { seconds: 3, seed: 8 });
  const fb = melFilterbank();
  const bands = Array.from(fb.centers).map((f, b) => (f >= 500 && f <= 3000 ? b : -1)).filter((b) => b >= 0);
  let sung = 0, nSung = 0, not = 0, nNot = 0;
  d.audio.forEach((x, i) => {
    const S = melSpectrogram(x);
    const B = S.shape[1];
    d.labels[i].forEach((l, t) => {
      const v = bands.reduce((s, b) => s + S.data[t * B + b], 0) / bands.length;
      if (l) { sung += v; nSung++; } else { not += v; nNot++; }
    });
  });
  assert.ok(nSung > 50 && nNot > 50, `both classes present (${nSung} / ${nNot})`);
  assert.ok(sung / nSung > not / nNot + 1, `mean log formant-band energy: sung ${sung / nSung}, not ${not / nNot}`);
});

test('frameFeatures: named columns, rms and zcr of a sine, chroma of A440, errors', () => {
  const sr = 22050;
  const x = Float32Array.from({ length: 8192 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / sr));
  const t = frameFeatures(x, { sampleRate: sr, features: ['rms', 'zcr', 'spectralCentroid', 'spectralFlux', 'chroma', 'mfcc'] });
  assert.deepEqual(t.columns.slice(0, 4), ['rms', 'zcr', 'spectralCentroid', 'spectralFlux']);
  assert.equal(t.columns.length, 4 + 12 + 13);
  assert.equal(t.rows.length, 1 + Math.floor((8192 - 1024) / 512));
  const row = t.rows[3];
  assert.ok(Math.abs(row[0] - (0.5 / Math.SQRT2) * Math.sqrt(3 / 8)) < 0.005, `rms of the Hann-windowed frame ${row[0]}`);
  assert.ok(Math.abs(row[1] - (2 * 440 * 1024) / sr) <= 2, `zcr ${row[1]}`);
  assert.ok(Math.abs((row[2] * sr) / 1024 - 440) < 60, `centroid ${(row[2] * sr) / 1024} Hz`);
  assert.equal(t.rows[0][3], 0, 'no flux on the first frame');
  const chroma = row.slice(4, 16);
  const top = chroma.indexOf(Math.max(...chroma));
  assert.equal(t.columns[4 + top], 'chroma_9', 'A is pitch class 9 counting from C');
  assert.throws(() => frameFeatures(x, { frameSize: 1000 }), /power of two/);
  assert.throws(() => frameFeatures(x, { features: ['loudnesss' as 'rms'] }), /unknown feature "loudnesss"/);
  assert.throws(() => frameFeatures(x.slice(0, 100)), /needs at least 1024/);
});
