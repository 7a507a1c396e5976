import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, noLeak } from '../helpers';
import * as P from '../../src/lib/papers/hoedt2025';
import { writeWav } from '../../src/lib/audio';
import { mlp } from '../../src/lib/models';
import { checkClaims } from '../../src/lib/stats';

before(setup);

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('p1Config: paper scale is the paper; every scale has the fields; the paper numbers are the reported ones', () => {
  const p = P.config('paper');
  assert.equal(p.frames, 313);
  assert.equal(p.width, 1);
  assert.equal(p.attack.steps, 1000);
  assert.equal(p.attack.lr, 0.002);
  assert.equal(p.advAttack.steps, 50);
  assert.equal(p.scheduleEvery, 5);
  assert.deepEqual(p.seeds, [6, 21, 42, 796, 950, 2025, 2324, 2451, 3100, 7192]);
  for (const s of ['smoke', 'demo'] as const) {
    const c = P.config(s);
    assert.ok(c.clips! > 0 && c.epochs >= c.scheduleEvery, `${s}: adversarial epochs must occur (epochs ${c.epochs} >= ${c.scheduleEvery})`);
  }
  assert.equal(P.PAPER.table1.A2E.corr, 0.73);
  assert.equal(P.PAPER.maeIncrease.A2M2E, 0.98);
});

test('sliceSpectrograms: 149 bins, exactly `frames` frames, seeded slice start, resampling, clear error for short clips', () => {
  const sr = 22050;
  const n = Math.round(P.secondsForFrames(20) * sr);
  const sig = Float32Array.from({ length: 2 * n }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / sr));
  const a = P.sliceSpectrograms([sig], sr, { frames: 20, seed: 3 });
  const b = P.sliceSpectrograms([sig], sr, { frames: 20, seed: 3 });
  assert.deepEqual(a.specs[0].shape, [20, 149]);
  assert.equal(a.starts[0], b.starts[0]);
  assert.ok(a.starts[0] >= 0 && a.starts[0] + 20 <= 1 + Math.floor((2 * n) / 704));
  // secondsForFrames gives exactly that many centred frames: the only slice starts at 0
  assert.equal(P.sliceSpectrograms([sig.slice(0, n)], sr, { frames: 20 }).starts[0], 0);
  const r = P.sliceSpectrograms([sig.filter((_, i) => i % 2 === 0)], sr / 2, { frames: 20 });
  assert.equal(r.audio[0].length, 2 * n, "resampled to 22.05 kHz");
  assert.throws(() => P.sliceSpectrograms([sig.slice(0, 1000)], sr, { frames: 20, names: ['x7'] }), /clip x7 gives 2 frames/);
  assert.throws(() => P.sliceSpectrograms([sig], sr, { frames: 20, hop: 3 } as object), /unknown option "hop"/);
});

test('loadP1Data (smoke config): split sizes, y = [8 emotions | 7 mid-level] in [0, 1], training split standardised', () => {
  const cfg = { ...P.config('smoke'), clips: 10, frames: 8 };
  const d = P.loadP1Data(cfg);
  try {
    assert.equal(d.train.ids.length + d.valid.ids.length + d.test.ids.length, 10);
    assert.deepEqual(d.train.x.shape.slice(1), [8, 149, 1]);
    assert.deepEqual(d.test.y.shape, [d.test.ids.length, 15]);
    const y = d.train.y.dataSync();
    assert.ok(y.every((v) => v >= 0 && v <= 1));
    const x = d.train.x.dataSync();
    const m = x.reduce((s, v) => s + v, 0) / x.length;
    const v = x.reduce((s, t) => s + (t - m) ** 2, 0) / x.length;
    assert.ok(Math.abs(m) < 1e-4 && Math.abs(v - 1) < 1e-3, `train mean ${m}, var ${v}`);
    const again = P.loadP1Data(cfg);
    assert.deepEqual(Array.from(again.test.x.dataSync()), Array.from(d.test.x.dataSync()), 'same seed, same data');
    again.dispose();
  } finally {
    d.dispose();
  }
});

