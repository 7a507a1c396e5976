/** P4 paper module (Wang, Fredrikson & Datta 2022, arXiv 2103.11257): analytic answers on linear models, properties, errors, leaks. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, assertClose } from '../helpers';
import { Rng } from '../../src/lib/engine';
import { synthImages, toTensors } from '../../src/lib/data';
import * as P4 from '../../src/lib/papers/wang2022';

before(setup);

/** z = flatten(x) W + bias as a LayersModel on [2, 2, 1] images, C classes, weights from a seed. */
function linearModel(C = 3, seed = 1): { model: tf.LayersModel; W: number[][]; bias: number[] } {
  const D = 4;
  const r = new Rng(seed);
  const w = Array.from(r.normals(D * C));
  const bias = Array.from(r.normals(C, 0, 0.1));
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: C })] });
  model.setWeights([tf.tensor2d(w, [D, C]), tf.tensor1d(bias)]);
  const W = Array.from({ length: C }, (_, c) => Array.from({ length: D }, (_, d) => w[d * C + c]));
  return { model, W, bias };
}

const cos = (a: number[], b: number[]) => {
  const dot = a.reduce((s, v, i) => s + v * b[i], 0);
  return dot / (Math.hypot(...a) * Math.hypot(...b));
};

test('config: every scale is complete; robust-accuracy budgets are searched budgets; ladder starts with the standard model', () => {
  for (const s of ['smoke', 'demo', 'paper'] as const) {
    const c = P4.config(s);
    assert.equal(c.scale, s);
    assert.equal(c.ladder.epsilons[0], 0, `${s}: rung 0 is standard training`);
    for (let i = 1; i < c.ladder.epsilons.length; i++) assert.ok(c.ladder.epsilons[i] > c.ladder.epsilons[i - 1], `${s}: ladder ascending`);
    for (const r of c.attackEpsilons) assert.ok(c.boundary.epsilons.some((e) => Math.abs(e - r) < 1e-12), `${s}: budget ${r} must be searched so boundarySummary's robust accuracy is exact`);
    assert.ok(c.nEval <= c.synth.nTest && c.nShow <= c.nEval);
  }
  assert.equal(P4.config('paper').cifar.source, 'folder');
  // a copy, not shared state
  const a = P4.config('demo');
  a.ladder.epsilons.push(9);
  assert.ok(!P4.config('demo').ladder.epsilons.includes(9));
});

test('pgdL2Attack: stays in the L2 ball and [0, 1], raises the loss, is seeded by the step seed, leaves no tensors', async () => {
  const { model } = linearModel(3, 2);
  const x = tf.tensor(new Rng(3).uniforms(6 * 4, 0.2, 0.8), [6, 2, 2, 1]);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
  const yOne = tf.oneHot(y, 3);
  const attack = P4.pgdL2Attack({ eps: 0.3, steps: 5 });
  const ce = (xx: tf.Tensor) => tf.tidy(() => tf.logSoftmax(model.predict(xx) as tf.Tensor).mul(tf.oneHot(y, 3)).sum(1).neg().dataSync());
  await noLeak(() => {
    const a = attack(model, x, y, { seed: 7, epoch: 1, step: 1 }) as tf.Tensor;
    const b = attack(model, x, y, { seed: 7, epoch: 1, step: 1 }) as tf.Tensor;
    const c = attack(model, x, yOne, { seed: 7, epoch: 1, step: 1 }) as tf.Tensor; // one-hot labels too
    const d = attack(model, x, y, { seed: 8, epoch: 1, step: 2 }) as tf.Tensor;
    const norms = tf.tidy(() => a.sub(x).reshape([6, -1]).norm(2, 1).dataSync());
    for (const v of norms) assert.ok(v <= 0.3 + 1e-5 && v > 0.05, `||delta|| = ${v}`);
    const av = a.dataSync();
    assert.ok(av.every((v) => v >= 0 && v <= 1));
    assert.deepEqual(Array.from(av), Array.from(b.dataSync()), 'same seed, same adversary');
    assert.deepEqual(Array.from(av), Array.from(c.dataSync()), 'one-hot and id labels agree');
    assert.notDeepEqual(Array.from(av), Array.from(d.dataSync()), 'another step seed, another start');
    const l0 = ce(x), l1 = ce(a);
    for (let i = 0; i < 6; i++) assert.ok(l1[i] > l0[i], `loss rises for example ${i}`);
    tf.dispose([a, b, c, d]);
  });
  assert.throws(() => P4.pgdL2Attack({ eps: 0 }), /eps must be a positive number/);
  assert.throws(() => P4.pgdL2Attack({ eps: 1, step: 3 } as never), /unknown option "step"/);
  tf.dispose([x, y, yOne]);
});

