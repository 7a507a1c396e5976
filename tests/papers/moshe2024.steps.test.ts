/** P3 notebook steps (moshe2024): the composite steps the notebook calls once per section, on tiny
 * models and hand-built inputs with known answers: which pairs are compared, claim gating, the lambda
 * sweep's effect, costs with collapse flags, family profiles, interpretability records, prose. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup, noLeak } from '../helpers';
import {
  config, family, families, planComparisons, cellVerdicts, claims, lambdaTable, chosenLambdaText, regulariserText, conclusionText,
  accuracyAndRobustness, familySensitivity, familySensitivityRows, layerSensitivityRows, activationSensitivityProfile, scoreModels,
  sweepRegulariser, metricsBarFigure, summariseFamilies, CLAIMS, METHODS, METRICS,
} from '../../src/lib/papers/moshe2024';
import type { Comparison, CollapseFlag, Costs, Family, LambdaRow, P3Config, P3Data, RegulariserSweep, ScoreRecord, TrainedFamily } from '../../src/lib/papers/moshe2024';
import type { SynthImageSet } from '../../src/lib/data';

before(setup);

const close = (a: number, b: number, tol = 1e-9, msg = '') => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);
const fake = (fam: Family, seed: number, model: tf.LayersModel = null as unknown as tf.LayersModel): TrainedFamily =>
  ({ family: fam, dataset: 'synth', seed, model, cached: true, seconds: 10 + seed, name: `p3-synth-${fam.key}-s${seed}` });

const cfg0 = config('smoke');
const fams = families(cfg0, [0.3]); // standard, PGD-AT, TRADES, AS λ=0.3
const labels = fams.map((f) => f.label);

test('planComparisons: claim 1 robust vs standard, claim 2 regularised vs robust, a family is lost only when every seed is flagged', () => {
  const models = [0, 1].flatMap((s) => fams.map((f) => fake(f, s)));
  const p = planComparisons(fams, models, []);
  assert.deepEqual(p.claim1, [['PGD-AT', 'standard'], ['TRADES', 'standard']]);
  assert.deepEqual(p.claim2, [['AS λ=0.3', 'PGD-AT'], ['AS λ=0.3', 'TRADES']]);
  assert.deepEqual(p.pairs, [...p.claim1, ...p.claim2, ['AS λ=0.3', 'standard']]);
  assert.deepEqual(p.lost, []);
  // one TRADES seed flagged: TRADES is still compared (its other seed); both seeds flagged: TRADES is lost
  assert.deepEqual(planComparisons(fams, models, [{ family: 'TRADES', seed: 1 }]).claim1, p.claim1);
  const q = planComparisons(fams, models, [{ family: 'TRADES', seed: 0 }, { family: 'TRADES', seed: 1 }]);
  assert.deepEqual(q.claim1, [['PGD-AT', 'standard']]);
  assert.deepEqual(q.claim2, [['AS λ=0.3', 'PGD-AT']]);
  assert.deepEqual(q.lost, ['TRADES']);
  // standard lost: no claim 1 pair and no regularised-vs-standard pair
  const r = planComparisons(fams, models, [0, 1].map((seed) => ({ family: 'standard', seed })));
  assert.deepEqual(r.claim1, []);
  assert.deepEqual(r.pairs, r.claim2);
  assert.deepEqual(r.lost, ['standard']);
});

/** Comparisons where `a` beats `b` on every metric and method with a tiny p (or the reverse). */
function comparisons(pairs: [string, string][], better = true): Comparison[] {
  return pairs.flatMap(([a, b]) => METHODS.flatMap((method) => METRICS.map((metric) => ({
    a, b, method, metric, n: 50, seedsA: 2, seedsB: 2, meanA: 1, meanB: 0, meanDiff: 1, t: 9, p: 1e-9, pWilcoxon: 1e-9, pHolm: 1e-8, better,
  }))));
}