test('loadP1Data at paper scale: stops with the list of expected files; reads a well-formed folder', () => {
  const cfg = P.config('paper');
  assert.throws(() => P.loadP1Data(cfg, {}), /ROBUSTLENS_P1_DATA is not set[\s\S]*|Set ROBUSTLENS_P1_DATA/);
  assert.throws(() => P.loadP1Data(cfg, {}), /midlevel\/annotations\.csv[\s\S]*audio\/001\.wav \.\.\. audio\/360\.wav/);
  const dir = mkdtempSync(join(tmpdir(), 'p1data-'));
  assert.throws(() => P.loadP1Data(cfg, { dir }), /midlevel\/annotations\.csv is missing/);
  // a 3-excerpt folder: ratings, annotations (ids without leading zeros), short audio at 16 kHz
  mkdirSync(join(dir, 'soundtracks'));
  writeFileSync(join(dir, 'soundtracks', 'mean_ratings_set1.csv'), 'number,valence,energy,tension,anger,fear,happy,sad,tender,TARGET\n' +
    ['001', '002', '003'].map((id, i) => `${id},${[1, 2, 3, 4, 5, 6, 7, 8].map((v) => v + i * 0.5).join(',')},HAPPY`).join('\n') + '\n');
  mkdirSync(join(dir, 'midlevel'));
  writeFileSync(join(dir, 'midlevel', 'annotations.csv'), 'song_id,melodiousness,articulation,rhythm_stability,rhythm_complexity,dissonance,tonal_stability,minorness\n' +
    [1, 2, 3].map((id) => `${id},${[1, 2, 3, 4, 5, 6, 7].map((v) => v + id).join(',')}`).join('\n') + '\n');
  assert.throws(() => P.loadSoundtracksSources(dir), /3 audio file\(s\) missing/);
  mkdirSync(join(dir, 'audio'));
  for (const id of ['001', '002', '003']) writeFileSync(join(dir, 'audio', `${id}.wav`), writeWav(Float32Array.from({ length: 16000 }, (_, i) => 0.1 * Math.sin(i / 5)), 16000));
  const src = P.loadSoundtracksSources(dir);
  assert.deepEqual(src.ids, ['001', '002', '003']);
  assert.ok(Math.abs(src.emotions[1][0] - 0.15) < 1e-6, 'ratings / 10');
  assert.ok(Math.abs(src.midLevel[2][0] - 0.4) < 1e-6, 'mid-level / 10, matched by excerpt number');
  assert.deepEqual(src.sampleRates, [16000, 16000, 16000]);
});

test('emotionsFn / advTrainingAttack: attack the 8 emotion columns only and return a perturbed batch of the same shape', () => {
  // a linear 'A2M2E-like' model: 4 inputs -> 15 outputs
  const m = mlp({ inputShape: [4], hidden: [], outputs: 15, seed: 1 });
  const x = tf.randomNormal([3, 4], 0, 1, 'float32', 2);
  const y = tf.randomUniform([3, 15], 0, 1, 'float32', 3);
  const e = tf.tidy(() => P.emotionsFn(m)(x));
  assert.deepEqual(e.shape, [3, 8]);
  const full = tf.tidy(() => (m.apply(x) as tf.Tensor).slice([0, 0], [-1, 8]));
  assert.deepEqual(Array.from(e.dataSync()), Array.from(full.dataSync()));
  const atk = P.advTrainingAttack({ steps: 20, lr: 0.05 });
  const xAdv = noLeakSync(() => atk(m, x, y, { seed: 0, epoch: 5, step: 1 }) as tf.Tensor);
  assert.deepEqual(xAdv.shape, x.shape);
  tf.dispose([x, y, e, full, xAdv]);
  m.dispose();
});

