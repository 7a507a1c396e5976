/** P4 paper module (Wang, Fredrikson & Datta 2022, arXiv 2103.11257): analytic answers on linear models, properties, errors, leaks. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak, assertClose } from '../helpers';
import { Rng } from '../../src/lib/engine';
import { synthImages, toTensors } from '../../src/lib/data';
import * as stats from '../../src/lib/stats';
import { boundarySearch } from '../../src/lib/attacks';
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
    assert.equal(c.synth.polarity, 'random', `${s}: object contrast sign random, so no fixed IG baseline wins by construction`);
    assert.ok(c.boundary.refine > 0 && c.boundary.cw.steps > 0, `${s}: the authors' PGD + C&W pipeline, refined`);
  }
  assert.ok(P4.config('demo').nEval >= 200, 'at least 200 evaluation images at demo');
  assert.deepEqual(P4.PAPER_BOUNDARY_EPSILONS, [36 / 255, 64 / 255, 0.3, 0.5, 0.7, 0.9, 1.1]);
  assert.equal(P4.config('paper').cifar.source, 'folder');
  // a copy, not shared state
  const a = P4.config('demo');
  a.ladder.epsilons.push(9);
  assert.ok(!P4.config('demo').ladder.epsilons.includes(9));
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

test('gradientStability: 1 on a linear model; on a ReLU model it drops to the analytic cosine once x + r u switches a unit off; NaN where no boundary or x\' = x', async () => {
  const { model } = linearModel(2, 6);
  const x = tf.tensor(new Rng(7).uniforms(4 * 4), [4, 2, 2, 1]);
  const xb = tf.tensor([...new Rng(8).uniforms(3 * 4), ...Array.from(x.slice(3, 1).dataSync())], [4, 2, 2, 1]); // row 3: x' = x
  const pred = Array.from((model.predict(x) as tf.Tensor).argMax(1).dataSync());
  const r = await noLeak(() => P4.gradientStability(model, x, xb, { radius: 0.3, classes: pred, found: [true, false, true, true] }));
  assertClose([r.cosine[0], r.cosine[2]], [1, 1], 1e-5);
  assert.ok(Number.isNaN(r.cosine[1]) && Number.isNaN(r.cosine[3]));
  assert.equal(r.nUndefined, 2);
  // z_0 = relu(x_0 + 10) + relu(x_1 - 0.5), z_1 = 0: gradient w1 + w2 while x_1 > 0.5, w1 after
  const relu = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 2, activation: 'relu' }), tf.layers.dense({ units: 2 })] });
  relu.setWeights([tf.tensor2d([[1, 0], [0, 1], [0, 0], [0, 0]]), tf.tensor1d([10, -0.5]), tf.tensor2d([[1, 0], [1, 0]]), tf.tensor1d([0, 0])]);
  const x1 = tf.tensor([0.5, 0.8, 0.5, 0.5], [1, 2, 2, 1]);
  const b1 = tf.tensor([0.5, 0.1, 0.5, 0.5], [1, 2, 2, 1]); // u = (0, -1, 0, 0)
  const near = await P4.gradientStability(relu, x1, b1, { radius: 0.2, classes: [0] });
  const far = await P4.gradientStability(relu, x1, b1, { radius: 0.5, classes: [0] });
  const clipped = await P4.gradientStability(relu, x1, b1, { radius: 2, classes: [0] });
  assertClose([near.cosine[0], far.cosine[0], clipped.cosine[0]], [1, Math.SQRT1_2, Math.SQRT1_2], 1e-5);
  await assert.rejects(P4.gradientStability(model, x, xb.slice(0, 2), { radius: 0.3, classes: pred }), /must be shaped like x/);
  await assert.rejects(P4.gradientStability(model, x, xb, { radius: 0, classes: pred }), /radius must be a positive number/);
  await assert.rejects(P4.gradientStability(model, x, xb, { radius: 0.3, classes: [0] }), /1 classes for 4 examples/);
  tf.dispose([x, xb, x1, b1]);
  relu.dispose();
});

test('closestSuccess / alignmentStep: the unrefined point from t; on a linear model the authors\' BSM form and the matched-radius control are 1, NaN where undefined; the radius is the standard model\'s median distance', async () => {
  const x = tf.tensor([0, 0, 0, 0, 0.2, 0.2, 0.2, 0.2], [2, 2, 2, 1]);
  const xr = tf.tensor([0.1, 0, 0, 0, 0.3, 0.2, 0.2, 0.2], [2, 2, 2, 1]);
  const xu = P4.closestSuccess(x, xr, [0.5, NaN]);
  assertClose(Array.from(xu.dataSync()), [0.2, 0, 0, 0, 0.3, 0.2, 0.2, 0.2], 1e-6);
  assert.throws(() => P4.closestSuccess(x, xr, [1]), /1 positions t for 2 examples/);
  xu.dispose();
  const { model } = linearModel(2, 6);
  const xe = tf.tensor(new Rng(7).uniforms(4 * 4), [4, 2, 2, 1]);
  const xb = tf.tensor(new Rng(8).uniforms(4 * 4), [4, 2, 2, 1]);
  const pred = Array.from((model.predict(xe) as tf.Tensor).argMax(1).dataSync());
  const search = { xBoundary: xb, found: [true, true, false, true], l2: [0.1, 0.3, NaN, 0.2], method: ['pgd', 'cw', 'none', 'clean'] as ('pgd' | 'cw' | 'none' | 'clean')[], t: [0.5, 1, NaN, 1] };
  const a = await P4.alignmentStep([{ name: 'standard', eps: 0, model }], { x: xe }, { searches: [search], pred: [pred] }, { nBoot: 50, seed: 0 });
  assertClose([a.radius], [0.2], 1e-9, 'median over found, not-clean images: 0.1, 0.3');
  assertClose([a.theirBsm.standard[0], a.theirBsm.standard[1], a.matched.standard[0], a.matched.standard[1]], [1, 1, 1, 1], 1e-5);
  assert.ok([2, 3].every((i) => Number.isNaN(a.theirBsm.standard[i])), 'no boundary / already across: NaN');
  assertClose([a.rows[0].cosTheirBsm as number, a.rows[0].cosMatched as number], [1, 1], 1e-5);
  tf.dispose([x, xr, xe, xb]);
});

test('alignmentFigure: the authors\' BSM form and the matched-radius control are drawn when the rows have them', () => {
  const base = { trainEps: 0, cosNormal: 0.7, lo: 0.6, hi: 0.8, cosDirection: 0.6, dirLo: 0.5, dirHi: 0.7 };
  const names = (rows: Record<string, number>[]) => JSON.stringify(P4.alignmentFigure(rows));
  const plain = names([base, { ...base, trainEps: 0.5 }]);
  const full = names([0, 0.5].map((e) => ({ ...base, trainEps: e, cosTheirBsm: 0.8, theirBsmLo: 0.7, theirBsmHi: 0.9, cosMatched: 0.9, matchedLo: 0.85, matchedHi: 0.95 })));
  assert.ok(!plain.includes('control: cos') && !plain.includes('the authors\' BSM point'));
  assert.ok(full.includes('control: cos(grad, grad at x + r u), one r') && full.includes('the authors\' BSM point'));
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

test('attributionMaps: analytic maps on a linear model (saliency = W_t, IG = x W_t, BSM = BSG = W_t, BIG = (x - x\') W_t), no leaks', async () => {
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
      assertClose(m.bsg[i].flat(2), W[t], 1e-5, 'bsg: SmoothGrad at x\' of a linear model');
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
  // sgSigma is an absolute noise sd (the authors' Captum stdevs): 0 gives the plain gradients on a ReLU model, a relative
  // noiseLevel of the same call does not
  const relu = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 2, activation: 'relu' }), tf.layers.dense({ units: 2 })] });
  relu.setWeights([tf.tensor2d([[1, 0], [0, 1], [0, 0], [0, 0]]), tf.tensor1d([0.1, -0.5]), tf.tensor2d([[1, 0], [1, 0]]), tf.tensor1d([0, 0])]);
  const xr = tf.tensor([0.5, 0.55, 0, 1], [1, 2, 2, 1]);
  const sg0 = await P4.attributionMaps(relu, xr, { target: [0], boundary: xr, methods: ['smoothGrad', 'bsg'], sgN: 8, sgSigma: 0, sgNoise: 0.5 });
  const sgRel = await P4.attributionMaps(relu, xr, { target: [0], boundary: xr, methods: ['smoothGrad'], sgN: 8, sgNoise: 0.5 });
  assertClose(Array.from(sg0.maps.smoothGrad!.dataSync()), [1, 1, 0, 0], 1e-6, 'sigma 0: the gradient at x');
  assertClose(Array.from(sg0.maps.bsg!.dataSync()), [1, 1, 0, 0], 1e-6, 'sigma 0: the gradient at x\'');
  assert.ok(Math.abs(sgRel.maps.smoothGrad!.dataSync()[1] - 1) > 0.05, 'relative noise 0.5 switches the second unit off for some samples');
  P4.disposeMaps(sg0.maps);
  P4.disposeMaps(sgRel.maps);
  tf.dispose(xr);
  relu.dispose();
  await assert.rejects(P4.attributionMaps(model, x, { target, methods: ['bsm'] }), /need option "boundary"/);
  await assert.rejects(P4.attributionMaps(model, x, { target, methods: ['bsg'] }), /need option "boundary"/);
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
  // excluded examples (e.g. no boundary point) are NaN and left out, never scored
  const ex = P4.localisation({ inside: a, half: b }, [box, box, box], { nBoot: 50, exclude: { half: [false, true, false] } });
  assert.deepEqual(ex.perExample.half.energy.map(Number.isNaN), [false, true, false]);
  assert.ok(Number.isNaN(ex.perExample.half.pointing[1]));
  assert.equal(ex.rows.find((q) => q.method === 'half')!.n, 2);
  assert.equal(ex.rows.find((q) => q.method === 'half')!.nUndefined, 1);
  assert.equal(ex.rows.find((q) => q.method === 'inside')!.n, 3);
  assert.throws(() => P4.localisation({ a }, [box, box, box], { exclude: { a: [true] } }), /exclude.a must have one entry per example \(3\)/);
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

test('boundarySummary: distances over found points only (never imputed); robust accuracy = correct and no boundary point within the budget', () => {
  const s = P4.boundarySummary(
    { found: [true, true, false, true], l2Search: [0.3, 1, NaN, 0.6], l2: [0.2, 0.9, 2, 0.5], method: ['pgd', 'cw', 'none', 'pgd'] },
    [true, true, true, false],
    { budgets: [0.25, 0.5, 1] },
  );
  assert.equal(s.found, 3);
  assert.equal(s.foundRate, 0.75);
  assert.deepEqual([s.byPgd, s.byCw, s.clean], [2, 1, 0]);
  assert.equal(s.medianSearch, 0.6);
  assert.equal(s.medianRefined, 0.5);
  assertClose([s.meanSearch, s.meanRefined], [(0.3 + 1 + 0.6) / 3, (0.2 + 0.9 + 0.5) / 3], 1e-12);
  // refined distances: r = 0.25 -> ex 1 (0.9) and ex 2 (not found) robust; ex 3 is wrong; r = 1 -> only ex 2
  assert.deepEqual(s.robustAcc, { '0.25': 0.5, '0.5': 0.5, '1': 0.25 });
  const none = P4.boundarySummary({ found: [false], l2Search: [NaN], l2: [3], method: ['none'] }, [true]);
  assert.ok(Number.isNaN(none.medianSearch) && Number.isNaN(none.meanRefined), 'no found point: NaN, not the largest budget');
  assert.throws(() => P4.boundarySummary({ found: [true], l2Search: [1], l2: [1], method: ['pgd'] }, [true, false]), /one entry per example/);
});

test('claims: verdicts follow the paired intervals; failed rungs are left out and listed; BIG vs IG per baseline with a Bonferroni level', () => {
  const n = 40;
  const r = new Rng(14);
  const base = Array.from(r.uniforms(n, 0.1, 0.3));
  const shift = (v: number[], d: number) => v.map((q) => q + d + 0.01 * r.normal());
  const rungs = [
    { name: 'standard', eps: 0, passed: true, failures: [] },
    { name: 'L2 eps 0.5', eps: 0.5, passed: true, failures: [] },
    { name: 'L2 eps 1', eps: 1, passed: false, failures: ['3 of 40 points (7.5%) have a zero input gradient (max 1%)'] },
  ];
  const ev: P4.P4Evidence = {
    rungs,
    distance: { standard: base, 'L2 eps 0.5': shift(base, 0.2).map((v, i) => (i < 2 ? NaN : v)), 'L2 eps 1': shift(base, 5) },
    alignment: { standard: base, 'L2 eps 0.5': shift(base, -0.1), 'L2 eps 1': shift(base, 0.5) },
    energy: {
      standard: { saliency: base, smoothGrad: base, bsm: shift(base, 0.2), bsg: base.map((v, i) => v + (i % 2 ? 0.05 : -0.05)) },
      'L2 eps 0.5': { saliency: shift(base, 0.1) },
      'L2 eps 1': { saliency: shift(base, -0.3) },
    },
    baselineEnergy: { 'ig:black': base, 'ig:white': shift(base, 0.1), big: shift(base, 0.05) },
  };
  const rows = P4.claims(ev, { nBoot: 400, seed: 1, minN: 10 });
  stats.checkClaims('test', rows);
  assert.equal(rows.length, 7);
  const v = rows.map((q) => q.verdict);
  // the failed top rung is never used: eps 0.5 is the robust model compared
  assert.ok(rows[0].claim.includes('L2 eps 0.5 vs standard'));
  assert.deepEqual(v, ['holds', 'reversed', 'holds', 'holds', 'not shown', 'holds', 'reversed']);
  assert.ok(rows[0].excluded!.some((e) => e.startsWith('L2 eps 1: failed the masking checks (3 of 40 points')));
  assert.ok(rows[0].excluded!.some((e) => e.startsWith('2 of 40 images')), 'boundary not found: counted, not imputed');
  assert.ok(rows[0].ours.includes('n = 38'));
  assert.ok(rows[5].criterion.includes('97.5%') && rows[5].criterion.includes('Bonferroni over 2 baselines'));
  assert.ok(rows.every((q) => q.criterion.includes('lies above 0')));
  // too few images; no robust rung passing -> not tested (with the reason); the standard failing -> all not tested
  assert.ok(P4.claims(ev, { nBoot: 100, minN: 100 }).every((q) => q.verdict === 'too few'));
  const noRobust = P4.claims({ ...ev, rungs: rungs.map((q) => (q.eps > 0 ? { ...q, passed: false, failures: ['x'] } : q)) }, { nBoot: 100, minN: 10 });
  assert.deepEqual(noRobust.slice(0, 3).map((q) => q.verdict), ['not tested', 'not tested', 'not tested']);
  assert.ok(noRobust[0].ours.includes('no robust rung passed'));
  assert.equal(noRobust[3].verdict, 'holds', 'standard-model claims still tested');
  // the matched-radius control: one more row after the alignment claim, with the radius named
  const withMatched = P4.claims({ ...ev, alignmentMatched: { radius: 0.18, cosine: { standard: base, 'L2 eps 0.5': shift(base, 0), 'L2 eps 1': shift(base, 0.5) } } }, { nBoot: 400, seed: 1, minN: 10 });
  assert.equal(withMatched.length, 8);
  assert.ok(withMatched[2].claim.includes('Control at one radius r = 0.180') && withMatched[2].claim.includes('L2 eps 0.5 vs standard'));
  assert.equal(withMatched[2].verdict, 'not shown');
  assert.deepEqual(withMatched.filter((_, i) => i !== 2).map((q) => q.verdict), v);
  const noStd = P4.claims({ ...ev, rungs: rungs.map((q, i) => (i === 0 ? { ...q, passed: false, failures: ['loss'] } : q)) }, { nBoot: 100, minN: 10 });
  assert.ok(noStd.every((q) => q.verdict === 'not tested'));
  assert.throws(() => P4.claims({ ...ev, rungs: [rungs[0]] }), /needs the standard model first and at least one robust rung/);
  const text = P4.conclusionText(rows, { cfg: P4.config('demo'), rungs: 3, passed: 2, nEval: 40 });
  assert.ok(text.startsWith('**4 of 7 checks hold** at demo scale (40 evaluation images; 2 of 3 rungs passed the masking checks); 1 not shown, 2 reversed, 0 too few, 0 not tested (each verdict with its criterion'));
  rows.forEach((q) => assert.ok(!text.includes(q.ours), 'the verdicts are not restated without their criteria'));
  assert.match(text, /Where our setup differs from the paper's/);
});

test('trainClassifier / trainLadder: standard and adversarial rungs train, fine-tune, cache and reload with the same weights', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'p4-train-'));
  try {
    const s = synthImages({ n: 16, size: 12, channels: 3, classes: 2, seed: 1 });
    const d = toTensors(s);
    const ladder = { arch: 'smallCnn' as const, width: 0.25, epsilons: [0, 0.5], epochs: 2, batchSize: 8, lr: 1e-3, lrSteps: [0.5], pgdSteps: 2, fineTuneEpochs: 0 };
    const opts = { ladder, inputShape: [12, 12, 3], classes: 2, dir };
    const std = await P4.trainClassifier('p4t_std', d, { ...opts, eps: 0 });
    const adv = await P4.trainClassifier('p4t_adv', d, { ...opts, eps: 0.5 });
    assert.equal(std.cached, false);
    assert.equal(adv.cached, false);
    assert.deepEqual(std.history.map((h) => h.lr), [1e-3, 1e-4], 'the step schedule: lr / 10 after half the epochs');
    assert.ok(adv.history.every((h) => Number.isFinite(h.loss) && Number.isFinite(h.advLoss)));
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
    // the ladder: standard first, robust rungs fine-tuned from it, or chained (each from the rung below)
    const lad3 = { ...ladder, epsilons: [0, 0.25, 0.5], fineTuneEpochs: 1 };
    const rungs = await P4.trainLadder('p4t_lad', d, { ladder: lad3, inputShape: [12, 12, 3], classes: 2, dir, showProgress: false });
    assert.deepEqual(rungs.map((r) => [r.name, r.eps, r.cached, r.init]), [['standard', 0, false, null], ['L2 eps 0.25', 0.25, false, 'p4t_lad_eps0'], ['L2 eps 0.5', 0.5, false, 'p4t_lad_eps0']]);
    rungs.forEach((r) => assert.ok(Number.isFinite(r.finalLoss)));
    const again2 = await P4.trainLadder('p4t_lad', d, { ladder: lad3, inputShape: [12, 12, 3], classes: 2, dir, showProgress: false });
    assert.ok(again2.every((r) => r.cached));
    assert.deepEqual(again2.map((r) => r.finalLoss), rungs.map((r) => r.finalLoss), 'the final loss comes back from the card');
    const chained = await P4.trainLadder('p4t_lad', d, { ladder: { ...lad3, chain: true }, inputShape: [12, 12, 3], classes: 2, dir, showProgress: false });
    assert.deepEqual(chained.map((r) => [r.cached, r.init]), [[true, null], [true, 'p4t_lad_eps0'], [false, 'p4t_lad_eps0.25']], 'chained: eps 0.5 starts from eps 0.25 (a new model)');
    // the init model's config is part of the key: retraining the rung below retrains the rungs above
    const changed = await P4.trainLadder('p4t_lad', d, { ladder: { ...lad3, chain: true, lr: 2e-3 }, inputShape: [12, 12, 3], classes: 2, dir, showProgress: false });
    assert.ok(changed.every((r) => !r.cached));
    // a per-rung override (longer fine-tuning with an eps warm-up) retrains that rung only
    const over = await P4.trainLadder('p4t_lad', d, { ladder: { ...lad3, chain: true, lr: 2e-3, perRung: { '0.5': { fineTuneEpochs: 3, warmupEpochs: 2 } } }, inputShape: [12, 12, 3], classes: 2, dir, showProgress: false });
    assert.deepEqual(over.map((r) => r.cached), [true, true, false], 'the rungs below keep their cache keys');
    const card = JSON.parse(readFileSync(join(dir, 'p4t_lad_eps0.5', 'card.json'), 'utf8'));
    assert.equal(card.history.length, 3, 'the override\'s epochs');
    assert.deepEqual(card.config.warmup, { epochs: 2, epsFrom: 0.25 }, 'the warm-up starts at the init rung\'s eps and is part of the key');
    assert.equal(JSON.parse(readFileSync(join(dir, 'p4t_lad_eps0.25', 'card.json'), 'utf8')).config.warmup, undefined);
    over.forEach((r) => r.model.dispose());
    await assert.rejects(P4.trainClassifier('p4t_x', d, { ...opts, ladder: { ...ladder, warmupEpochs: 1.5 }, eps: 0.5 }), /warmupEpochs must be a non-negative integer/);
    await assert.rejects(P4.trainClassifier('p4t_x', d, { ...opts, eps: 0.5, epsFrom: 1 }), /epsFrom must be in \[0, eps\]/);
    [...chained, ...changed].forEach((r) => r.model.dispose());
    await assert.rejects(P4.trainLadder('p4t_lad2', d, { ladder: { ...ladder, epsilons: [0.5], fineTuneEpochs: 1 }, inputShape: [12, 12, 3], classes: 2, dir }), /must start with 0/);
    [...rungs, ...again2].forEach((r) => r.model.dispose());
    await assert.rejects(P4.trainClassifier('p4t_x', d, { ...opts, eps: 0, epochs: 2 } as never), /unknown option "epochs"/);
    tf.dispose([d.x, d.y]);
    [std.model, adv.model, again.model].forEach((m) => m.dispose());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('warmupEps: linear from epsFrom to eps over the warm-up epochs, then eps; no warm-up = eps throughout', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(P4.warmupEps(1, 0.5, 4)), [0.625, 0.75, 0.875, 1, 1, 1]);
  assert.deepEqual([1, 2].map(P4.warmupEps(1, 0, 2)), [0.5, 1]);
  assert.deepEqual([1, 7].map(P4.warmupEps(0.5, 0.25, 0)), [0.5, 0.5]);
});

test('stepSchedule: lr, lr/10, lr/100 at the given fractions of the epochs', () => {
  const f = P4.stepSchedule(1, [0.5, 0.75]);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((e) => f(e, 8)), [1, 1, 1, 1, 0.1, 0.1, 0.01, 0.01]);
  assert.deepEqual([1, 2, 3].map((e) => P4.stepSchedule(0.5, [])(e, 3)), [0.5, 0.5, 0.5]);
});

test('zeroGradientShare: the margin gradient of a linear model is W_c - W_a; a piecewise-constant (rounded) model has zero gradient everywhere', async () => {
  const { model, W } = linearModel(3, 17);
  const x = tf.tensor(new Rng(18).uniforms(5 * 4), [5, 2, 2, 1]);
  const z = (model.predict(x) as tf.Tensor).arraySync() as number[][];
  const r = await noLeak(() => P4.zeroGradientShare(model, x, { tol: 1e-6 }));
  z.forEach((row, i) => {
    const c = row.indexOf(Math.max(...row));
    const a = [0, 1, 2].filter((j) => j !== c).reduce((b, j) => (row[j] > row[b] ? j : b), c === 0 ? 1 : 0);
    assertClose([r.norms[i]], [Math.hypot(...W[c].map((v, d) => v - W[a][d]))], 1e-5, `example ${i}`);
  });
  assert.equal(r.count, 0);
  assert.equal(r.share, 0);
  const rounded = (t: tf.Tensor) => tf.tidy(() => (model.predict(t.mul(4).round().div(4)) as tf.Tensor));
  const m = P4.zeroGradientShare(rounded, x);
  assert.equal(m.share, 1, 'round() has a zero gradient: every point is masked');
  assert.throws(() => P4.zeroGradientShare(model, x, { tol: 0 }), /tol must be a positive number/);
  x.dispose();
});

test('lineSearchDistance: for a linear model the crossing on a segment is at m_i / (m_i - m_j); the nearest-candidate minimum; NaN with one class only', async () => {
  const { model, W, bias } = linearModel(2, 31);
  const xs = Array.from({ length: 8 }, (_, i) => Array.from(new Rng(20 + i).uniforms(4)));
  const x = tf.tensor(xs.flat(), [8, 2, 2, 1]);
  const margin = (v: number[]) => W[1].reduce((s, w, d) => s + w * v[d], bias[1]) - W[0].reduce((s, w, d) => s + w * v[d], bias[0]);
  const cls = xs.map((v) => (margin(v) > 0 ? 1 : 0));
  assert.ok(cls.includes(0) && cls.includes(1), 'both classes present (seeded)');
  const r = await noLeak(() => P4.lineSearchDistance(model, x, { candidates: 8, steps: 20 }));
  assert.deepEqual(r.classes, cls);
  xs.forEach((v, i) => {
    const want = Math.min(...xs.map((u, j) => (cls[j] === cls[i] ? Infinity : (margin(v) / (margin(v) - margin(u))) * Math.hypot(...u.map((q, d) => q - v[d])))));
    assert.ok(r.distance[i] >= want - 1e-6 && r.distance[i] <= want + 1e-4, `example ${i}: ${r.distance[i]} vs ${want}`);
  });
  // with one candidate it is the nearest other-class point's crossing (an upper bound on the above)
  const one = P4.lineSearchDistance(model, x, { candidates: 1, steps: 20 });
  one.distance.forEach((d, i) => assert.ok(d >= r.distance[i] - 1e-6));
  const single = P4.lineSearchDistance(model, x.slice(0, 1));
  assert.ok(Number.isNaN(single.distance[0]));
  assert.throws(() => P4.lineSearchDistance(model, x, { candidates: 0 }), /candidates must be a positive integer/);
  x.dispose();
});

test('maskingChecks: a sound linear ladder passes; a rounded (gradient-masked) rung fails every check it should, with the reasons', async () => {
  const { model } = linearModel(2, 21);
  const n = 40;
  const xs = tf.tensor(new Rng(22).uniforms(n * 4), [n, 2, 2, 1]);
  const y = Array.from((model.predict(xs) as tf.Tensor).argMax(1).dataSync());
  // a "robust" rung whose input goes through round(): piecewise constant, so its input gradient is zero
  const rounded = (t: tf.Tensor) => tf.tidy(() => model.predict(t.mul(2).round().div(2)) as tf.Tensor);
  const search = async (m: typeof rounded | tf.LayersModel) => {
    const b = await boundarySearch(m, xs, null, { epsilons: [0.1, 0.2, 0.4, 0.8], steps: 10, refine: 10 });
    b.xBoundary.dispose();
    return b;
  };
  const masking = { minCleanAcc: 0.7, zeroGradTol: 1e-6, maxZeroGradShare: 0.01, transferSteps: 10, lineSearch: { candidates: 4, steps: 10 } };
  const std = { name: 'standard', eps: 0, model, finalLoss: 0.2 };
  const ok = await noLeak(async () => P4.maskingChecks([std, { ...std, name: 'L2 eps 0.5', eps: 0.5 }], {
    x: xs, y, searches: [await search(model), await search(model)], cleanAcc: [1, 1], classes: 2, masking, budgets: [0.1, 0.3],
  }));
  assert.deepEqual(ok.passed, [true, true], JSON.stringify(ok.failures));
  assert.equal(ok.rows[0].zeroGradShare, 0);
  assert.ok(Number.isNaN(ok.rows[0]['transfer@0.1'] as number), 'the standard rung is the transfer source');
  assert.ok((ok.rows[1]['whiteBox@0.3'] as number) <= (ok.rows[1]['blackBox@0.3'] as number));
  const bad = await P4.maskingChecks([std, { name: 'L2 eps 1', eps: 1, model: rounded, finalLoss: 1.5 }], {
    x: xs, y, searches: [await search(model), await search(rounded)], cleanAcc: [1, 0.5], classes: 2, masking, budgets: [0.3],
  });
  assert.deepEqual(bad.passed, [true, false]);
  const f = bad.failures[1].join(' | ');
  assert.ok(f.includes('training loss 1.500 not below chance ln 2 = 0.693'), f);
  assert.ok(f.includes('clean accuracy 0.500 below 0.7'), f);
  assert.ok(f.includes(`${n} of ${n} points (100.0%) have a zero input gradient`), f);
  assert.ok(/at L2 0.3 black-box robust accuracy [0-9.]+ < white-box [0-9.]+/.test(f), f);
  assert.equal(bad.rows[1].passed, false);
  await assert.rejects(P4.maskingChecks([bad.rows[1] as never], { x: xs, y, searches: [], cleanAcc: [], classes: 2, masking, budgets: [0.3] }), /first rung must be the standard model/);
  xs.dispose();
});

test('attributionAgreement: cos(SM, BSM) and cos(IG, BIG) per image; not-found images and zero maps are NaN and counted; the claim row uses it', () => {
  // two images of two pixels: image 0 SM = BSM (cos 1), IG orthogonal to BIG (cos 0); image 1 has no boundary point
  const f = (v: number[]) => Float32Array.from(v);
  const maps = { standard: { saliency: f([1, 2, 3, 4]), bsm: f([2, 4, 0, 1]), ig: f([1, 0, 1, 1]), big: f([0, 5, 1, 1]) } };
  const g = P4.attributionAgreement(maps, [{ name: 'standard', eps: 0 }], [[true, false]], { nBoot: 50, seed: 0 });
  assertClose(g.smBsm.standard[0], 1, 1e-6);
  assertClose(g.igBig.standard[0], 0, 1e-6);
  assert.ok(Number.isNaN(g.smBsm.standard[1]) && Number.isNaN(g.igBig.standard[1]));
  assert.equal(g.rows[0].n, 1);
  assert.equal(g.rows[0].undefinedImages, 1);
  assert.ok(Number.isNaN(P4.rowCosines(f([0, 0, 1, 0]), f([1, 1, 1, 0]), 2)[0]), 'zero map: undefined');
  assertClose(P4.rowCosines(f([1, 0]), f([-1, 0]), 1)[0], -1, 1e-6);
  assert.throws(() => P4.rowCosines(f([1, 2, 3]), f([1, 2, 3]), 2), /equal rows/);
  assert.throws(() => P4.attributionAgreement({ standard: { saliency: f([1]) } }, [{ name: 'standard', eps: 0 }], [[true]], { nBoot: 10, seed: 0 }), /needs the saliency, bsm, ig and big maps/);
  // claims: with agreement evidence one more row, robust - standard, failed rungs left out
  const n = 40;
  const r = new Rng(3);
  const base = Array.from(r.uniforms(n, 0.2, 0.4));
  const up = base.map((v) => v + 0.2 + 0.01 * r.normal());
  const rungs = [{ name: 'standard', eps: 0, passed: true, failures: [] }, { name: 'L2 eps 0.5', eps: 0.5, passed: true, failures: [] }, { name: 'L2 eps 1', eps: 1, passed: false, failures: ['x'] }];
  const ev: P4.P4Evidence = { rungs, distance: { standard: base, 'L2 eps 0.5': up }, alignment: { standard: base, 'L2 eps 0.5': up },
    energy: { standard: { saliency: base, bsm: base }, 'L2 eps 0.5': { saliency: up } }, baselineEnergy: {},
    agreement: { standard: base, 'L2 eps 0.5': up, 'L2 eps 1': base.map(() => -1) } };
  const rows = P4.claims(ev, { nBoot: 200, minN: 10 });
  const row = rows.find((q) => q.criterion.includes('cos(SM, BSM)'))!;
  assert.ok(row && row.claim.includes('L2 eps 0.5 vs standard'));
  assert.equal(row.verdict, 'holds');
  assert.ok(row.excluded!.some((e) => e.startsWith('L2 eps 1: failed the masking checks')));
  assert.equal(P4.claims({ ...ev, agreement: undefined }, { nBoot: 200, minN: 10 }).length, rows.length - 1);
});

test('notebook tables and the robust rung shown: classCounts, ladderTable, mostRobustPassing', () => {
  const train = synthImages({ n: 24, size: 16, classes: 4, seed: 5, polarity: 'random' });
  const testSet = synthImages({ n: 12, size: 16, classes: 4, seed: 6, polarity: 'random' });
  const counts = P4.classCounts(train, testSet);
  assert.deepEqual(counts.map((r) => r.class), testSet.classes);
  assert.equal(counts.reduce((s, r) => s + r.train, 0), 24);
  assert.equal(counts.reduce((s, r) => s + r.test, 0), 12);
  assert.equal(counts.reduce((s, r) => s + r.darkTest, 0), Array.from(testSet.signs).filter((v) => v < 0).length);
  assert.ok(counts.some((r) => r.darkTest > 0) && counts.every((r) => r.darkTest <= r.test));
  const rung = (name: string, eps: number, init: string | null) => ({ name, eps, init, model: null as unknown as tf.LayersModel, seconds: 3, cached: true, finalLoss: 0.2, config: {}, epochs: 5, warmupEpochs: 0 });
  const ladder = [rung('standard', 0, null), rung('L2 eps 0.5', 0.5, 'standard'), rung('L2 eps 1', 1, 'L2 eps 0.5')];
  const t = P4.ladderTable(ladder, [0.9, 0.8, 0.7]);
  assert.deepEqual(Object.keys(t[0]), ['model', 'trainEps', 'initialisedFrom', 'epochs', 'epsWarmupEpochs', 'finalTrainLoss', 'cleanAcc', 'trainSeconds', 'cached']);
  assert.deepEqual([t[0].initialisedFrom, t[2].initialisedFrom, t[1].cleanAcc, t[1].cached], ['scratch', 'L2 eps 0.5', 0.8, 'true']);
  assert.throws(() => P4.ladderTable(ladder, [0.9]), /3 rungs but 1 accuracies/);
  assert.equal(P4.mostRobustPassing(ladder, [true, true, true]), 2);
  assert.equal(P4.mostRobustPassing(ladder, [true, true, false]), 1);
  assert.equal(P4.mostRobustPassing(ladder, [true, false, false]), 2, 'none passed: the last rung is shown');
  assert.equal(P4.mostRobustPassing(ladder, [false, false, true]), 2);
  assert.throws(() => P4.mostRobustPassing(ladder, [true]), /3 rungs but 1 masking results/);
});