test('boundaryNormal: for z = xW + b the normal is W_c - W_a, a = the strongest other class at x\'', async () => {
  const { model, W } = linearModel(3, 4);
  const xb = tf.tensor(new Rng(5).uniforms(3 * 4), [3, 2, 2, 1]);
  const z = (model.predict(xb) as tf.Tensor).arraySync() as number[][];
  const classes = [0, 1, 2];
  const n = await noLeak(() => {
    const t = P4.boundaryNormal(model, xb, classes, { batchSize: 2 }); // two chunks
    const v = t.arraySync() as number[][][][];
    t.dispose();
    return v;
  });
  classes.forEach((c, i) => {
    const others = [0, 1, 2].filter((j) => j !== c);
    const a = others.reduce((best, j) => (z[i][j] > z[i][best] ? j : best), others[0]);
    assertClose(n[i].flat(2), W[c].map((v, d) => v - W[a][d]), 1e-5, `example ${i}`);
  });
  assert.throws(() => P4.boundaryNormal(model, xb, [0, 1]), /2 classes for 3 boundary points/);
  assert.throws(() => P4.boundaryNormal(model, xb, [0, 1, 3]), /class 3 is not in \[0, 2\]/);
  assert.throws(() => P4.boundaryNormal(model, xb, classes, { batch: 2 } as never), /unknown option "batch"/);
  xb.dispose();
});

test('gradientNormalAlignment: analytic cosines on a linear model; not-found examples are NaN and counted', async () => {
  const { model, W } = linearModel(2, 6);
  const x = tf.tensor(new Rng(7).uniforms(4 * 4), [4, 2, 2, 1]);
  const xb = tf.tensor(new Rng(8).uniforms(4 * 4), [4, 2, 2, 1]);
  const pred = Array.from((model.predict(x) as tf.Tensor).argMax(1).dataSync());
  const r = await noLeak(() => P4.gradientNormalAlignment(model, x, xb, { found: [true, true, false, true] }));
  const xs = x.arraySync() as number[][][][];
  const bs = xb.arraySync() as number[][][][];
  for (const i of [0, 1, 3]) {
    const c = pred[i];
    const a = 1 - c;
    // grad z_c = W_c; normal = W_c - W_a (two classes: a is the other one)
    assertClose([r.cosine[i]], [cos(W[c], W[c].map((v, d) => v - W[a][d]))], 1e-5, `cos normal ${i}`);
    const dir = xs[i].flat(2).map((v, d) => v - bs[i].flat(2)[d]);
    assertClose([r.cosineDirection[i]], [cos(W[c], dir)], 1e-4, `cos direction ${i}`);
  }
  assert.ok(Number.isNaN(r.cosine[2]) && Number.isNaN(r.cosineDirection[2]));
  assert.equal(r.nUndefined, 1);
  assertClose([r.value], [(r.cosine[0] + r.cosine[1] + r.cosine[3]) / 3], 1e-6);
  await assert.rejects(P4.gradientNormalAlignment(model, x, xb.slice(0, 2)), /must be shaped like x/);
  tf.dispose([x, xb]);
});

