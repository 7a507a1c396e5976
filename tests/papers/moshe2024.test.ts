/** P3 paper module (moshe2024): configuration, families, PGD training callback, activation-sensitivity
 * profile, interpretability scores, the family table, paired comparisons and claim verdicts, on tiny
 * models with known answers. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import { mlp } from '../../src/lib/models';
import {
  config, family, families, layerChange, activationSensitivityProfile, interpretabilityScores,
  scoreRecords, summariseFamilies, compareFamilies, claimVerdicts, claimSummary, metricVerdict, verdictOf, paperDataDir, loadImageSets, imageMeans, flagCollapsed,
  trainFamily, METHODS, METRICS,
} from '../../src/lib/papers/moshe2024';
import type { ScoreRecord } from '../../src/lib/papers/moshe2024';

before(setup);

const close = (a: number, b: number, tol = 1e-6, msg = '') => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

test('config per scale, families and their labels; errors', () => {
  const demo = config('demo');
  assert.equal(demo.seeds.length, 2);
  assert.ok(demo.train.sweepLambdas.length >= 2);
  assert.equal(config('paper').images.datasets.includes('cifar10'), true);
  demo.seeds.push(99);
  assert.equal(config('demo').seeds.length, 2, 'config returns a copy');
  assert.throws(() => config('huge' as never), /unknown scale "huge"/);
  const f = families(demo, [0.1]);
  assert.deepEqual(f.map((x) => x.label), ['standard', 'PGD-AT', 'TRADES', 'AS λ=0.1']);
  assert.deepEqual(f.map((x) => x.group), ['standard', 'robust', 'robust', 'regularised']);
  assert.throws(() => family('as'), /needs lambda > 0/);
});

test('layerChange: relative change per example and mean |change| per neuron (hand-computed)', async () => {
  await noLeak(() => {
    const a = tf.tensor2d([[3, 4], [1, 0]]);
    const b = tf.tensor2d([[3, 4 + 5], [1, 0.5]]);
    const r = layerChange(a, b);
    close(r.rel[0], 1); // ||(0, 5)|| / ||(3, 4)||
    close(r.rel[1], 0.5);
    close(r.neuron[0], 0);
    close(r.neuron[1], (5 + 0.5) / 2);
    close(r.abs[0], 5);
    close(r.abs[1], 0.5);
    close(r.spread, Math.sqrt(((1 + 4) + (1 + 4)) / 2)); // mean (2, 2): deviations (1, 2) and (-1, -2)
    // the spread ignores an offset added to every activation (the relative change does not)
    const [a2, b2] = [a, b].map((t) => tf.add(t, 10));
    const r2 = layerChange(a2, b2);
    close(r2.spread, r.spread);
    close(r2.abs[0], 5);
    assert.ok(r2.rel[0] < r.rel[0] / 2);
    tf.dispose([a, b, a2, b2]);
  });
});

test('activationSensitivityProfile: adversarial moves activations more than random of equal L2 size', async () => {
  const m = mlp({ inputShape: [16], outputs: 3, hidden: [12], seed: 2 });
  const x = tf.randomUniform([24, 16], 0.3, 0.7, 'float32', 5);
  const y = tf.tensor1d(Array.from({ length: 24 }, (_, i) => i % 3), 'int32');
  const p = await noLeak(() => activationSensitivityProfile(m, x, y, { layers: ['dense1'], eps: 0.05, steps: 5, seed: 1 }));
  assert.equal(p.layers.length, 1);
  assert.equal(p.layers[0].neuronAdv.length, 12);
  close(p.l2Rand, p.l2Adv, 1e-3 * p.l2Adv, 'equal L2 budget');
  assert.ok(p.layers[0].relAdv > p.layers[0].relRand, `adv ${p.layers[0].relAdv} vs random ${p.layers[0].relRand}`);
  assert.ok(p.layers[0].spreadAdv > p.layers[0].spreadRand && p.layers[0].spreadRand > 0, `spread units: adv ${p.layers[0].spreadAdv} vs random ${p.layers[0].spreadRand}`);
  await assert.rejects(activationSensitivityProfile(m, x, y, { layers: [], eps: 0.1 }), /non-empty list/);
  tf.dispose([x, y]);
  m.dispose();
});

test('activationSensitivityProfile: removing what the task does not need lowers the sensitivity and raises the adversarial / random ratio (linear layer, analytic)', async () => {
  // dense1 = [w.x, v.x] (linear); the output reads only unit 0, so PGD moves x along sign(w). Model B drops v
  // (the layer no longer reacts to v at all): its adversarial change can only fall, its random change falls
  // more, so adv/rand rises. The ratio measures concentration on the worst-case direction, not sensitivity.
  const d = 16;
  const w = Array.from({ length: d }, (_, i) => 1 + (i % 3));
  const v = Array.from({ length: d }, (_, i) => Math.sin(3 * i + 1) * 4);
  const build = (keepV: boolean) => tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [d], units: 2, useBias: false, name: 'dense1', weights: [tf.tensor2d(w.map((wi, i) => [wi, keepV ? v[i] : 0]))] }),
    tf.layers.dense({ units: 2, useBias: false, name: 'out', weights: [tf.tensor2d([[1, -1], [0, 0]])] }),
  ] });
  const [a, b] = [build(true), build(false)];
  const x = tf.randomUniform([32, d], 0.3, 0.7, 'float32', 9);
  const y = tf.tensor1d(Array.from({ length: 32 }, () => 0), 'int32');
  const pa = await activationSensitivityProfile(a, x, y, { layers: ['dense1'], eps: 0.05, steps: 10, seed: 2 });
  const pb = await activationSensitivityProfile(b, x, y, { layers: ['dense1'], eps: 0.05, steps: 10, seed: 2 });
  const [la, lb] = [pa.layers[0], pb.layers[0]];
  // same PGD point for both (the output is the same function): |w.delta| = eps ||w||_1 in both, plus |v.delta| in A
  close(pa.l2Adv, pb.l2Adv, 1e-5);
  const absAdv = (m: tf.LayersModel) => tf.tidy(() => { const dl = (m.getLayer('dense1').getWeights()[0]); const e = tf.fill([d], 0.05); return tf.norm(tf.matMul(e.reshape([1, d]), dl)).dataSync()[0]; });
  assert.ok(absAdv(b) <= absAdv(a), 'B moves no more than A under the worst case');
  console.log(`dense1 adv/rand: with v ${(la.relAdv / la.relRand).toFixed(2)}, without ${(lb.relAdv / lb.relRand).toFixed(2)}`);
  assert.ok(lb.relAdv / lb.relRand > 1.3 * (la.relAdv / la.relRand), `ratio rises: B ${lb.relAdv / lb.relRand} vs A ${la.relAdv / la.relRand}`);
  tf.dispose([x, y]);
  a.dispose();
  b.dispose();
});

test('interpretabilityScores on a linear model whose weight is the object mask: perfect localisation, Gini (d - k) / d', async () => {
  // f(x)_0 = sum of the mask pixels, f(x)_1 = 0: saliency of class 0 is the mask itself.
  const h = 6, k = 4, d = h * h;
  const mask = new Float32Array(d);
  [7, 8, 13, 14].forEach((j) => (mask[j] = 1));
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [h, h, 1] }), tf.layers.dense({ units: 2, useBias: false })] });
  const W = new Float32Array(d * 2);
  for (let j = 0; j < d; j++) W[j * 2] = mask[j];
  model.setWeights([tf.tensor2d(W, [d, 2])]);
  const x = tf.randomUniform([3, h, h, 1], 0.2, 0.8, 'float32', 1);
  const masks = tf.tensor4d(Array.from({ length: 3 }, () => Array.from(mask)).flat(), [3, h, h, 1]);
  const s = await noLeak(() => interpretabilityScores(model, x, masks, [0, 0, 0], { igSteps: 4, sgN: 2, sgNoise: 0.05, msN: 2, msRadius: 0.01, curveSteps: 4, keepMaps: 1 }));
  for (const v of s.scores.saliency.energyInMask) close(v, 1);
  assert.deepEqual(s.scores.saliency.pointingGame, [1, 1, 1]);
  for (const v of s.scores.saliency.sparseness) close(v, (d - k) / d, 1e-5);
  for (const v of s.scores.saliency.maxSensitivity) close(v, 0, 1e-6); // a linear model's gradient does not move
  for (const v of s.scores.smoothGrad.energyInMask) close(v, 1, 1e-6);
  for (const v of s.scores.integratedGradients.energyInMask) close(v, 1, 1e-6); // (x - b) * w vanishes off the mask
  assert.equal(s.maps.saliency.length, 1);
  assert.equal(s.maps.saliency[0].length, d);
  const recs = scoreRecords(s, { family: 'f', group: 'g', seed: 0 });
  assert.equal(recs.length, METHODS.length * METRICS.length * 3);
  await assert.rejects(interpretabilityScores(model, x, masks, [0], { igSteps: 4, sgN: 2, sgNoise: 0.05, msN: 2, msRadius: 0.01, curveSteps: 4 }), /1 targets for 3 images/);
  tf.dispose([x, masks]);
  model.dispose();
});

/** Records for two families: b = a - delta on every (seed, image), with small noise. */
function pairRecords(delta: number, metric: 'energyInMask' | 'maxSensitivity'): ScoreRecord[] {
  const out: ScoreRecord[] = [];
  for (const seed of [0, 1]) {
    for (let image = 0; image < 20; image++) {
      const base = 0.5 + 0.01 * ((image * 7) % 5) + 0.02 * seed;
      for (const method of METHODS) {
        out.push({ family: 'A', group: 'robust', seed, method, metric, image, value: base + 0.003 * (image % 3) });
        out.push({ family: 'B', group: 'standard', seed, method, metric, image, value: base - delta });
      }
    }
  }
  return out;
}