function noLeakSync<T extends tf.Tensor>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  assert.equal(tf.memory().numTensors, before + 1, 'only the result survives');
  return out;
}

test('kindSpec: heads and loss weights as the paper (A2M2E w = 0.5, others 1); unknown kinds are errors', () => {
  assert.deepEqual(P.kindSpec('A2M2E'), { head: 'A2M2E', adversarial: false, w: 0.5 });
  assert.deepEqual(P.kindSpec('aA2B2E'), { head: 'A2B2E', adversarial: true, w: 1 });
  assert.throws(() => P.kindSpec('aA2M2E' as never), /unknown model kind/);
});

/**
 * A run whose attack leaves every emotion of excerpt j at yTrue + level + 0.01 * ((j * 7 + seed) % 5) at the last iterate
 * (per-excerpt MAE after attack = level + that offset) and at yTrue + keptLevel at the kept delta; clean predictions are off by 0.05.
 */
const run = (kind: P.ModelKind, seed: number, level: number, o: { n?: number; keptLevel?: number; corr?: number; trainSeconds?: number; trainPasses?: number; jitter?: number } = {}): P.P1Run => {
  const n = o.n ?? 8, jitter = o.jitter ?? 0.01;
  const excerpts = Array.from({ length: n }, (_, j) => {
    const yTrue = Array.from({ length: 8 }, (_, k) => ((j * 3 + k * 5) % 11) / 10);
    const off = level + jitter * ((j * 7 + seed) % 5);
    return { excerpt: `e${j}`, yTrue, predClean: yTrue.map((v) => v + 0.05), predLast: yTrue.map((v) => v + off), predKept: yTrue.map((v) => v + (o.keptLevel ?? level / 2)), snrDb: 30 + j, snrL2Db: 20 };
  });
  return { kind, seed, corr: o.corr ?? 0.5, mae: 0.1, trainSeconds: o.trainSeconds ?? 10, trainPasses: o.trainPasses ?? (kind.startsWith('a') ? 2000 : 1000), code: { kind, seed, excerpts }, bounded: null };
};

test('summaries: Table 1 mean/std; Fig. 3 at the last iterate (the authors\') and at the kept delta (ours, named); paired tests by (seed, excerpt); compute ratio', () => {
  const runs = [
    run('A2E', 1, 1.0, { corr: 0.7, trainSeconds: 10 }), run('A2E', 2, 2.0, { corr: 0.8, trainSeconds: 12 }), run('A2E', 3, 3.0, { corr: 0.75, trainSeconds: 11 }),
    run('A2M2E', 1, 0.5, { corr: 0.6, trainSeconds: 11 }), run('A2M2E', 2, 0.7, { corr: 0.6, trainSeconds: 11 }), run('A2M2E', 3, 0.6, { corr: 0.6, trainSeconds: 11 }),
  ];
  const t1 = P.table1(runs);
  assert.equal(t1[0].model, 'A2E');
  assert.ok(Math.abs((t1[0].corr as number) - 0.75) < 1e-12);
  assert.ok(Math.abs((t1[0].corrStd as number) - 0.05) < 1e-12, 'sample std over seeds');
  assert.equal(t1[0].paperCorr, 0.73);
  const f3 = P.fig3Summary(runs);
  // per seed: MAE after = level + mean offset, before = 0.05: the median over seeds is seed 2's
  const mi = (seed: number, level: number) => P.maeIncrease(run('A2E', seed, level).code.excerpts, 'last');
  assert.ok(Math.abs((f3[0].maeIncrease as number) - mi(2, 2.0)) < 1e-12);
  assert.ok(Math.abs((f3[0].maeIncreaseKept as number) - (1.0 - 0.05)) < 1e-9, 'kept: median of level / 2 - 0.05');
  assert.equal(f3[0].paperMaeIncrease, 1.62);
  assert.ok(Math.abs((f3[0].snrDb as number) - 33.5) < 1e-12, 'mean over excerpts and seeds of the authors\' SNR');
  assert.equal(f3[0].snrL2Db, 20);
  assert.equal(f3[0].zeroDelta, 0);
  // a zero kept delta (SNR +Infinity) is counted, not averaged in
  const z = run('A2E', 1, 1.0);
  z.code.excerpts[0].snrL2Db = Infinity;
  const fz = P.fig3Summary([z]);
  assert.equal(fz[0].snrL2Db, 20);
  assert.equal(fz[0].zeroDelta, 1);
  const rows = P.fig3Rows(runs);
  assert.equal(rows.length, 6);
  const tt = P.pairedTests(runs);
  assert.equal(tt.length, 1, 'A2B2E absent: only A2E vs A2M2E');
  assert.equal(tt[0].n, 24);
  const d = [1, 2, 3].map((s) => [1.0, 2.0, 3.0][s - 1] - [0.5, 0.7, 0.6][s - 1]);
  assert.ok(Math.abs((tt[0].meanDiff as number) - d.reduce((a, b) => a + b) / 3) < 1e-9, 'the offsets cancel: same (seed, excerpt) pairs');
  const cost = P.computeCost(runs);
  assert.ok(Math.abs((cost[0].timeRatioToA2M2E as number) - 1) < 1e-12);
  assert.equal(cost[0].passRatioToA2M2E, 1);
  assert.equal(P.medianOf([Infinity, 3, Infinity]), Infinity);
  assert.ok(Number.isNaN(P.medianOf([NaN])));
  assert.throws(() => P.pairedTests([...runs, run('A2E', 4, 1)]), /different seeds/);
});