test('igBaseline: black, white, seeded uniform noise, and a blur that keeps constants and mass', () => {
  const x = tf.tensor(new Rng(9).uniforms(2 * 12 * 12 * 3), [2, 12, 12, 3]);
  const black = P4.igBaseline(x, 'black');
  const white = P4.igBaseline(x, 'white');
  const u1 = P4.igBaseline(x, 'uniform', { seed: 3 });
  const u2 = P4.igBaseline(x, 'uniform', { seed: 3 });
  assert.ok(black.dataSync().every((v) => v === 0));
  assert.ok(white.dataSync().every((v) => v === 1));
  assert.deepEqual(Array.from(u1.dataSync()), Array.from(u2.dataSync()));
  assert.ok(u1.dataSync().every((v) => v >= 0 && v < 1));
  assert.deepEqual(u1.shape, x.shape);
  tf.dispose([black, white, u1, u2, x]);
  // constant image: unchanged by the blur (replicated edges)
  const c = new Float32Array(9 * 9).fill(0.4);
  P4.gaussianBlur(c, [1, 9, 9, 1], 1.5).forEach((v) => assert.ok(Math.abs(v - 0.4) < 1e-6));
  // an impulse far from the edges: mass kept, symmetric, peak spread out
  const imp = new Float32Array(15 * 15);
  imp[7 * 15 + 7] = 1;
  const b = P4.gaussianBlur(imp, [1, 15, 15, 1], 1);
  assertClose([b.reduce((s, v) => s + v, 0)], [1], 1e-5, 'mass');
  assertClose([b[7 * 15 + 5]], [b[7 * 15 + 9]], 1e-7, 'symmetric');
  assertClose([b[5 * 15 + 7]], [b[7 * 15 + 5]], 1e-7, 'isotropic');
  assert.ok(b[7 * 15 + 7] < 0.2 && b[7 * 15 + 7] > b[7 * 15 + 8]);
  const t = tf.tensor(imp, [1, 15, 15, 1]);
  const tb = P4.igBaseline(t, 'blurred', { sigma: 1 });
  assertClose(tb.dataSync(), b, 1e-6);
  tf.dispose([t, tb]);
  const z = tf.zeros([2, 4]);
  assert.throws(() => P4.igBaseline(z, 'black'), /NHWC images/);
  const z4 = tf.zeros([1, 4, 4, 1]);
  assert.throws(() => P4.igBaseline(z4, 'grey' as never), /unknown baseline "grey"/);
  assert.throws(() => P4.igBaseline(z4, 'blurred', { sigma: 0 }), /sigma must be > 0/);
  tf.dispose([z, z4]);
});

test('attributionMaps: analytic maps on a linear model (saliency = W_t, IG = x W_t, BSM = W_t, BIG = (x - x\') W_t), no leaks', async () => {
  const { model, W } = linearModel(3, 10);
  const x = tf.tensor(new Rng(11).uniforms(2 * 4), [2, 2, 2, 1]);
  const xb = tf.tensor(new Rng(12).uniforms(2 * 4), [2, 2, 2, 1]);
  const target = [2, 0];
  const xs = (x.arraySync() as number[][][][]).map((e) => e.flat(2));
  const bs = (xb.arraySync() as number[][][][]).map((e) => e.flat(2));
  await noLeak(async () => {
    const r = await P4.attributionMaps(model, x, { target, boundary: xb, igSteps: 8, sgN: 3, agiSteps: 3 });
    assert.deepEqual(Object.keys(r.maps), [...P4.P4_METHODS]);
    const m = Object.fromEntries(Object.entries(r.maps).map(([k, v]) => [k, (v as tf.Tensor).arraySync() as number[][][][]]));
    target.forEach((t, i) => {
      assertClose(m.saliency[i].flat(2), W[t], 1e-5, 'saliency');
      assertClose(m.bsm[i].flat(2), W[t], 1e-5, 'bsm');
      assertClose(m.smoothGrad[i].flat(2), W[t], 1e-5, 'smoothGrad of a linear model');
      assertClose(m.ig[i].flat(2), xs[i].map((v, d) => v * W[t][d]), 1e-5, 'ig');
      assertClose(m.big[i].flat(2), xs[i].map((v, d) => (v - bs[i][d]) * W[t][d]), 1e-5, 'big');
    });
    for (const k of ['ig', 'big'] as const) r.gaps[k]!.forEach((g) => assert.ok(Math.abs(g) < 1e-4, `${k} gap ${g}`));
    assert.ok(Object.values(r.seconds).every((s) => (s as number) >= 0));
    P4.disposeMaps(r.maps);
    const only = await P4.attributionMaps(model, x, { target, methods: ['saliency'] });
    assert.deepEqual(Object.keys(only.maps), ['saliency']);
    P4.disposeMaps(only.maps);
  });
  await assert.rejects(P4.attributionMaps(model, x, { target, methods: ['bsm'] }), /need option "boundary"/);
  await assert.rejects(P4.attributionMaps(model, x, { target, methods: ['lrp' as never] }), /unknown method "lrp"/);
  await assert.rejects(P4.attributionMaps(model, x, { target, steps: 3 } as never), /unknown option "steps"/);
  tf.dispose([x, xb]);
});

