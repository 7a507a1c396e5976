/** P2 paper module (Praher et al. 2021, arXiv 2107.09045): labels, excerpts, detector domains, planted truth, horses, corpus loader, verdicts. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, noLeak, assertClose } from '../helpers';
import * as P2 from '../../src/lib/papers/praher2021';
import { synthSingingMix } from '../../src/lib/audio/synthSingingMix';
import { melSpectrogram } from '../../src/lib/audio/spectrogram';
import { writeWav } from '../../src/lib/audio/wav';
import { singingVoiceCnn } from '../../src/lib/models/singingVoiceCnn';
import { Rng } from '../../src/lib/engine';
import * as rl from '../../src/lib';

before(setup);

// one 2.5 s synthetic song (~160 frames): enough for a few 115-frame excerpts
const synth = synthSingingMix(1, { seconds: 2.5, seed: 4 });
const songs = P2.songsFromSynth(synth);
const st = P2.fitSongStandardizer(songs);

test('labelsForSpans marks the frames whose centre (315 i + 512) / 22050 s lies in a sung span', () => {
  const fr = (i: number) => (315 * i + 512) / 22050;
  const spans = [{ start: fr(3), end: fr(6) }, { start: fr(10) - 1e-4, end: fr(10) + 1e-4 }];
  const lab = P2.labelsForSpans(spans, 12);
  assert.deepEqual(Array.from(lab), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0]);
  // the synthetic mix's own labels use the same frame centres
  assert.deepEqual(Array.from(songs[0].labels), Array.from(synth.labels[0]));
});

test('makeSong rejects other sample rates and too-short signals', () => {
  assert.throws(() => P2.makeSong('x', new Float32Array(4000), 44100, []), /44100 Hz.*22050/);
  assert.throws(() => P2.makeSong('x', new Float32Array(100), 22050, []), /fewer than one frame/);
});

test('pickExcerpts: grid and seeded random centres inside the valid range, label filter, errors', () => {
  const [lo, hi] = P2.centreRange(songs[0]);
  assert.equal(lo, 57);
  assert.equal(hi, songs[0].logMel.shape[0] - 58);
  const grid = P2.pickExcerpts(songs, { perSong: 5, mode: 'grid' });
  assert.equal(grid.length, 5);
  grid.forEach((r) => assert.ok(r.centre >= lo && r.centre <= hi));
  const a = P2.pickExcerpts(songs, { perSong: 4, seed: 3 });
  assert.deepEqual(a, P2.pickExcerpts(songs, { perSong: 4, seed: 3 }));
  for (const label of [0, 1] as const) {
    P2.pickExcerpts(songs, { perSong: 3, label }).forEach((r) => assert.equal(songs[0].labels[r.centre], label));
  }
  assert.throws(() => P2.pickExcerpts(songs, { perSong: 0 }), /perSong must be a positive integer/);
  assert.throws(() => P2.pickExcerpts(songs, { perSong: 1, nope: 1 } as never), /nope/);
  assert.throws(() => P2.excerptBatch(songs, [{ song: 0, centre: 2 }], st), /outside/);
});

test('excerpt audio reproduces the excerpt spectrogram: mel(wave excerpt) equals the song log-mel rows', async () => {
  const refs = P2.pickExcerpts(songs, { perSong: 2, mode: 'grid' });
  const w = P2.excerptWaves(songs, refs);
  assert.deepEqual(w.shape, [2, P2.EXCERPT_SAMPLES]);
  const row = w.slice(1, 1).dataSync() as Float32Array;
  const m = melSpectrogram(row);
  assert.equal(m.shape[0], P2.EXCERPT_FRAMES);
  const c = refs[1].centre;
  const want = songs[0].logMel.data.subarray((c - 57) * 80, (c + 58) * 80);
  assertClose(m.data, want, 1e-4, 'excerpt mel');
  w.dispose();
});

test('detectorDomains: Z from magnitudes and from waves match the standardised excerpt; logit is the sigmoid inverse of prob; no leaks', async () => {
  const model = singingVoiceCnn({ width: 0.0625, seed: 1, dropout: 0 });
  const d = P2.detectorDomains(model, st);
  const refs = P2.pickExcerpts(songs, { perSong: 2, mode: 'grid' });
  const { x, y } = P2.excerptBatch(songs, refs, st);
  assert.deepEqual(x.shape, [2, 115, 80, 1]);
  assert.deepEqual(Array.from(y.dataSync()), P2.excerptLabels(songs, refs));
  const m = P2.excerptMagnitudes(songs, refs);
  const w = P2.excerptWaves(songs, refs);
  await noLeak(() => {
    const zm = d.zOfMag(m), zw = d.zOfWave(w);
    assertClose(zm.dataSync(), x.dataSync(), 1e-4, 'Z(M)');
    // float32 DFT vs float64 reference: tight on magnitudes, looser after the log of quiet bins
    const mw = d.magOfWave(w);
    assertClose(mw.dataSync(), m.dataSync(), 1e-4, 'M(w)');
    assertClose(zw.dataSync(), x.dataSync(), 3e-2, 'Z(w)');
    mw.dispose();
    const p = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    const z = tf.tidy(() => d.logitOfMag(m).dataSync());
    assertClose(Array.from(z, (v) => 1 / (1 + Math.exp(-v))), p, 1e-4, 'sigmoid(logit) = prob');
    tf.dispose([zm, zw]);
  });
  assert.throws(() => d.zOfMag(tf.zeros([1, 10, 80])), /\[N, 115, 80\]/);
  tf.dispose([x, y, m, w]);
  d.dispose();
  model.dispose();
});

test('segmentMasks: k distinct segments per example, masks equal to the grid cells of those segments, seeded', () => {
  const { segments, masks } = P2.segmentMasks(3, 5, 11);
  assert.deepEqual(segments, P2.segmentMasks(3, 5, 11).segments);
  segments.forEach((s, i) => {
    assert.equal(new Set(s).size, 5);
    let on = 0;
    masks[i].forEach((v, j) => {
      assert.equal(v, s.includes(P2.GRID[j]) ? 1 : 0);
      on += v;
    });
    assert.equal(on, 5 * 23 * 20);
  });
  assert.throws(() => P2.segmentMasks(1, 0, 1), /k must be an integer in \[1, 20\]/);
  assert.throws(() => P2.segmentMasks(1, 21, 1), /k must be/);
});

test('poolSegments sums a map over each of the 20 segments (23 frames x 20 bands = 460 cells each)', async () => {
  const v = new Float32Array(2 * 115 * 80).fill(1);
  for (let j = 0; j < 115 * 80; j++) v[115 * 80 + j] = P2.GRID[j]; // second example: each cell holds its segment id
  const map = tf.tensor4d(v, [2, 115, 80, 1]);
  const pooled = await noLeak(() => P2.poolSegments(map));
  assert.deepEqual(pooled[0], new Array(20).fill(460));
  assert.deepEqual(pooled[1], Array.from({ length: 20 }, (_, s) => 460 * s));
  map.dispose();
  assert.throws(() => P2.poolSegments(tf.zeros([1, 10])), /does not hold/);
});

test('paintSegments / excerptImage put high bands on top and time left to right', () => {
  const img = P2.paintSegments(Array.from({ length: 20 }, (_, s) => s));
  assert.equal(img.length, 80);
  assert.equal(img[0].length, 115);
  assert.equal(img[79][0], 0); // lowest band, first frames -> segment t1 f1
  assert.equal(img[0][0], 3); // highest band -> f4
  assert.equal(img[79][114], 16); // last time segment
  assert.equal(P2.segmentName(6), 't2 f3');
  const x = new Float32Array(115 * 80);
  x[5 * 80 + 79] = 7; // frame 5, band 79
  assert.equal(P2.excerptImage(x)[0][5], 7);
  assert.throws(() => P2.paintSegments([1, 2]), /20 values/);
});

test('drawShape paints only inside the chosen segment, at least at the level, and reports that segment', async () => {
  const rng = new Rng(2);
  const z = tf.tensor4d(Float32Array.from({ length: 115 * 80 }, () => rng.normal(0, 1)), [1, 115, 80, 1]);
  for (const kind of P2.SHAPES) {
    const n0 = tf.memory().numTensors;
    const { z: drawn, segments } = P2.drawShape(z, { kind, timeSegment: 2, band: 1, level: 3 });
    assert.equal(tf.memory().numTensors, n0 + 1, 'only the drawn excerpt is new');
    assert.deepEqual(segments, [2 * 4 + 1]);
    const a = z.dataSync(), b = drawn.dataSync(), mask = P2.shapeMask({ kind, timeSegment: 2, band: 1 });
    let painted = 0;
    for (let j = 0; j < a.length; j++) {
      if (mask[j]) {
        assert.equal(P2.GRID[j], 9);
        assert.ok(b[j] >= 3 - 1e-6 && b[j] >= a[j] - 1e-6);
        painted++;
      } else assert.equal(b[j], a[j]);
    }
    assert.ok(painted > 20, `${kind} paints ${painted} cells`);
    drawn.dispose();
  }
  assert.throws(() => P2.drawShape(z, { kind: 'horse' as never, timeSegment: 0, band: 0 }), /kind must be one of/);
  assert.throws(() => P2.drawShape(z, { kind: 'box', timeSegment: 5, band: 0 }), /timeSegment must be 0..4/);
  z.dispose();
});

test('craftAdversaries (spectrogram, masked): kept adversaries flip at 0.51 and their perturbation stays inside the planted segments', async () => {
  const model = singingVoiceCnn({ width: 0.0625, seed: 1, dropout: 0 });
  const d = P2.detectorDomains(model, st);
  const cands = P2.pickExcerpts(songs, { perSong: 6, mode: 'grid' });
  // the detector's own decisions decide the direction with candidates
  const m = P2.excerptMagnitudes(songs, cands);
  const p = Array.from(tf.tidy(() => tf.sigmoid(d.logitOfMag(m)).dataSync()));
  m.dispose();
  const labels = P2.excerptLabels(songs, cands);
  const right = (src: number) => labels.some((l, i) => l === src && (p[i] >= 0.51 ? 1 : 0) === src);
  assert.ok(right(0) || right(1), 'the untrained detector gets some candidate right');
  const dir: P2.Direction = right(1) ? 'sing->no sing' : 'no sing->sing';
  const { segments, masks } = P2.segmentMasks(cands.length, 5, 1);
  const n0 = tf.memory().numTensors;
  const adv = await P2.craftAdversaries(d, songs, cands, { domain: 'spec', direction: dir, n: 2, steps: 300, lr: 0.01, clip: 1, masks, batchSize: 3 });
  assert.equal(tf.memory().numTensors, n0 + 2, 'only magClean and deltaMag are new');
  assert.ok(adv.refs.length >= 1 && adv.refs.length <= 2, `kept ${adv.refs.length}`);
  assert.equal(adv.magClean.shape[0], adv.refs.length);
  const dm = adv.deltaMag.arraySync() as number[][][];
  adv.refs.forEach((_, i) => {
    assert.equal(adv.pAdv[i] >= 0.51, dir === 'no sing->sing', `adversary ${i} flipped`);
    const truth = new Set(segments[adv.candidateIndex[i]]);
    for (let t = 0; t < 115; t++) for (let b = 0; b < 80; b++) if (!truth.has(P2.GRID[t * 80 + b])) assert.equal(dm[i][t][b], 0);
  });
  await assert.rejects(() => P2.craftAdversaries(d, songs, cands, { domain: 'wave', direction: dir, masks }), /use domain 'spec'/);
  await assert.rejects(() => P2.craftAdversaries(d, songs, cands, { domain: 'freq' as never, direction: dir }), /domain must be/);
  P2.disposeAdversaries(adv);
  d.dispose();
  model.dispose();
});

test('parseLab reads sung spans and rejects malformed lines', () => {
  assert.deepEqual(P2.parseLab('0 1.5 nosing\n1.5 3.25 sing\n3.25 4 nosing\n4 5 sing\n'), [{ start: 1.5, end: 3.25 }, { start: 4, end: 5 }]);
  assert.throws(() => P2.parseLab('0 1 music'), /line 1 .*start end sing\|nosing/);
  assert.throws(() => P2.parseLab('2 1 sing'), /line 1/);
});

test('paper-scale corpus: a clear message without ROBUSTLENS_P2_DATA or with missing files; loads a folder in the documented layout', () => {
  assert.throws(() => P2.svdCorpusDir({}), /ROBUSTLENS_P2_DATA.*audio\/\{song\}\.wav.*labels\/\{song\}\.lab.*filelists\/train/);
  assert.throws(() => P2.svdCorpusDir({ ROBUSTLENS_P2_DATA: '/nonexistent/p2' }), /is not a folder/);
  const dir = mkdtempSync(join(tmpdir(), 'p2corpus-'));
  for (const sub of ['audio', 'labels', 'filelists']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'filelists', 'test'), '01 - song.ogg\n');
  assert.throws(() => P2.loadSvdCorpus('test', { dir }), /missing, e\.g\. .*01 - song\.wav/);
  assert.throws(() => P2.loadSvdCorpus('train', { dir }), /filelists\/train not found/);
  writeFileSync(join(dir, 'audio', '01 - song.wav'), writeWav(synth.audio[0], 22050, { bitDepth: 16 }));
  writeFileSync(join(dir, 'labels', '01 - song.lab'), synth.segments[0].map(([a, b]) => `${a} ${b} sing`).join('\n'));
  const [song] = P2.loadSvdCorpus('test', { dir });
  assert.equal(song.name, '01 - song');
  const agree = song.labels.reduce((s, v, i) => s + (v === synth.labels[0][i] ? 1 : 0), 0) / song.labels.length;
  assert.ok(agree > 0.97, `labels agree on ${agree}`);
});

test('config: every scale is complete; paper scale reads the corpus with the paper\'s LIME and attack settings', () => {
  for (const s of ['smoke', 'demo', 'paper'] as const) {
    const c = P2.config(s);
    assert.equal(c.scale, s);
    assert.equal(c.threshold, 0.51);
    assert.ok(c.lime.nSamples > 20 && c.detector.perSong > 0 && c.masked.ks.length === 3);
  }
  assert.ok(P2.config('demo').lime.nSamples >= 2048, 'LIME at demo: at least 2048 samples');
  const p = P2.config('paper');
  assert.equal(p.source, 'corpus');
  assert.equal(p.lime.nSamples, P2.PAPER.lime.nSamples);
  assert.equal(p.attack.steps, 1000);
  assert.equal(p.attack.lr, 3e-4);
});

test('tables and claims follow the numbers: like with like against the energy baseline with a margin, too few below the minimum n, missing sets not tested', () => {
  const curve = (lime: number[], energy: number[]) => ({ meta: {} as never, ks: lime.map((_, i) => i + 1), lime, energy, overlap: lime.map(() => 0), limePerExample: [], energyPerExample: [] });
  const v = (n: number, top3: number, energyTop3: number, positive: number, energyPositive: number, lime: number[], energy: number[]) =>
    ({ n, top3, positive, energyPositive, energyTop3, meanPositive: 8, overlapTop3: 0.3, correct: [], curve: curve(lime, energy) });
  const sets = {
    'no sing->sing': { wave: v(4, 0.5, 0.75, 0.8, 0.9, [0.2, 1], [0.5, 1]), spec: v(4, 0.25, 0.5, 0.7, 0.95, [0.1, 1], [0.4, 1]) },
    'sing->no sing': { wave: v(2, 0.5, 0.5, 0.5, 0.6, [0.3, 1], [0.3, 1]), spec: null },
  } as P2.VeracitySets;
  const t1 = P2.table1(sets);
  assert.equal(t1.length, 4);
  assert.equal(t1[0]['LIME top-3 % (ours)'], 50);
  assert.equal(t1[0]['LIME top-3 % (paper)'], 53);
  assert.equal(t1[3].n, 0);
  // each row is judged by the claim's rule, and n below MIN_ADVERSARIES (8) is 'too few'
  assert.deepEqual(t1.map((r) => r['row verdict (energy - LIME)']), ['too few', 'too few', 'too few', 'not tested']);
  const big = { ...sets, 'no sing->sing': { wave: v(8, 0.5, 0.75, 0.8, 0.9, [0.2, 1], [0.5, 1]), spec: v(9, 0.5, 0.25, 0.7, 0.95, [0.1, 1], [0.4, 1]) } } as P2.VeracitySets;
  assert.deepEqual(P2.table1(big).slice(0, 2).map((r) => r['row verdict (energy - LIME)']), ['holds', 'reversed']);
  assert.equal(P2.table2(sets)[2]['energy % (paper)'], 74);
  assertClose(P2.pooledCurve(sets).lime, [0.18, 1], 1e-9); // (4 * 0.2 + 4 * 0.1 + 2 * 0.3) / 10
  const base = { sets, detector: { error: 0.2, recall: 0.9, specificity: 0.7 }, horses: [], subset: [], planted: [], fidelity: { correct: [0.5, 0.6], incorrect: [0.7] } };
  const out = P2.claims(base);
  rl.stats.checkClaims('test', out);
  const by = (rows: typeof out, s: string) => rows.find((r) => r.claim.includes(s))!.verdict;
  // pooled n = 10: LIME top-3 0.4 vs energy 0.6 -> energy ahead by 0.2 >= 0.05: holds
  assert.equal(by(out, 'top-3'), 'holds');
  assert.equal(by(out, 'Table 2'), 'holds');
  assert.equal(by(out, 'Fig. 2'), 'holds');
  assert.equal(by(out, 'horses'), 'not tested');
  assert.equal(by(out, 'Fig. 3'), 'too few');
  assert.equal(by(out, 'EXTENSION'), 'too few');
  assert.equal(by(out, 'Fig. 4'), 'too few'); // n 2 and 1: below MIN_GROUP
  assert.equal(by(out, 'detector works'), 'holds');
  // LIME ahead of energy: reversed; a tie: not shown; fewer than MIN_ADVERSARIES: too few
  const rev = { ...sets, 'no sing->sing': { wave: v(8, 0.9, 0.5, 0.9, 0.5, [0.9, 1], [0.2, 1]), spec: null }, 'sing->no sing': { wave: null, spec: null } } as P2.VeracitySets;
  const r2 = P2.claims({ ...base, sets: rev });
  assert.equal(by(r2, 'top-3'), 'reversed');
  assert.equal(by(r2, 'Table 2'), 'reversed');
  assert.equal(by(r2, 'Fig. 2'), 'reversed');
  const tie = { 'no sing->sing': { wave: v(8, 0.5, 0.52, 0.5, 0.5, [0.5, 1], [0.5, 1]), spec: null }, 'sing->no sing': { wave: null, spec: null } } as P2.VeracitySets;
  assert.equal(by(P2.claims({ ...base, sets: tie }), 'top-3'), 'not shown');
  const few = { 'no sing->sing': { wave: v(7, 0.1, 0.9, 0.1, 0.9, [0.1, 1], [0.9, 1]), spec: null }, 'sing->no sing': { wave: null, spec: null } } as P2.VeracitySets;
  assert.equal(by(P2.claims({ ...base, sets: few }), 'top-3'), 'too few');
  // Fig. 3 the authors' way: detected shares from counts; Fig. 4 decided once both groups have MIN_GROUP
  const subset = [{ k: 1, n: 3, detected: [1, 0, 0] }, { k: 3, n: 3, detected: [1, 2, 3] }];
  const r3 = P2.claims({ ...base, subset, fidelity: { correct: [0.6, 0.6, 0.7, 0.7, 0.8], incorrect: [0.7, 0.7, 0.7, 0.8, 0.9] } });
  assert.equal(by(r3, 'Fig. 3'), 'holds'); // (1 + 0 + 0 + 1/3 + 2/3 + 1) / 6 = 0.5 < 0.9
  assert.match(r3.find((r) => r.claim.includes('Fig. 3'))!.ours, /50\.0 %/);
  assert.equal(by(r3, 'Fig. 4'), 'holds');
  assert.equal(by(P2.claims({ ...base, pAdvMedian: { 'no sing->sing': 0.8, 'sing->no sing': 0.45 } }), 'decisive'), 'not shown');
  assert.equal(P2.marginVerdict(0.05, 8, 8), 'holds');
});

test('logMelEnergy ranks segments by the perturbation\'s energy in log-mel (the authors\' delta_to_binary_mask on dL), not in linear magnitude', async () => {
  // clean magnitude 1 everywhere, 100 in segment 5; perturbation +50 in segment 5 (loud: dL = ln 1.5),
  // +1 in segment 9 (quiet: dL = ln 2), +0.2 in segment 14 (dL = ln 1.2)
  const m = new Float32Array(115 * 80).fill(1), dm = new Float32Array(115 * 80);
  P2.GRID.forEach((g, j) => {
    if (g === 5) { m[j] = 100; dm[j] = 50; }
    if (g === 9) dm[j] = 1;
    if (g === 14) dm[j] = 0.2;
  });
  const M = tf.tensor3d(m, [1, 115, 80]), dM = tf.tensor3d(dm, [1, 115, 80]);
  const e = (await noLeak(() => P2.logMelEnergy(M, dM)))[0];
  assertClose([e[5], e[9], e[14]], [460 * Math.log(1.5) ** 2, 460 * Math.log(2) ** 2, 460 * Math.log(1.2) ** 2], 1e-3, 'segment energies');
  const ranked = e.map((v, s) => [v, s]).sort((a, b) => b[0] - a[0]).slice(0, 3).map(([, s]) => s);
  assert.deepEqual(ranked, [9, 5, 14]); // in linear magnitude the loud segment 5 would come first
  e.forEach((v, s) => { if (![5, 9, 14].includes(s)) assert.ok(Math.abs(v) < 1e-9); });
  const { l, dl } = P2.logMelPair(M, dM);
  assertClose(Array.from(l.dataSync()).slice(0, 3), [0, 0, 0], 1e-7);
  tf.dispose([l, dl]);
  assert.throws(() => P2.logMelPair(M, tf.zeros([1, 115, 79])), /same \[N, 115, 80\]/);
  tf.dispose([M, dM]);
});

test("LIME's off value: audioLIME 'mean' is the mean of the un-normalised log-mel excerpt, standardised per band; 'standardised mean' is ours before", async () => {
  const mean = Float32Array.from({ length: 80 }, (_, b) => -3 + 0.05 * b), std = Float32Array.from({ length: 80 }, (_, b) => 1 + 0.01 * b);
  const stK = { perBand: true, mean, std };
  const model = singingVoiceCnn({ width: 0.0625, seed: 1, dropout: 0 });
  const d = P2.detectorDomains(model, stK);
  // a known excerpt: L[t, b] = 0.01 t + 0.1 b, mean(L) = 0.01 * 57 + 0.1 * 39.5 = 4.52
  const L = tf.tensor3d(Float32Array.from({ length: 115 * 80 }, (_, j) => 0.01 * Math.floor(j / 80) + 0.1 * (j % 80)), [1, 115, 80]);
  const z = d.zOfLogMel(L);
  await noLeak(() => {
    const back = d.logMelOfZ(z);
    assertClose(back.dataSync(), L.dataSync(), 1e-4, 'L -> Z -> L');
    back.dispose();
    const off = P2.limeOffValue(d, z);
    assert.deepEqual(off.shape, [1, 115, 80, 1]);
    const v = off.dataSync();
    const want = Array.from({ length: 80 }, (_, b) => (4.52 - mean[b]) / std[b]);
    assertClose(Array.from({ length: 80 }, (_, b) => v[b]), want, 1e-4, 'off per band, frame 0');
    assertClose(Array.from({ length: 80 }, (_, b) => v[100 * 80 + b]), want, 1e-4, 'off per band, frame 100');
    off.dispose();
    const ours = P2.limeOffValue(d, z, 'standardised mean');
    const zm = tf.tidy(() => z.mean().dataSync()[0]);
    assertClose(Array.from(ours.dataSync()).slice(0, 5), [zm, zm, zm, zm, zm], 1e-5, 'scalar mean of Z');
    ours.dispose();
  });
  assert.throws(() => P2.limeOffValue(d, z, 'zero' as never), /off must be one of 'audioLIME mean', 'standardised mean'/);
  tf.dispose([L, z]);
  d.dispose();
  model.dispose();
});

test("attackSong (the authors' whole-song attack) flips every decided frame of the span, stays within the clip, and pickAdversaries draws seeded excerpts of one direction from it", async () => {
  const model = singingVoiceCnn({ width: 0.0625, seed: 1, dropout: 0 });
  const d = P2.detectorDomains(model, st);
  const T = songs[0].logMel.shape[0];
  P2.disposeSongAttack(await P2.attackSong(d, songs, 0, { domain: 'spec', start: 2, frames: 130, steps: 1 })); // warm-up: lazily built kernels
  const n0 = tf.memory().numTensors;
  const r = await P2.attackSong(d, songs, 0, { domain: 'spec', start: 2, frames: 130, steps: 300, lr: 0.01, clip: 1 });
  assert.equal(tf.memory().numTensors, n0 + 4, 'only x, delta, magClean and magAdv are new');
  assert.equal(r.centres.length, 130 - 115 + 1);
  assert.deepEqual([r.centres[0], r.centres.at(-1)], [2 + 57, 2 + 129 - 57]);
  assert.ok(r.converged, `converged (${r.flippedShare} flipped after ${r.iterations} steps)`);
  r.pClean.forEach((p, i) => assert.notEqual(p >= 0.51, r.pAdv[i] >= 0.51, `frame ${r.centres[i]} flipped`));
  const dv = r.delta.dataSync(), xv = r.x.dataSync();
  dv.forEach((v, j) => assert.ok(Math.abs(v) <= 1 + 1e-6 && xv[j] + v >= -1e-6));
  assert.ok(r.iterations >= 1 && r.iterations <= 300);
  // pick: clean decision = source, attacked = target; magnitudes are the song's excerpt magnitudes
  for (const dir of P2.DIRECTIONS) {
    const a = P2.pickAdversaries([r], { direction: dir, perSong: 3, seed: 5 });
    const b = P2.pickAdversaries([r], { direction: dir, perSong: 3, seed: 5 });
    assert.deepEqual(a.refs, b.refs, 'seeded');
    const src = dir === 'no sing->sing' ? 0 : 1;
    const avail = r.pClean.filter((p, i) => (p >= 0.51 ? 1 : 0) === src && (r.pAdv[i] >= 0.51 ? 1 : 0) !== src).length;
    assert.equal(a.refs.length, Math.min(3, avail));
    assert.equal(a.succeeded, avail);
    a.refs.forEach((ref, i) => {
      assert.equal(a.pClean[i] >= 0.51 ? 1 : 0, src);
      assert.equal(a.pAdv[i] >= 0.51 ? 1 : 0, 1 - src);
      assert.equal(a.iterations[i], r.iterations);
    });
    if (a.refs.length) {
      const m = P2.excerptMagnitudes(songs, a.refs);
      assertClose(a.magClean.dataSync(), m.dataSync(), 1e-4, 'picked clean magnitudes');
      const p = tf.tidy(() => tf.sigmoid(d.logitOfMag(tf.add(a.magClean, a.deltaMag))).dataSync());
      assertClose(Array.from(p), a.pAdv, 1e-4, 'picked adversaries predict as recorded');
      m.dispose();
    }
    P2.disposeAdversaries(a);
    P2.disposeAdversaries(b);
  }
  P2.disposeSongAttack(r);
  // waveform: a few steps stay within the clip; the span's audio is the song's
  const w = await P2.attackSong(d, songs, 0, { domain: 'wave', start: 0, frames: 120, steps: 3 });
  assert.equal(w.x.shape[0], 119 * 315 + 1024);
  assertClose(Array.from(w.x.dataSync()).slice(0, 50), Array.from(songs[0].signal.subarray(0, 50)), 0);
  assert.ok(Array.from(w.delta.dataSync()).every((v) => Math.abs(v) <= 0.01 + 1e-7));
  assert.ok(w.iterations <= 3);
  P2.disposeSongAttack(w);
  await assert.rejects(() => P2.attackSong(d, songs, 0, { domain: 'spec', start: T - 100 }), /must lie in the song's/);
  await assert.rejects(() => P2.attackSong(d, songs, 3, { domain: 'spec' }), /no song 3/);
  d.dispose();
  model.dispose();
});

test('chooseSpans: non-overlapping spans closest to half sung; the whole song when frames is null', () => {
  const T = 1000;
  const labels = new Uint8Array(T);
  for (let t = 600; t < 700; t++) labels[t] = 1; // sung frames 600-699
  const song = { name: 's', signal: new Float32Array(0), sampleRate: 22050, logMel: { data: new Float32Array(T * 80), shape: [T, 80] }, labels } as unknown as P2.SvdSong;
  assert.deepEqual(P2.chooseSpans(song, { frames: null }), [{ start: 0, frames: T }]);
  const [one] = P2.chooseSpans(song, { frames: 200 });
  const decided = Array.from({ length: 86 }, (_, i) => labels[one.start + 57 + i]);
  const share = decided.reduce((a, b) => a + b, 0) / 86;
  assert.ok(Math.abs(share - 0.5) < 0.07, `span at ${one.start} is ${share} sung`);
  const two = P2.chooseSpans(song, { frames: 200, n: 2 });
  assert.equal(two.length, 2);
  assert.ok(two[0].start + 200 <= two[1].start);
  assert.throws(() => P2.chooseSpans(song, { frames: 100 }), /frames must be an integer >= 115/);
});

test("chooseSpans by the detector's decisions: the span closest to half 'sing' by P(sing), not by the labels; NaN frames skipped", () => {
  const T = 1000;
  const labels = new Uint8Array(T); // no frame is sung by the labels
  const song = { name: 's', signal: new Float32Array(0), sampleRate: 22050, logMel: { data: new Float32Array(T * 80), shape: [T, 80] }, labels } as unknown as P2.SvdSong;
  const pSing = new Float32Array(T).fill(NaN);
  for (let t = 0; t < T; t += 5) pSing[t] = t >= 300 && t < 400 ? 0.9 : 0.1; // the detector says 'sing' at frames 300-399
  const [one] = P2.chooseSpans(song, { frames: 200, pSing });
  const dec: number[] = [];
  for (let c = one.start + 57; c <= one.start + 142; c++) if (!Number.isNaN(pSing[c])) dec.push(pSing[c] >= 0.51 ? 1 : 0);
  const share = dec.reduce((a, b) => a + b, 0) / dec.length;
  assert.ok(Math.abs(share - 0.5) < 0.07, `span at ${one.start} is ${share} 'sing' by the decisions`);
  // by the labels alone every span is 0 % sung and the earliest wins
  assert.deepEqual(P2.chooseSpans(song, { frames: 200 }), [{ start: 0, frames: 200 }]);
  // the threshold decides: above every P(sing), no span has a 'sing' frame, so the earliest wins again
  assert.deepEqual(P2.chooseSpans(song, { frames: 200, pSing, threshold: 0.95 }), [{ start: 0, frames: 200 }]);
  assert.throws(() => P2.chooseSpans(song, { frames: 200, pSing: new Float32Array(10) }), /one value per song frame \(1000\)/);
});

test('framePSing: P(sing) of the excerpt centred on every stride-th decidable frame, NaN elsewhere; no leak; errors', () => {
  const model = singingVoiceCnn({ width: 0.0625, seed: 2, dropout: 0 });
  const d = P2.detectorDomains(model, st);
  const T = songs[0].logMel.shape[0];
  const [lo, hi] = P2.centreRange(songs[0]);
  P2.framePSing(d, songs, 0, { stride: 7 }); // warm-up
  const n0 = tf.memory().numTensors;
  const p = P2.framePSing(d, songs, 0, { stride: 7, batchSize: 2 });
  assert.equal(tf.memory().numTensors, n0);
  assert.equal(p.length, T);
  const at: number[] = [];
  p.forEach((v, t) => { if (!Number.isNaN(v)) at.push(t); });
  assert.deepEqual(at, Array.from({ length: Math.floor((hi - lo) / 7) + 1 }, (_, i) => lo + 7 * i));
  const { x, y } = P2.excerptBatch(songs, at.map((c) => ({ song: 0, centre: c })), st);
  const want = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  assertClose(at.map((t) => p[t]), Array.from(want), 1e-5, 'P(sing) at the evaluated frames');
  tf.dispose([x, y]);
  assert.throws(() => P2.framePSing(d, songs, 0, { stride: 0 }), /stride must be a positive integer/);
  assert.throws(() => P2.framePSing(d, songs, 2), /no song 2/);
  d.dispose();
  model.dispose();
});

test('losoDetector: one fold per song, trained without it and scored on it; pooled = all held-out excerpts; the main split reuses the main model; cached on the second run', async () => {
  const mixes = P2.songsFromSynth(synthSingingMix(3, { seconds: 2.5, seed: 9 }));
  const data = { train: mixes.slice(0, 2), test: mixes.slice(2), description: 'synthetic' };
  const base = P2.config('smoke');
  const cfg = { ...base, detector: { ...base.detector, width: 0.0625, perSong: 4, epochs: 1, batchSize: 4, testPerSong: 20 } };
  const dir = mkdtempSync(join(tmpdir(), 'p2-loso-'));
  const logs: string[] = [];
  const r = await P2.losoDetector(data, cfg, { name: 'p2_t', dir, log: (m) => logs.push(m) });
  assert.deepEqual(r.folds.map((f) => f.song), mixes.map((s) => s.name));
  assert.deepEqual(r.folds.map((f) => f.model), ['p2_t_loso0', 'p2_t_loso1', 'p2_t']);
  assert.ok(r.folds.every((f) => !f.cached));
  // the fold's detector is the one the notebook would cache for that training split
  const card = JSON.parse(readFileSync(join(dir, 'p2_t_loso1', 'card.json'), 'utf8'));
  assert.deepEqual(card.config.songs, [mixes[0].name, mixes[2].name]);
  assert.deepEqual(P2.detectorCacheConfig(cfg, [mixes[0], mixes[2]]).songs, card.config.songs);
  // pooled over all held-out excerpts: n adds up and the pooled error is the n-weighted mean of the folds'
  assert.equal(r.pooled.n, r.folds.reduce((s, f) => s + f.n, 0));
  assertClose([r.pooled.error], [r.folds.reduce((s, f) => s + f.n * f.error, 0) / r.pooled.n], 1e-9);
  const n0 = tf.memory().numTensors;
  const again = await P2.losoDetector(data, cfg, { name: 'p2_t', dir, log: (m) => logs.push(m) });
  assert.equal(tf.memory().numTensors, n0, 'fold models are disposed');
  assert.ok(again.folds.every((f) => f.cached));
  assert.deepEqual(again.folds.map((f) => f.error), r.folds.map((f) => f.error));
  await assert.rejects(() => P2.losoDetector({ train: mixes.slice(0, 1), test: [], description: '' }, cfg, { name: 'p2_t', dir }), /at least 2 songs/);
  await assert.rejects(() => P2.losoDetector(data, cfg, { name: 'p2_t', dir, folds: 2 } as never), /folds/);
});

test('claims: the detector row shows the leave-one-song-out numbers beside the test split when given; the verdict stays on the test split', () => {
  const none = { 'no sing->sing': { wave: null, spec: null }, 'sing->no sing': { wave: null, spec: null } } as P2.VeracitySets;
  const base = { sets: none, detector: { error: 0.2, recall: 0.9, specificity: 0.7 }, horses: [], subset: [], planted: [], fidelity: { correct: [], incorrect: [] } };
  const row = (o: P2.ClaimInputs) => P2.claims(o).find((r) => r.claim.includes('detector works'))!;
  assert.doesNotMatch(row(base).ours, /leave-one-song-out/);
  const withLoso = row({ ...base, loso: { error: 0.3, recall: 0.8, specificity: 0.6, folds: 4 } });
  assert.match(withLoso.ours, /leave-one-song-out \(4 folds, pooled\): error 0\.30, recall 0\.80, specificity 0\.60/);
  assert.equal(withLoso.verdict, 'holds'); // 0.2 <= 0.115 + 0.1 on the test split
});

test('augmentExcerpts: originals first; pitch shift moves whole bands (edge repeated), the filter adds a linear tilt within its range, mixing only adds energy; labels kept; seeded; errors', () => {
  const F = 115 * 80;
  const n = 3;
  const rng = new Rng(5);
  const raw = Float32Array.from({ length: n * F }, () => rng.range(-6, 2));
  const labels = Float32Array.from([1, 0, 1]);
  const none = P2.augmentExcerpts(raw, labels, { copies: 0 });
  assert.deepEqual(Array.from(none.raw), Array.from(raw));
  // pitch shift only: each copy is its excerpt shifted by one integer s in [-3, 3], rows clamped at the edges
  const ps = P2.augmentExcerpts(raw, labels, { copies: 2, pitchShift: 3, seed: 1 });
  assert.equal(ps.raw.length, 3 * n * F);
  assert.deepEqual(Array.from(ps.raw.subarray(0, n * F)), Array.from(raw));
  assert.deepEqual(Array.from(ps.labels), [1, 0, 1, 1, 0, 1, 1, 0, 1]);
  const shifts: number[] = [];
  for (let c = 1; c <= 2; c++) for (let i = 0; i < n; i++) {
    const copy = ps.raw.subarray((c * n + i) * F, (c * n + i + 1) * F), src = raw.subarray(i * F, (i + 1) * F);
    const s = [-3, -2, -1, 0, 1, 2, 3].find((s) => copy.every((v, j) => v === src[Math.floor(j / 80) * 80 + Math.min(79, Math.max(0, (j % 80) - s))]));
    assert.ok(s !== undefined, `copy ${c} of excerpt ${i} is a band shift`);
    shifts.push(s!);
  }
  assert.ok(new Set(shifts).size > 1, 'shifts vary');
  // filter only: copy - original is constant over time and linear in the band, at most 10 dB end to end (in ln units)
  const fl = P2.augmentExcerpts(raw, labels, { copies: 1, filterDb: 10, seed: 2 });
  for (let i = 0; i < n; i++) {
    const d = (t: number, b: number) => fl.raw[(n + i) * F + t * 80 + b] - raw[i * F + t * 80 + b];
    const slope = (d(0, 79) - d(0, 0)) / 79;
    assert.ok(Math.abs(d(0, 79) - d(0, 0)) <= (10 * Math.log(10)) / 20 + 1e-5);
    assertClose([d(0, 0) + d(0, 79)], [0], 1e-3); // centred: zero at the middle of the band axis
    for (const [t, b] of [[0, 40], [57, 13], [114, 79]]) assertClose([d(t, b)], [d(0, 0) + slope * b], 1e-4);
  }
  // mixing (always): ln(exp(L) + a exp(U)) > L everywhere, labels kept
  const mx = P2.augmentExcerpts(raw, labels, { copies: 1, mix: 1, mixDb: [-6, -6], seed: 3 });
  for (let i = 0; i < n; i++) for (let j = 0; j < F; j += 97) assert.ok(mx.raw[(n + i) * F + j] > raw[i * F + j]);
  // with the only unsung excerpt (index 1) mixed into itself at -6 dB: ln(exp(L) (1 + 10^(-6/20)))
  assertClose([mx.raw[(n + 1) * F + 5]], [raw[F + 5] + Math.log(1 + 10 ** (-6 / 20))], 1e-4);
  // seeded
  const again = P2.augmentExcerpts(raw, labels, { copies: 2, pitchShift: 3, seed: 1 });
  assert.deepEqual(Array.from(again.raw), Array.from(ps.raw));
  assert.throws(() => P2.augmentExcerpts(raw.subarray(1), labels, { copies: 1 }), /do not make 3 excerpts/);
  assert.throws(() => P2.augmentExcerpts(raw, labels, { copies: 1.5 }), /copies/);
  assert.throws(() => P2.augmentExcerpts(raw, labels, { copies: 1, pitchShift: 80 }), /pitchShift/);
  assert.throws(() => P2.augmentExcerpts(raw, Float32Array.from([1, 1, 1]), { copies: 1, mix: 0.5 }), /unsung/);
  assert.throws(() => P2.augmentExcerpts(raw, labels, { copies: 1, gain: 3 } as never), /gain/);
});

test('singingVoiceCnn batchNorm (the authors\' arch.batch_norm): a BN layer before each hidden activation; the zero-mean first layer still ignores a gain; trainDetector passes it and counts augmented excerpts', async () => {
  const plain = singingVoiceCnn({ width: 0.0625, seed: 1 });
  const bn = singingVoiceCnn({ width: 0.0625, seed: 1, batchNorm: true });
  const bnNames = bn.layers.filter((l) => l.getClassName() === 'BatchNormalization').map((l) => l.name);
  assert.deepEqual(bnNames, ['conv1_bn', 'conv2_bn', 'conv3_bn', 'conv4_bn', 'dense1_bn', 'dense2_bn']);
  assert.equal(plain.layers.filter((l) => l.getClassName() === 'BatchNormalization').length, 0);
  const x = tf.randomNormal([2, 115, 80, 1], 0, 1, 'float32', 3);
  const [p0, p1] = tf.tidy(() => [bn.predict(x) as tf.Tensor, bn.predict(tf.add(x, 2.5)) as tf.Tensor].map((t) => Array.from(t.dataSync())));
  assertClose(p1, p0, 1e-4);
  tf.dispose([x]);
  plain.dispose(); bn.dispose();
  const { model, nExcerpts, positiveShare } = await P2.trainDetector(songs, st, { perSong: 4, width: 0.0625, epochs: 1, batchSize: 4, batchNorm: true, lrSchedule: 'cosine',
    augment: { copies: 2, pitchShift: 2, filterDb: 6 }, seed: 2 });
  const picked = [0, 1].flatMap((label) => P2.pickExcerpts(songs, { perSong: 2, seed: 2 + label, label: label as 0 | 1 }));
  assert.equal(nExcerpts, 3 * picked.length); // the balanced picks, then two augmented copies of each
  assertClose([positiveShare], [P2.excerptLabels(songs, picked).reduce((a, b) => a + b, 0) / picked.length], 1e-6);
  assert.ok(model.layers.some((l) => l.name === 'conv1_bn'));
  model.dispose();
  await assert.rejects(() => P2.trainDetector(songs, st, { perSong: 4, lrSchedule: 'step' as never }), /lrSchedule/);
});

test("trainDetector lrSchedule 'exponential': the authors' lr x 0.85 after every epoch, recorded per epoch; cosine halves at the midpoint", async () => {
  assert.equal(P2.AUTHORS_LR_DECAY, 0.85);
  const lrs = async (lrSchedule: 'exponential' | 'cosine') => {
    const { model, history } = await P2.trainDetector(songs, st, { perSong: 2, width: 0.0625, epochs: 3, batchSize: 2, lr: 0.002, lrSchedule, seed: 1 });
    model.dispose();
    return history.map((h) => h.metrics.lr);
  };
  assertClose(await lrs('exponential'), [0.002, 0.002 * 0.85, 0.002 * 0.85 * 0.85], 1e-9);
  assertClose(await lrs('cosine'), [0.002, 0.002 * 0.75, 0.002 * 0.25], 1e-9);
});

test('pAdvMedians and howFarToTrust: medians pooled over both domains; the paragraph counts holds, excerpts and perturbations, says they are not independent; bad input is refused', () => {
  const adv = (pAdv: number[], snrDb: number[]) => ({ refs: pAdv.map((_, i) => ({ song: 0, centre: 100 + i })), pAdv, snrDb }) as unknown as P2.Adversaries;
  const study = {
    adversaries: {
      'no sing->sing': { wave: adv([0.9, 0.7], [40, 42]), spec: adv([0.6], [66]) },
      'sing->no sing': { wave: adv([0.1], [38]), spec: adv([], []) },
    },
    spans: [{ domain: 'wave' }, { domain: 'spec' }],
  } as unknown as P2.VeracityStudy;
  const pm = P2.pAdvMedians(study);
  assert.equal(pm['no sing->sing'], 0.7);
  assert.equal(pm['sing->no sing'], 0.1);
  assert.ok(Number.isNaN(P2.pAdvMedians({ adversaries: { ...study.adversaries, 'sing->no sing': { wave: adv([], []), spec: adv([], []) } } })['sing->no sing']));
  const claim = (verdict: 'holds' | 'not shown') => ({ claim: 'c', paper: 'p', ours: 'o', criterion: 'k', verdict });
  const cfg = P2.config('demo');
  const text = P2.howFarToTrust(study, [claim('holds'), claim('not shown'), claim('holds')], cfg, { testSongs: 1, trainSongs: 3, detectorError: 0.188 });
  assert.match(text, /2 of 3 rows hold at scale \*demo\*/);
  assert.match(text, /on 4 adversarial excerpts from 1 test song/);
  assert.match(text, /not independent samples: they are overlapping windows of 1 waveform and 1 spectrogram perturbation\(s\), one per attacked 200-frame span/);
  assert.match(text, /18\.8 % vs 11\.5 %/);
  assert.match(text, /median SNR of our waveform adversaries: 40\.0 dB/);
  assert.match(text, /no sing->sing 0\.70, sing->no sing 0\.10/);
  assert.throws(() => P2.howFarToTrust(study, [], cfg, { testSongs: 1, trainSongs: 3, detectorError: 0.2 }), /howFarToTrust: no claim rows/);
  assert.throws(() => P2.howFarToTrust(study, [claim('holds')], cfg, { testSongs: 1.5, trainSongs: 3, detectorError: 0.2 }), /howFarToTrust: testSongs must be a whole number/);
  assert.throws(() => P2.howFarToTrust(study, [claim('holds')], cfg, { testSongs: 1, trainSongs: 3, detectorError: 0.2, extra: 1 } as never), /howFarToTrust/);
});