test('cellVerdicts and claims: claim 2 is only judged when the regulariser met its precondition; lost families make a claim not tested', () => {
  const models = fams.map((f) => fake(f, 0));
  const plan = planComparisons(fams, models, []);
  const cs = comparisons(plan.pairs);
  const ok = cellVerdicts(cs, plan, { regulariserOk: true });
  assert.equal(ok.length, (plan.claim1.length + plan.claim2.length) * METHODS.length);
  assert.ok(ok.every((v) => v.verdict === 'holds'));
  const rows = claims(ok, plan, { regulariserOk: true, excluded: ['x seed 1: at chance'] });
  assert.deepEqual(rows.map((r) => [r.claim, r.verdict]), [[CLAIMS.robustMoreInterpretable, 'holds'], [CLAIMS.regularisedMoreInterpretable, 'holds']]);
  assert.deepEqual(rows[0].excluded, ['x seed 1: at chance']);
  // precondition failed: no claim-2 cells even though the comparisons exist, and claim 2 says why
  const gated = cellVerdicts(cs, plan, { regulariserOk: false });
  assert.ok(gated.every((v) => v.claim === CLAIMS.robustMoreInterpretable));
  const r2 = claims(gated, plan, { regulariserOk: false, excluded: [] }).find((c) => c.claim === CLAIMS.regularisedMoreInterpretable)!;
  assert.equal(r2.verdict, 'not tested');
  assert.match(r2.ours, /precondition failed/);
  // every robust family lost: both claims not tested, naming the lost families
  const lostPlan = planComparisons(fams, models, [{ family: 'PGD-AT', seed: 0 }, { family: 'TRADES', seed: 0 }]);
  const none = claims(cellVerdicts(comparisons(lostPlan.pairs), lostPlan, { regulariserOk: true }), lostPlan, { regulariserOk: true, excluded: [] });
  assert.deepEqual(none.map((c) => c.verdict), ['not tested', 'not tested']);
  assert.match(none[0].ours, /every model of PGD-AT, TRADES is flagged/);
  // reversed comparisons reverse claim 1
  assert.equal(claims(cellVerdicts(comparisons(plan.pairs, false), plan, { regulariserOk: false }), plan, { regulariserOk: false, excluded: [] })[0].verdict, 'reversed');
});

const lrow = (lambda: number, accuracy: number, sensitivity: number, ratio: number, flipRate: number): LambdaRow =>
  ({ lambda, accuracy, sensitivity, ratio, flipRate, layers: [{ layer: 'dense1', relAdv: ratio, relRand: 1, ratio, spreadAdv: sensitivity }] });

test('lambdaTable: values relative to standard training (lambda 0), per layer columns', () => {
  const t = lambdaTable([lrow(0, 0.9, 2, 4, 0.9), lrow(0.3, 0.88, 0.5, 3, 0.85)]);
  close(t[1]['vs standard'], 0.5 / 2 - 1);
  close(t[1]['ratio vs standard'], 3 / 4 - 1);
  assert.equal(t[0]['vs standard'], 0);
  assert.deepEqual(Object.keys(t[1]), ['λ', 'held-out accuracy', 'adv change ÷ spread (regularised layers)', 'vs standard', 'adv/rand ratio (regularised layers)', 'ratio vs standard', 'dense1 adv ÷ spread', 'dense1 adv/rand', 'PGD flip rate']);
});

test('regulariserText and chosenLambdaText: the precondition is met or not from the computed drop; no lambda, no claim 2', () => {
  const cfg = config('demo');
  const reg = (drop: number): RegulariserSweep => {
    const sens = 2 * (1 - drop);
    return { rows: [], n: 100, choice: { lambda: 0.3, rule: 'rule' }, lambdas: [0.3], sensitivityOk: drop >= cfg.train.minSensitivityDrop, ratioOk: false,
      effect: { sens, sens0: 2, drop, ratio: 5, ratio0: 4, ratioDrop: -0.25, flip: 0.9, flip0: 0.95, accDrop: -0.02 } };
  };
  assert.match(regulariserText(reg(0.8), cfg), /80% lower \(precondition of claim 2: ≥ 30% lower → met\)/);
  assert.match(regulariserText(reg(0.1), cfg), /10% lower \(precondition of claim 2: ≥ 30% lower → \*\*not met\*\*: claim 2 is not tested\)/);
  assert.match(regulariserText(reg(0.8), cfg), /ratio is 5.00 against 4.00, 25% higher/);
  assert.match(chosenLambdaText(reg(0.8)), /^Rule: rule\. Chosen λ = 0.3: adversarial change ÷ spread 0.400 vs standard 2.000 \(80% lower\).*accuracy 2.0 points above standard\.$/);
  const none: RegulariserSweep = { ...reg(0), choice: { lambda: null, rule: 'rule: no λ qualifies' }, lambdas: [], effect: null, sensitivityOk: false };
  assert.equal(chosenLambdaText(none), 'Rule: rule: no λ qualifies. Chosen λ = null.');
  assert.match(regulariserText(none, cfg), /no λ of the sweep kept accuracy within 3 points of standard; claim 2 is not tested/);
});