test('localisation: energy and pointing game against boxes with CIs; synthBoxes maps [x0, y0, x1, y1]', async () => {
  assert.deepEqual(P4.synthBoxes(Int32Array.from([1, 2, 5, 6, 0, 0, 3, 4]), [1, 0]), [
    { left: 0, top: 0, right: 3, bottom: 4 },
    { left: 1, top: 2, right: 5, bottom: 6 },
  ]);
  assert.throws(() => P4.synthBoxes(Int32Array.from([0, 0, 1, 1]), [1]), /index 1 out of range/);
  // 3 images 4x4x2; box = top-left 2x2 quadrant
  const box = { top: 0, left: 0, bottom: 2, right: 2 };
  const inside = new Float32Array(3 * 16 * 2);
  const half = new Float32Array(3 * 16 * 2);
  for (let i = 0; i < 3; i++) {
    inside[(i * 16 + 1 * 4 + 1) * 2] = 2; // (1, 1) in the box
    half[(i * 16 + 0) * 2 + 1] = 1; // (0, 0) in
    half[(i * 16 + 3 * 4 + 3) * 2] = -1; // (3, 3) out, same energy
  }
  const a = tf.tensor(inside, [3, 4, 4, 2]);
  const b = tf.tensor(half, [3, 4, 4, 2]);
  const z = tf.zeros([3, 4, 4, 2]);
  const r = await noLeak(() => P4.localisation({ inside: a, half: b, zero: z }, [box, box, box], { nBoot: 200, seed: 1 }));
  const row = (k: string) => r.rows.find((q) => q.method === k)!;
  assert.equal(row('inside').energyInBox, 1);
  assert.equal(row('inside').pointing, 1);
  assert.equal(row('half').energyInBox, 0.5);
  assert.equal(row('half').energyLo, 0.5);
  assert.equal(row('half').energyHi, 0.5);
  assert.equal(row('zero').n, 0);
  assert.equal(row('zero').nUndefined, 3);
  assert.ok(Number.isNaN(row('zero').energyInBox));
  assert.equal(row('inside').boxArea, 0.25);
  assert.deepEqual(r.perExample.half.energy, [0.5, 0.5, 0.5]);
  assert.throws(() => P4.localisation({ a }, [box]), /1 boxes for 3 maps/);
  const c = tf.zeros([3, 4, 4, 1]);
  assert.throws(() => P4.localisation({ a, c }, [box, box, box]), /map "c" is \[3,4,4,1\]/);
  tf.dispose([a, b, z, c]);
});

test('mapPanels: an image panel and one |map| panel per method per row, each map scaled to max 1', () => {
  const img = Float32Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => i / 24);
  const m = Float32Array.from({ length: 24 }, (_, i) => (i % 2 ? -i : i));
  const p = P4.mapPanels(img, [2, 2, 2, 3], { sal: m }, { rows: [1], labels: ['disc'] });
  assert.equal(p.cols, 2);
  assert.equal(p.maps.length, 2);
  assert.equal(p.maps[0].title, 'disc');
  assert.equal(p.maps[0].colorscale, 'Greys');
  assertClose([p.maps[0].z[0][0]], [(12 + 13 + 14) / 3 / 24], 1e-6, 'channel mean');
  const z = p.maps[1].z.flat();
  assert.equal(Math.max(...z), 1);
  // sum_ch |a| at example 1, pixel (0, 0): 12 + 13 + 14 = 39; max is at (1, 1): 21 + 22 + 23 = 66
  assertClose([p.maps[1].z[0][0]], [39 / 66], 1e-6);
  assert.throws(() => P4.mapPanels(img, [2, 2, 2, 3], { sal: m.slice(1) }), /map "sal" has 23 values/);
  assert.throws(() => P4.mapPanels(img, [2, 2, 2, 3], {}, { rows: [2] }), /row 2 is not in \[0, 1\]/);
});