test('summariseFamilies: mean over images and seeds, t-based seed interval (hand-computed), bootstrap CI contains the mean', () => {
  const recs: ScoreRecord[] = [];
  for (const [seed, v] of [[0, 0.4], [1, 0.6]] as const) {
    for (let image = 0; image < 4; image++) recs.push({ family: 'A', group: 'robust', seed, method: 'saliency', metric: 'energyInMask', image, value: v + 0.01 * image });
  }
  const [r] = summariseFamilies(recs, { seed: 1, n: 200 });
  close(r.mean, 0.515);
  close(r.seedSd, Math.sqrt(0.02));
  close(r.seedHi - r.seedLo, 2 * 12.706204736 * Math.sqrt(0.02) / Math.sqrt(2), 1e-5);
  assert.ok(r.lo <= r.mean && r.mean <= r.hi);
  assert.equal(r.nImages, 4);
  assert.equal(r.nSeeds, 2);
});

test('compareFamilies and claimVerdicts: direction follows each metric; significance; verdict rules', () => {
  const up = compareFamilies(pairRecords(0.05, 'energyInMask'), [['A', 'B']]).filter((c) => c.metric === 'energyInMask');
  assert.equal(up.length, METHODS.length);
  for (const c of up) {
    assert.equal(c.n, 20, 'the unit is the image: 20 images, not 40 (seed, image) pairs');
    assert.equal(c.seedsA, 2);
    close(c.meanDiff, 0.05 + 0.003 * 0.95, 1e-9); // mean of image % 3 over images 0..19 is 0.95

    assert.equal(c.better, true);
    assert.ok(c.pHolm < 1e-6);
    assert.equal(metricVerdict(c), 'supports');
  }
  // For a lower-is-better metric, a higher value of A is worse.
  const down = compareFamilies(pairRecords(0.05, 'maxSensitivity'), [['A', 'B']]).filter((c) => c.metric === 'maxSensitivity');
  for (const c of down) assert.equal(metricVerdict(c), 'contradicts');
  assert.throws(() => compareFamilies(pairRecords(0.05, 'energyInMask'), [['A', 'C']]), /no records for family "C"/);
  assert.equal(verdictOf(4, 0, 6), 'holds');
  assert.equal(verdictOf(4, 1, 6), 'not shown');
  assert.equal(verdictOf(0, 4, 6), 'reversed');
  assert.equal(verdictOf(3, 0, 6), 'not shown');
  assert.equal(metricVerdict({ better: true, pHolm: 0.2 }), 'n.s.');
  const v = claimVerdicts(up, { claim: 'A > B', pairs: [['A', 'B']] });
  assert.equal(v.length, METHODS.length);
  assert.equal(v[0].supports, 1);
  assert.equal(v[0].n, 20);
  assert.equal(claimVerdicts(up, { claim: 'A > B', pairs: [['A', 'B']], minN: 21 })[0].verdict, 'too few');
  const [c] = claimSummary(v, { excluded: ['B seed 9: at chance'], untested: [{ claim: 'C > A', why: 'every C model collapsed' }, { claim: 'A > B', why: 'x' }] }).slice(0, 1);
  assert.equal(c.verdict, 'holds'); // (up holds only energyInMask: one metric per cell, and it supports)
  assert.deepEqual(c.excluded, ['B seed 9: at chance']);
  const all = claimSummary(v, { untested: [{ claim: 'C > A', why: 'every C model collapsed' }] });
  assert.equal(all.length, 2);
  assert.equal(all[1].verdict, 'not tested');
  assert.throws(() => claimVerdicts(up, { claim: 'x', pairs: [['B', 'A']] }), /no comparison of "B" vs "A"/);
});