test('conclusionText: clean accuracy is the mean over seeds, robust accuracy the sweep point at the training eps', () => {
  const cfg = config('smoke');
  const row = (dataset: string, family: string, seed: number, accuracy: number) => ({ dataset, family, seed, accuracy, classes: 4, trainSeconds: 1, collapsed: false, reason: '' });
  const costs: Costs = {
    rows: [row('synth', 'standard', 0, 0.9), row('synth', 'standard', 1, 0.8), row('mnist', 'standard', 0, 0.7)],
    sweep: [0, 0.05, 0.1].flatMap((eps) => [0, 1].map((seed) => ({ dataset: 'synth', family: 'standard', seed, eps, robustAccuracy: eps === 0.1 ? 0.2 + 0.2 * seed : 0.9 }))),
    excluded: [], excludedText: [],
  };
  const profile = { layers: [{ layer: 'dense1', relAdv: 3, relRand: 2 }], l2Adv: 1, l2Rand: 1, flipRate: 1 } as never;
  const md = conclusionText([{ claim: 'c', paper: 'p', ours: 'o', criterion: 'k', verdict: 'not shown' }],
    { cfg, fams: [family('standard')], imageFams: [family('standard')], costs, profile, datasets: ['mnist'], run: { wallSeconds: 12.4, cpuSeconds: 30, backend: 'wasm', scale: 'smoke' } });
  assert.match(md, /^\*\*0 of 1 claims hold at smoke scale\*\* \(1 not shown; each verdict with its criterion and our numbers in the table above\)\./);
  assert.match(md, /clean accuracy standard 0.850; robust accuracy at ε = 0.1: standard 0.300\./);
  assert.match(md, /mnist: clean standard 0.700; robust at ε = 0.1: standard NaN\./);
  assert.match(md, /dense1 1.5x/);
  assert.match(md, /Run time: 12 s wall, 30 s CPU \(backend wasm, scale smoke\)\.$/);
});

/** 2x2x1 images: class 1 when the mean pixel > 0.5. */
function images(n: number, withMasks = false): SynthImageSet {
  const x = new Float32Array(n * 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = i % 2 ? 0.9 - 0.01 * i : 0.1 + 0.01 * i;
    x.fill(v, i * 4, i * 4 + 4);
    y[i] = i % 2;
  }
  const set = { x, y, shape: [n, 2, 2, 1] as [number, number, number, number], classes: ['dark', 'bright'] };
  return (withMasks ? { ...set, masks: new Float32Array(n * 4).fill(1), boxes: [], signs: [] } : set) as unknown as SynthImageSet;
}

/** flatten -> dense1 (2 units) -> 2 logits; `good` separates the classes by the mean pixel, otherwise a constant (chance). */
function tiny(good: boolean): tf.LayersModel {
  const m = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [2, 2, 1] }),
    tf.layers.dense({ units: 2, name: 'dense1', activation: 'relu' }),
    tf.layers.dense({ units: 2 }),
  ] });
  m.layers[1].setWeights([tf.tensor2d(good ? [[1, 0], [1, 0], [1, 0], [1, 0]] : [[0, 0], [0, 0], [0, 0], [0, 0]]), tf.tensor1d([0, 1])]);
  m.layers[2].setWeights([tf.tensor2d([[0, 5], [10, 0]]), tf.tensor1d([0, 0])]); // logits (10, 5 * 4 * mean): class 1 when mean > 0.5
  return m;
}