test('boundarySummary: distances over found points only; robust accuracy = correct and not crossed at the budget', () => {
  const s = P4.boundarySummary(
    { found: [true, true, false, true], eps: [0.25, 1, NaN, 0.5], l2: [0.2, 0.9, 2, 0.5] },
    [true, true, true, false],
    { budgets: [0.25, 0.5, 1] },
  );
  assert.equal(s.found, 3);
  assert.equal(s.notFound, 1);
  assert.equal(s.medianL2, 0.5);
  assertClose([s.meanL2], [(0.2 + 0.9 + 0.5) / 3], 1e-12);
  // r = 0.25: ex 1 (eps 1) and ex 2 (not found) -> 2/4; r = 0.5: same; r = 1: only ex 2
  assert.deepEqual(s.robustAcc, { '0.25': 0.5, '0.5': 0.5, '1': 0.25 });
  assert.throws(() => P4.boundarySummary({ found: [true], eps: [1], l2: [1] }, [true, false]), /one entry per example/);
});

test('conclusions: verdicts and ladder trends follow the evidence; missing entries are errors', () => {
  const n = 30;
  const r = new Rng(14);
  const base = Array.from(r.uniforms(n, 0.1, 0.3));
  const models = [{ name: 'std', eps: 0 }, { name: 'mid', eps: 0.5 }, { name: 'rob', eps: 1 }];
  const shift = (v: number[], d: number) => v.map((q) => q + d + 0.01 * r.normal());
  const ev: P4.P4Evidence = {
    models,
    distance: { std: base, mid: shift(base, 0.2), rob: shift(base, 0.5).map((v, i) => (i === 0 ? NaN : v)) },
    maxBudget: 2,
    alignment: { std: base, mid: shift(base, 0.1), rob: shift(base, 0.3) },
    energy: {
      std: { saliency: base, ig: base, bsm: shift(base, 0.2), big: shift(base, -0.2) },
      mid: { saliency: shift(base, 0.1) },
      rob: { saliency: shift(base, -0.1) },
    },
    baselineEnergy: { 'ig:black': base, 'ig:white': shift(base, -0.1), big: shift(base, 0.05) },
  };
  const rows = P4.conclusions(ev, { nBoot: 300, seed: 1 });
  const by = (c: string) => rows.filter((q) => q.comparison.includes(c));
  assert.equal(rows.length, 7);
  assert.equal(rows[0].claim, 'distance');
  assert.equal(rows[0].verdict, 'holds');
  assert.equal(rows[0].trend, 1);
  assert.equal(rows[1].verdict, 'holds');
  assert.equal(rows[2].verdict, 'reversed'); // robust saliency localises worse here
  assert.equal(by('BSM - saliency')[0].verdict, 'holds');
  assert.equal(by('BIG - IG black')[0].verdict, 'reversed');
  assert.equal(by('ig:black - ig:white')[0].verdict, 'holds');
  assert.equal(by('BIG - mean over IG baselines')[0].verdict, 'holds');
  assert.ok(Math.abs(by('BIG - mean over IG baselines')[0].ours - 0.1) < 0.02);
  rows.forEach((q) => assert.ok(q.statement.length > 20 && q.paper.length > 0));
  assert.throws(() => P4.conclusions({ ...ev, alignment: { std: base } }), /alignment has no entry "rob"/);
  assert.throws(() => P4.conclusions({ ...ev, models: [models[0]] }), /at least a standard and a robust model/);
});