test('compareFamilies: the image is the unit (seeds averaged per image, paired by image id, not by record order); excluded models leave the average', () => {
  // A - B = 0.1 on every image for seed 0 and 0.3 for seed 1: per image the seed mean of A - B is 0.2,
  // while the image effect (large, shared by both families) cancels only if images are paired by id.
  const recs: ScoreRecord[] = [];
  const imgs = 12;
  for (const seed of [0, 1]) {
    for (let image = 0; image < imgs; image++) {
      const base = ((image * 37) % 11) / 11 + 0.001 * (image % 4);
      recs.push({ family: 'A', group: 'g', seed, method: 'saliency', metric: 'energyInMask', image, value: base + (seed ? 0.3 : 0.1) + 0.002 * (image % 2) });
      recs.push({ family: 'B', group: 'g', seed, method: 'saliency', metric: 'energyInMask', image, value: base });
    }
  }
  // shuffle the records: pairing must follow the image id
  const shuffled = recs.map((r, i) => [((i * 7919) % 97) / 97, r] as const).sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  const [c] = compareFamilies(shuffled, [['A', 'B']]).filter((q) => q.method === 'saliency' && q.metric === 'energyInMask');
  assert.equal(c.n, imgs, 'n = images');
  assert.equal(c.seedsA, 2);
  close(c.meanDiff, 0.2 + 0.001, 1e-9);
  // the paired t statistic over images: d_j = 0.2 + 0.002 (j % 2): mean 0.201, sd of d computed by hand
  const d = Array.from({ length: imgs }, (_, j) => 0.2 + 0.002 * (j % 2));
  const md = d.reduce((s, v) => s + v, 0) / imgs;
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - md) ** 2, 0) / (imgs - 1));
  close(c.t, md / (sd / Math.sqrt(imgs)), 1e-6);
  const m = imageMeans(recs, 'A', 'saliency', 'energyInMask');
  assert.equal(m.values.size, imgs);
  assert.deepEqual(m.seeds, [0, 1]);
  // exclude seed 1 of A: the difference is seed 0's alone, n still the images
  const [e] = compareFamilies(recs, [['A', 'B']], { exclude: [{ family: 'A', seed: 1 }] }).filter((q) => q.method === 'saliency' && q.metric === 'energyInMask');
  assert.equal(e.seedsA, 1);
  assert.equal(e.n, imgs);
  close(e.meanDiff, 0.1 + 0.001, 1e-9);
  assert.throws(() => compareFamilies(recs, [['A', 'B']], { exclude: ['A|0', 'A|1'] }), /every model of family "A" is excluded/);
  assert.throws(() => compareFamilies(recs, [['A', 'B']], { exlude: [] } as never), /unknown option "exlude"/);
});