test('trainingPasses: clean epochs count one pass per example; scheduled adversarial epochs add the attack iterations and the extra step', () => {
  assert.equal(P.trainingPasses({ epochs: 40, nTrain: 240, adversarial: null }), 9600);
  // epochs 5, 10, ..., 40 scheduled: 8 x (5 + 1) extra passes per example
  assert.equal(P.trainingPasses({ epochs: 40, nTrain: 240, adversarial: { steps: 5, scheduleEvery: 5 } }), 240 * (40 + 8 * 6));
  // early stopping after 14 epochs: epochs 5 and 10 scheduled
  assert.equal(P.trainingPasses({ epochs: 14, nTrain: 10, adversarial: { steps: 50, scheduleEvery: 5 } }), 10 * (14 + 2 * 51));
  assert.equal(P.trainingPasses({ epochs: 4, nTrain: 10, adversarial: { steps: 50, scheduleEvery: 5 } }), 40, 'no scheduled epoch yet');
  assert.throws(() => P.trainingPasses({ epochs: 2.5, nTrain: 10, adversarial: null }), /epochs must be a non-negative integer/);
  assert.throws(() => P.trainingPasses({ epochs: 2, nTrain: 10, adversarial: { steps: 5, scheduleEvery: 0 } }), /scheduleEvery >= 1/);
});

test('claims: the compute claim is judged on training passes, not on wall time', () => {
  const grid = (a2m2e: { trainSeconds: number; trainPasses: number }) => [1, 2, 3].flatMap((s) => [
    run('A2E', s, 1.6), run('A2B2E', s, 1.5), run('A2M2E', s, 0.98, a2m2e),
    run('aA2E', s, 1.0, { trainSeconds: 30, trainPasses: 2000 }), run('aA2B2E', s, 1.0, { trainSeconds: 30, trainPasses: 2100 }),
  ]);
  const cost = (g: P.P1Run[]) => P.claims(g).find((c) => /fraction of adversarial training/.test(c.claim))!;
  // slower on the clock (a loaded machine) but half the passes: holds
  const slow = cost(grid({ trainSeconds: 60, trainPasses: 1000 }));
  assert.equal(slow.verdict, 'holds');
  assert.match(slow.criterion, /forward\+backward passes.*at most 0.9 x/);
  assert.match(slow.ours, /1\.0 k passes vs 2\.0 k \/ 2\.1 k \(ratio 0\.50 \/ 0\.48\); wall time 60 s vs 30 s \/ 30 s/);
  // faster on the clock but as many passes as aA2E: not shown
  assert.equal(cost(grid({ trainSeconds: 5, trainPasses: 1900 })).verdict, 'not shown');
});