test('trainClassifier / trainLadder: standard and adversarial rungs train, fine-tune, cache and reload with the same weights', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'p4-train-'));
  try {
    const s = synthImages({ n: 16, size: 12, channels: 3, classes: 2, seed: 1 });
    const d = toTensors(s);
    const ladder = { arch: 'smallCnn' as const, width: 0.25, epsilons: [0, 0.5], epochs: 1, batchSize: 8, lr: 1e-3, pgdSteps: 2, fineTuneEpochs: 0 };
    const opts = { ladder, inputShape: [12, 12, 3], classes: 2, dir };
    const std = await P4.trainClassifier('p4t_std', d, { ...opts, eps: 0 });
    const adv = await P4.trainClassifier('p4t_adv', d, { ...opts, eps: 0.5 });
    assert.equal(std.cached, false);
    assert.equal(adv.cached, false);
    const again = await P4.trainClassifier('p4t_adv', d, { ...opts, eps: 0.5 });
    assert.equal(again.cached, true);
    const w1 = adv.model.getWeights().map((w) => Array.from(w.dataSync()));
    const w2 = again.model.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(w1, w2);
    const ws = std.model.getWeights().map((w) => Array.from(w.dataSync()));
    assert.notDeepEqual(ws, w1, 'adversarial training changes the weights');
    // warm start (adversarial fine-tuning): weights start from init; another architecture is an error
    const ft = await P4.trainClassifier('p4t_ft', d, { ...opts, eps: 0.5, init: { name: 'p4t_std', model: std.model } });
    assert.equal(ft.cached, false);
    const wide = { ...ladder, width: 0.5 };
    await assert.rejects(P4.trainClassifier('p4t_bad', d, { ...opts, ladder: wide, eps: 0.5, init: { name: 'p4t_std', model: std.model } }), /other weight shapes/);
    ft.model.dispose();
    await assert.rejects(P4.trainClassifier('p4t_x', d, { ...opts, eps: -1 }), /eps must be >= 0/);
    // the ladder: standard first, robust rungs fine-tuned from it
    const rungs = await P4.trainLadder('p4t_lad', d, { ladder: { ...ladder, fineTuneEpochs: 1 }, inputShape: [12, 12, 3], classes: 2, dir, showProgress: false });
    assert.deepEqual(rungs.map((r) => [r.name, r.eps, r.cached]), [['standard', 0, false], ['L2 eps 0.5', 0.5, false]]);
    const again2 = await P4.trainLadder('p4t_lad', d, { ladder: { ...ladder, fineTuneEpochs: 1 }, inputShape: [12, 12, 3], classes: 2, dir, showProgress: false });
    assert.ok(again2.every((r) => r.cached));
    await assert.rejects(P4.trainLadder('p4t_lad2', d, { ladder: { ...ladder, epsilons: [0.5], fineTuneEpochs: 1 }, inputShape: [12, 12, 3], classes: 2, dir }), /must start with 0/);
    [...rungs, ...again2].forEach((r) => r.model.dispose());
    await assert.rejects(P4.trainClassifier('p4t_x', d, { ...opts, eps: 0, epochs: 2 } as never), /unknown option "epochs"/);
    tf.dispose([d.x, d.y]);
    [std.model, adv.model, again.model].forEach((m) => m.dispose());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('refineBoundary: bisection lands on the boundary of a linear model, on the crossing side', async () => {
  const { model, W, bias } = linearModel(2, 15);
  const x = tf.tensor(new Rng(16).uniforms(3 * 4), [3, 2, 2, 1]);
  const pred = Array.from((model.predict(x) as tf.Tensor).argMax(1).dataSync());
  // push each example far across: x' = x + 3 * (W_a - W_c) / ||W_a - W_c||^2 * |margin| ...
  const xs = (x.arraySync() as number[][][][]).map((e) => e.flat(2));
  const dir = pred.map((c) => W[1 - c].map((v, d) => v - W[c][d]));
  const margin = (v: number[], c: number) => W[c].reduce((s, w, d) => s + w * v[d], bias[c]) - W[1 - c].reduce((s, w, d) => s + w * v[d], bias[1 - c]);
  const far = xs.map((v, i) => { const m = margin(v, pred[i]); const n2 = dir[i].reduce((s, q) => s + q * q, 0); return v.map((q, d) => q + (3 * m / n2) * dir[i][d]); });
  const xb = tf.tensor(far.flat(), [3, 2, 2, 1]);
  await noLeak(() => {
    const r = P4.refineBoundary(model, x, xb, pred, { steps: 20 });
    const out = (r.xBoundary.arraySync() as number[][][][]).map((e) => e.flat(2));
    out.forEach((v, i) => {
      // the exact crossing is at t = 1/3 (margin is linear along the segment)
      assert.ok(Math.abs(r.t[i] - 1 / 3) < 1e-5, `t = ${r.t[i]}`);
      assert.ok(margin(v, pred[i]) <= 0 && margin(v, pred[i]) > -1e-4, 'just across');
    });
    r.xBoundary.dispose();
    // not across at t = 1: unchanged
    const same = P4.refineBoundary(model, x, x, pred);
    assert.deepEqual(same.t, [1, 1, 1]);
    same.xBoundary.dispose();
  });
  assert.throws(() => P4.refineBoundary(model, x, xb, [0]), /1 classes for 3 examples/);
  tf.dispose([x, xb]);
});