function smallCfg(): P3Config {
  const cfg = config('smoke');
  cfg.seeds = [0, 1];
  cfg.sweep = { epsScale: [0.5, 1], steps: 2, n: 6 };
  cfg.profile = { n: 6, steps: 2, layers: ['dense1'] };
  cfg.train.layers = ['dense1'];
  cfg.train.eps = { ...cfg.train.eps, synth: 0.1, mnist: 0.2 };
  return cfg;
}

test('accuracyAndRobustness: robust@eps columns at the configured budgets, collapse flags, only synth models excluded; no leak', async () => {
  const cfg = smallCfg();
  const good = tiny(true);
  const bad = tiny(false);
  const data = { synthTest: images(8, true), images: { mnist: { train: images(8), test: images(8) } } } as unknown as P3Data;
  const models = {
    synth: [fake(family('standard'), 0, good), fake(family('standard'), 1, good), fake(family('pgd'), 0, bad)],
    mnist: [fake(family('standard'), 0, good), fake(family('pgd'), 0, bad)],
  };
  const costs = await noLeak(() => accuracyAndRobustness(models, data, cfg));
  assert.deepEqual(costs.rows.map((r) => [r.dataset, r.family, r.seed]), [['synth', 'standard', 0], ['synth', 'standard', 1], ['synth', 'PGD-AT', 0], ['mnist', 'standard', 0], ['mnist', 'PGD-AT', 0]]);
  assert.deepEqual(Object.keys(costs.rows[0]), ['dataset', 'family', 'seed', 'accuracy', 'classes', 'trainSeconds', 'robust@0.05', 'robust@0.1', 'collapsed', 'reason']);
  assert.deepEqual(Object.keys(costs.rows[3]).filter((k) => k.startsWith('robust@')), ['robust@0.1', 'robust@0.2']);
  assert.equal(costs.rows[0].accuracy, 1);
  assert.equal(costs.rows[2].accuracy, 0.5); // constant output: one class of two
  assert.deepEqual(costs.rows.map((r) => r.collapsed), [false, false, true, false, true]);
  assert.deepEqual(costs.excluded.map((f) => [f.family, f.seed]), [['PGD-AT', 0]]);
  assert.match(costs.excludedText[0], /^PGD-AT seed 0 \(synth\): accuracy 0.500 is at chance/);
  // the sweep: eps 0 is clean accuracy on the sweep's first n images, robust accuracy never rises with eps
  const curve = costs.sweep.filter((r) => r.dataset === 'synth' && r.family === 'standard' && r.seed === 0);
  assert.deepEqual(curve.map((r) => r.eps), [0, 0.05, 0.1]);
  assert.equal(curve[0].robustAccuracy, 1);
  assert.ok(curve[1].robustAccuracy <= curve[0].robustAccuracy && curve[2].robustAccuracy <= curve[1].robustAccuracy);
  assert.equal(costs.rows[0]['robust@0.1'], curve[2].robustAccuracy);
  await assert.rejects(accuracyAndRobustness({ fashion: [] }, data, cfg), /no test set for "fashion"/);
  good.dispose();
  bad.dispose();
});

test('familySensitivity: the first seed of each family, the same profile as activationSensitivityProfile on the first n test images', async () => {
  const cfg = smallCfg();
  const good = tiny(true);
  const other = tiny(false);
  const test = images(8, true);
  const profiles = await noLeak(() => familySensitivity([fake(family('standard'), 0, good), fake(family('pgd'), 0, other), fake(family('standard'), 1, other)], test, cfg));
  assert.deepEqual(profiles.map((p) => p.family), ['standard', 'PGD-AT']);
  const x = tf.tensor4d(test.x.slice(0, 6 * 4), [6, 2, 2, 1]);
  const y = tf.tensor1d(test.y.slice(0, 6), 'int32');
  const direct = await activationSensitivityProfile(good, x, y, { layers: ['dense1'], eps: 0.1, steps: 2, seed: 0 });
  close(profiles[0].profile.layers[0].relAdv, direct.layers[0].relAdv, 1e-7);
  close(profiles[0].profile.flipRate, direct.flipRate);
  assert.deepEqual(layerSensitivityRows(direct)[0], { layer: 'dense1', adversarial: direct.layers[0].relAdv, random: direct.layers[0].relRand, ratio: direct.layers[0].relAdv / direct.layers[0].relRand, neurons: 2 });
  assert.deepEqual(Object.keys(familySensitivityRows(profiles)[0]), ['family', 'dense1 adv ÷ spread', 'dense1 adv/rand', 'PGD flip rate']);
  tf.dispose([x, y]);
  good.dispose();
  other.dispose();
});