test('claims: Claim rows whose verdicts follow the paired tests; too few pairs; equivalence margin; reversed; not tested', () => {
  const grid = (a2m2e: number, o: { n?: number; adv?: number } = {}) => [1, 2, 3].flatMap((s) => [
    run('A2E', s, 1.6, { n: o.n, corr: 0.73 }), run('A2B2E', s, 1.5, { n: o.n, corr: 0.7 }), run('A2M2E', s, a2m2e, { n: o.n, corr: 0.67 }),
    run('aA2E', s, o.adv ?? a2m2e + 0.02, { n: o.n, trainSeconds: 30 }), run('aA2B2E', s, o.adv ?? a2m2e - 0.02, { n: o.n, trainSeconds: 30 }),
  ]);
  const good = P.claims(grid(0.98));
  assert.doesNotThrow(() => checkClaims('test', good));
  assert.deepEqual(good.map((c) => c.verdict), ['holds', 'holds', 'holds', 'holds', 'holds', 'holds', 'too few']);
  assert.match(good[0].criterion, /paired t-test.*n >= 20 pairs/);
  assert.match(good[0].ours, /n = 24/);
  // A2M2E hurt more than the black box: the paper's direction reversed; far from the adversarially trained ones
  const bad = P.claims(grid(2.0, { adv: 1.0 }));
  assert.deepEqual(bad.slice(0, 4).map((c) => c.verdict), ['reversed', 'reversed', 'reversed', 'reversed']);
  // 3 seeds x 6 excerpts = 18 pairs < 20
  assert.deepEqual(P.claims(grid(0.98, { n: 6 })).slice(0, 5).map((c) => c.verdict), ['too few', 'too few', 'too few', 'too few', 'too few']);
  // a difference of 0.15 to the adversarially trained models is outside the 0.1 margin, inside a 0.2 one
  assert.equal(P.claims(grid(0.98, { adv: 0.83 }))[2].verdict, 'reversed');
  assert.equal(P.claims(grid(0.98, { adv: 0.83 }), { margin: 0.2 })[2].verdict, 'holds');
  const partial = P.claims(grid(0.98).filter((r) => !r.kind.startsWith('a')));
  assert.deepEqual(partial.map((c) => c.verdict), ['holds', 'holds', 'not tested', 'not tested', 'not tested', 'not tested', 'too few']);
  assert.match(partial[2].excluded![0], /no runs of aA2E/);
  const text = P.conclusion(grid(0.98), { scale: 'demo', claims: good, concepts: [{ concept: 'dissonance', r: 0.8 }, { concept: 'minorness', r: 0.2 }], synthetic: { noiseSd: 0.05 } });
  assert.match(text, /6 of 7 claims hold at demo scale/);
  assert.match(text, /tracks 1 of 2 concepts with r >= 0.5 on the test split \(dissonance 0.80\); the others: minorness 0.20/);
  assert.match(text, /linear function of the seven planted concepts plus Gaussian noise \(sd 0.05\), clipped to \[0, 1\]/);
});