test('flagCollapsed: chance, far below its own family, far below standard training', () => {
  const rows = [
    { dataset: 'synth', family: 'standard', seed: 0, accuracy: 0.95, classes: 4 },
    { dataset: 'synth', family: 'standard', seed: 1, accuracy: 0.93, classes: 4 },
    { dataset: 'synth', family: 'TRADES', seed: 0, accuracy: 0.9, classes: 4 },
    { dataset: 'synth', family: 'TRADES', seed: 1, accuracy: 0.57, classes: 4 },
    { dataset: 'synth', family: 'PGD-AT', seed: 0, accuracy: 0.88, classes: 4 },
    { dataset: 'synth', family: 'AS', seed: 0, accuracy: 0.29, classes: 4 },
    { dataset: 'mnist', family: 'standard', seed: 0, accuracy: 0.8, classes: 10 },
    { dataset: 'mnist', family: 'PGD-AT', seed: 0, accuracy: 0.75, classes: 10 },
  ];
  const f = flagCollapsed(rows);
  const flagged = (fam: string, seed: number, ds = 'synth') => f.find((r) => r.family === fam && r.seed === seed && r.dataset === ds)!;
  assert.equal(flagged('TRADES', 1).collapsed, true, 'TRADES seed 1 at 0.57 is flagged');
  assert.match(flagged('TRADES', 1).reason, /33\.0 points below the best other TRADES seed/);
  assert.match(flagged('TRADES', 1).reason, /37\.0 points below standard training \(0\.940\)/);
  assert.equal(flagged('TRADES', 0).collapsed, false);
  assert.equal(flagged('PGD-AT', 0).collapsed, false);
  assert.match(flagged('AS', 0).reason, /at chance/);
  assert.equal(flagged('standard', 1).collapsed, false);
  assert.equal(flagged('PGD-AT', 0, 'mnist').collapsed, false, 'compared with its own data set only');
  assert.equal(flagCollapsed(rows, { standardGap: 0.05 }).find((r) => r.family === 'PGD-AT' && r.dataset === 'synth')!.collapsed, true);
  assert.throws(() => flagCollapsed([{ ...rows[0], accuracy: NaN }]), /give a number in \[0, 1\]/);
  assert.throws(() => flagCollapsed(rows, { gap: 1 } as never), /unknown option "gap"/);
});