test('sweepRegulariser: the rule picks the largest lambda within the accuracy drop; the effect is relative to lambda 0; cfg.train.lambdas wins', async () => {
  const cfg = smallCfg();
  const good = tiny(true);
  const bad = tiny(false);
  const valid = images(8, true);
  const ms = [fake(family('standard'), 0, good), fake(family('as', 0.3), 0, good), fake(family('as', 1), 0, bad)];
  cfg.train.lambdas = [];
  const reg = await noLeak(() => sweepRegulariser(ms, valid, cfg));
  assert.deepEqual(reg.rows.map((r) => [r.lambda, r.accuracy]), [[0, 1], [0.3, 1], [1, 0.5]]);
  assert.equal(reg.n, 6);
  assert.equal(reg.choice.lambda, 0.3); // lambda 1 loses 50 points of accuracy
  assert.deepEqual(reg.lambdas, [0.3]);
  const e = reg.effect!;
  close(e.drop, 1 - reg.rows[1].sensitivity / reg.rows[0].sensitivity);
  close(e.drop, 0, 1e-7, 'the same model at lambda 0.3: nothing changed');
  assert.equal(reg.sensitivityOk, false);
  cfg.train.lambdas = [0.1];
  assert.deepEqual((await sweepRegulariser(ms, valid, cfg)).lambdas, [0.1]);
  good.dispose();
  bad.dispose();
});

test('scoreModels: records per model x method x metric x image, maps for first-seed models only, onModel in order; no leak', async () => {
  const cfg = smallCfg();
  cfg.explain = { n: 3, igSteps: 2, sgN: 2, sgNoise: 0.05, msN: 2, msRadius: 0.01, curveSteps: 2 };
  const good = tiny(true);
  const ms = [fake(family('standard'), 0, good), fake(family('pgd'), 0, good), fake(family('standard'), 1, good)];
  const seen: string[] = [];
  const s = await noLeak(() => scoreModels(ms, images(8, true), cfg, { keepMaps: 2, onModel: (m) => seen.push(m.name) }));
  assert.equal(s.n, 3);
  assert.equal(s.records.length, ms.length * METHODS.length * METRICS.length * 3);
  assert.deepEqual(s.maps.map((m) => m.family), ['standard', 'PGD-AT']);
  assert.equal(s.maps[0].maps.saliency.length, 2);
  assert.deepEqual(seen, ms.map((m) => m.name));
  // seed 1 scored the same images with the same model: the same deterministic saliency scores as seed 0
  const sal = (seed: number): ScoreRecord[] => s.records.filter((r) => r.family === 'standard' && r.seed === seed && r.method === 'saliency' && r.metric === 'energyInMask');
  assert.deepEqual(sal(1).map((r) => r.value), sal(0).map((r) => r.value));
  // the bar figure of one method: one series per family, one bar per metric, error = CI half-width
  const summary = summariseFamilies(s.records, { seed: 1 });
  const fig = metricsBarFigure(summary, 'saliency') as { data: { name: string; y: number[] }[] };
  assert.deepEqual(fig.data.map((d) => d.name), ['standard', 'PGD-AT']);
  assert.equal(fig.data[0].y.length, METRICS.length);
  assert.throws(() => metricsBarFigure(summary.filter((r) => r.metric !== 'deletion'), 'saliency'), /no saliency \/ deletion summary for "standard"/);
  good.dispose();
});

test('planComparisons without any model: every family is lost and nothing is compared', () => {
  assert.deepEqual(labels, ['standard', 'PGD-AT', 'TRADES', 'AS λ=0.3']);
  const flags: CollapseFlag[] = [];
  const p = planComparisons(fams, [], flags);
  assert.deepEqual(p.lost, labels);
  assert.deepEqual(p.pairs, []);
});