test('attackMer: one record per attacked excerpt with the clean, last-iterate and kept predictions (8 emotions) and both SNRs; conceptCorr', async () => {
  const frames = 3;
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [frames, 149, 1] }), tf.layers.dense({ units: 15, kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) })] });
  const x = tf.randomNormal([4, frames, 149, 1], 0, 1, 'float32', 7);
  const y = tf.randomUniform([4, 15], 0, 1, 'float32', 8);
  const n0 = tf.memory().numTensors;
  const a = await P.attackMer(model, { x, y, ids: ['a', 'b', 'c', 'd'] }, { steps: 4, lr: 0.05, examples: 3 });
  assert.deepEqual(a.excerpts.map((e) => e.excerpt), ['a', 'b', 'c']);
  const [pc, pk] = tf.tidy(() => [(model.predict(x.slice(0, 3)) as tf.Tensor).arraySync() as number[][], (model.predict(a.xAdv) as tf.Tensor).arraySync() as number[][]]);
  const snr = tf.tidy(() => P.approxSnrDb(a.x, a.xAdv.sub(a.x)));
  a.excerpts.forEach((e, i) => {
    assert.equal(e.yTrue.length, 8);
    e.predClean.forEach((v, k) => close(v, pc[i][k], 1e-5));
    e.predKept!.forEach((v, k) => close(v, pk[i][k], 1e-5));
    assert.deepEqual(e.predLast, a.predLast[i]);
    assert.equal(e.predLast.length, 8);
    close(e.snrDb, snr[i], 1e-4);
    assert.equal(e.snrL2Db, a.snrDb[i]);
  });
  assert.ok(a.excerpts.some((e) => e.predLast.some((v, k) => Math.abs(v - e.predKept![k]) > 1e-4)), 'the last iterate differs from the kept delta');
  tf.dispose([a.x, a.xAdv]);
  assert.equal(tf.memory().numTensors, n0, 'only x and xAdv outlive the call');
  // conceptCorr on a model that outputs the targets themselves: r = 1 for every concept
  const rows = P.conceptCorr([model], { x, y: model.predict(x) as tf.Tensor }, ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
  rows.forEach((r) => close(r.r, 1, 1e-5));
  assert.throws(() => P.conceptCorr([model], { x, y }, ['c1']), /8 emotions \+ 1 concepts/);
  tf.dispose([x, y, model]);
});

test('midlevelShift: mean and absolute shift per concept; rejects outputs without the 7 concepts', () => {
  const names = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
  const row = (e: number, m: number[]) => [...Array(8).fill(e), ...m];
  const clean = [row(0.5, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]), row(0.5, [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])];
  const adv = [row(0.9, [0.3, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]), row(0.9, [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])];
  const s = P.midlevelShift(clean, adv, clean, names);
  assert.ok(Math.abs((s[0].shift as number) - 0) < 1e-12);
  assert.ok(Math.abs((s[0].absShift as number) - 0.2) < 1e-12);
  assert.equal(s[1].absShift, 0);
  assert.throws(() => P.midlevelShift([[1, 2, 3, 4, 5, 6, 7, 8]], [[1, 2, 3, 4, 5, 6, 7, 8]], [[1, 2, 3, 4, 5, 6, 7, 8]], names), /A2M2E model/);
});

test('renderAdversarialAudio: an unchanged slice renders to the same audio (SNR Infinity); a perturbed one has finite SNR', () => {
  const cfg = { ...P.config('smoke'), clips: 10, frames: 8 };
  const d = P.loadP1Data(cfg);
  try {
    const per = 8 * 149;
    const z = d.train.x.dataSync().slice(0, per) as Float32Array;
    const same = P.renderAdversarialAudio(d, d.train.index[0], z, z);
    assert.equal(same.snrDb, Infinity);
    assert.equal(same.clean.length, 7 * 704);
    const zAdv = z.map((v, i) => v + (i % 7 === 0 ? 0.5 : 0));
    const r = P.renderAdversarialAudio(d, d.train.index[0], z, zAdv);
    assert.ok(Number.isFinite(r.snrDb) && r.snrDb > 0, `SNR ${r.snrDb}`);
    assert.throws(() => P.renderAdversarialAudio(d, 999, z, z), /clip 999 is not in/);
  } finally {
    d.dispose();
  }
});