test('data: smoke sets load; paper scale without ROBUSTLENS_P3_DATA says which files it expects', () => {
  const cfg = config('smoke');
  const d = loadImageSets(cfg);
  assert.deepEqual(d.synthTrain.shape, [cfg.synth.nTrain, 28, 28, 1]);
  assert.equal(d.synthTest.masks.length, cfg.synth.nTest * 28 * 28);
  assert.deepEqual(d.images.mnist?.train.shape, [cfg.images.nTrain, 28, 28, 1]);
  assert.throws(() => paperDataDir('cifar10', {}), /ROBUSTLENS_P3_DATA.*cifar10\/.*test_batch\.bin/);
  assert.throws(() => paperDataDir('mnist', { ROBUSTLENS_P3_DATA: '/nonexistent-p3' }), /\/nonexistent-p3\/mnist does not exist/);
});

test('trainFamily trains each family under one budget and caches the model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-p3-'));
  try {
    const cfg = config('smoke');
    cfg.model = { width: 0.25, hidden: 4 };
    cfg.train.batchSize = 8;
    const set = loadImageSets({ ...cfg, synth: { ...cfg.synth, nTrain: 16, size: 12 }, images: { ...cfg.images, datasets: [] } }).synthTrain;
    for (const f of families(cfg, [0.05])) {
      const r = await trainFamily(f, set, { cfg, dataset: 'synth', seed: 0, dir });
      assert.equal(r.cached, false);
      assert.deepEqual(r.model.outputs[0].shape, [null, cfg.synth.classes]);
      r.model.dispose();
    }
    const again = await trainFamily(family('standard'), set, { cfg, dataset: 'synth', seed: 0, dir });
    assert.equal(again.cached, true);
    again.model.dispose();
    await assert.rejects(trainFamily(family('standard'), set, { cfg, dataset: 'synth', seed: 0, dir, sed: 1 } as never), /unknown option "sed"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
