/**
 * P2's flip attack on a sigmoid detector (Praher, Prinz, Flexer & Widmer 2021, arXiv 2107.09045):
 * flip the decision of every frame / excerpt with a small perturbation.
 *
 *   minimise  L(delta) = ||delta||_2^2 + c * mean_t BCE(z_t(x + delta), 1 - y_t)      (c = 2)
 *   Adam(lr = 3e-4) on sign(grad L); delta clipped to [-clip, clip] (0.01) after every step;
 *   an example stops (its delta freezes) once all its frames are flipped, the run stops when all
 *   are; at most `steps` (1000) iterations.
 *
 * Domain: by default delta lives in the model's input (e.g. a linear-magnitude spectrogram). With
 * options.frontEnd, x is a waveform and the model sees frontEnd(x + delta): the same attack then
 * perturbs raw audio through a differentiable front-end. SNR = 20 log10(||x|| / ||delta||) is
 * reported in the domain of x. y: the current labels (0/1, one per example or per output), or
 * null to take the model's own decisions sigmoid(z) > threshold.
 *
 * @example
 *   const r = await flipAttack(detector, wave, null, { frontEnd: melSpec, steps: 1000 });
 *   r.success; r.snrDb; r.iterations;
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions, checkInput, checkNumbers, rowsPerPass } from '../engine';
import type { Model, ModelFn } from '../engine';
import { Adam, attackInChunks, chunkRanges, clipDelta, gradWithAux, resolveThreshold, toTensor, whereRows, checkAttackSetup } from './common';
import { perturbationSizes } from './perturbationSizes';
import { broadcastTargets, perExampleLoss, prepareLabels } from './losses';
import type { AttackResult, Labels, Range } from './types';

export interface FlipAttackOptions {
  /** Weight of the BCE term (default 2). */
  c?: number;
  /** Adam learning rate (default 3e-4). */
  lr?: number;
  /** Linf clip of delta (default 0.01). */
  clip?: number;
  /** Maximum iterations (default 1000). */
  steps?: number;
  /** Sigmoid decision threshold (default 0.5; P2's detector uses 0.51). */
  threshold?: number;
  /** Differentiable (wave) => model input; x is then in the wave domain. */
  frontEnd?: (wave: tf.Tensor) => tf.Tensor;
  /** Valid range of x (default null; e.g. [-1, 1] for audio, [0, Infinity] for magnitudes). */
  range?: Range;
  mask?: tf.Tensor;
  batchSize?: number;
  /** Read back "all flipped?" every this many steps (default 10). */
  checkEvery?: number;
}

export interface FlipAttackResult extends AttackResult {
  snrDb: number[];
  /** Step at which every output of the example was flipped (-1 if never). */
  iterations: number[];
  /** Share of the example's outputs flipped at the end. */
  flippedFraction: number[];
}

const KNOWN = ['c', 'lr', 'clip', 'steps', 'threshold', 'frontEnd', 'range', 'mask', 'batchSize', 'checkEvery'];

interface Plan {
  fn: ModelFn;
  c: number;
  lr: number;
  clip: number;
  steps: number;
  zThr: number;
  range: Range;
  checkEvery: number;
}

/** [N, T] bool: decision differs from the original label. */
function flippedMask(z: tf.Tensor, y: tf.Tensor, zThr: number): tf.Tensor {
  const zz = z.reshape([z.shape[0], -1]);
  return zz.greater(zThr).notEqual(broadcastTargets(y, zz).greaterEqual(0.5));
}

function chunk(plan: Plan, x: tf.Tensor, y: tf.Tensor, mask?: tf.Tensor) {
  const n = x.shape[0];
  const { fn } = plan;
  const flipped = tf.tidy(() => tf.sub(1, y));
  let delta: tf.Tensor = tf.zerosLike(x);
  let active: tf.Tensor = tf.ones([n], 'bool');
  let iters: tf.Tensor = tf.fill([n], -1);
  const adam = new Adam(plan.lr);
  try {
    for (let t = 0; t < plan.steps; t++) {
      const { grad, aux } = gradWithAux<{ z: tf.Tensor }>((d, keep) => {
        const z = fn(x.add(d));
        keep({ z });
        // ||delta||^2 + c * BCE(z, 1 - y), summed over independent examples
        const pen = d.square().sum();
        return pen.add(perExampleLoss('bce', z, flipped).sum().mul(plan.c)) as tf.Scalar;
      }, delta);
      const [nDelta, nActive, nIters] = tf.tidy(() => {
        const done = flippedMask(aux.z, y, plan.zThr).all(1);
        const nowDone = tf.logicalAnd(active, done);
        const nIters = tf.where(nowDone, tf.fill([n], t), iters);
        const nActive = tf.logicalAnd(active, tf.logicalNot(done));
        let g = tf.sign(grad);
        if (mask) g = g.mul(mask);
        let d = delta.sub(adam.step(g)).clipByValue(-plan.clip, plan.clip);
        if (mask) d = d.mul(mask);
        d = clipDelta(x, d, plan.range);
        return [whereRows(nActive, d, delta), nActive, nIters];
      });
      tf.dispose([grad, aux.z, delta, active, iters]);
      delta = nDelta;
      active = nActive;
      iters = nIters;
      if ((t + 1) % plan.checkEvery === 0 && !tf.tidy(() => active.any().dataSync()[0])) break;
    }
    const xAdv = x.add(delta);
    const frac = tf.tidy(() => {
      const inp = xAdv;
      return flippedMask(fn(inp), y, plan.zThr).toFloat().mean(1).dataSync();
    });
    const it = Array.from(iters.dataSync());
    const fr = Array.from(frac);
    // a delta whose last update completed the flip is caught here (iterations = steps)
    return { xAdv, flippedFraction: fr, iterations: it.map((v, i) => (v < 0 && fr[i] === 1 ? plan.steps : v)) };
  } finally {
    adam.dispose();
    tf.dispose([flipped, delta, active, iters]);
  }
}

export async function flipAttack(model: Model, x: tf.Tensor, y: Labels, options: FlipAttackOptions = {}): Promise<FlipAttackResult> {
  const where = 'flipAttack';
  checkOptions(where, options, KNOWN);
  checkInput(where, x);
  if (options.frontEnd !== undefined && typeof options.frontEnd !== 'function') throw new Error(`${where}: frontEnd must be a function (wave) => model input.`);
  const base = asFn(model);
  const fe = options.frontEnd;
  const fn: ModelFn = fe ? (w) => base(fe(w)) : base;
  const threshold = resolveThreshold(where, options.threshold);
  const plan: Plan = {
    fn,
    c: options.c ?? 2,
    lr: options.lr ?? 3e-4,
    clip: options.clip ?? 0.01,
    steps: options.steps ?? 1000,
    zThr: Math.log(threshold / (1 - threshold)),
    range: options.range === undefined ? null : options.range,
    checkEvery: options.checkEvery ?? 10,
  };
  checkNumbers(where, { c: [plan.c, 'nonNegative'], lr: [plan.lr, 'positive'], clip: [plan.clip, 'positive'], steps: [plan.steps, 'int'], checkEvery: [plan.checkEvery, 'int'] });
  const outShape = checkAttackSetup(where, fn, x, plan.range, options.mask);
  const n = x.shape[0];
  const rows = rowsPerPass(where, fn, x, options.batchSize ?? n, 'backward'); // lowered under the memory budget (the front end included)
  const yT =
    y === null || y === undefined
      ? tf.tidy(() => {
          const parts = chunkRanges(n, rows).map(([s, e]) => fn(x.slice(s, e - s)).greater(plan.zThr).toFloat());
          return tf.concat(parts, 0);
        })
      : toTensor(where, y, 'y');
  const lab = prepareLabels(where, 'bce', yT, outShape, n);
  let r;
  try {
    r = attackInChunks(x, lab, options.mask, rows, (xs, ys, ms) => chunk(plan, xs, ys, ms), ['iterations', 'flippedFraction'] as const);
  } finally {
    lab.dispose();
  }
  const flippedFraction = r.flippedFraction as number[];
  return { xAdv: r.xAdv, success: flippedFraction.map((f) => f === 1), iterations: r.iterations as number[], flippedFraction, ...perturbationSizes(x, r.xAdv) };
}
