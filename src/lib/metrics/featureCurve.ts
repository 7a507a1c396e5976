/**
 * The shared engine of deletion and insertion (Petsiuk, Das, Saenko 2018, RISE, arXiv 1806.07421):
 * order the features by attribution (descending), then evaluate the model's target probability on
 * inputs where the top n_k features are replaced by the baseline (deletion) or taken from x over the
 * baseline (insertion), n_k = round(k d / steps), k = 0..steps; AUC by the trapezoid rule over the
 * fraction n_k / d in [0, 1]. The (example, step) inputs are built and evaluated in chunks of
 * batchSize rows, lowered under the memory budget (engine/memory.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Model, positiveInt, sameShape, checkedModel, checkInput, probeModel, rowsPerPass } from '../engine';
import { forward, MetricMeta, MetricResult, TensorLike, withTensors } from './common';

export interface FeatureCurveOptions {
  /** Class index per example, or one for all (default: the predicted class on x). */
  target?: number | number[];
  /** Number of chunks (default 20; at most the number of features). */
  steps?: number;
  /** Replacement value: a number (default 0), a tensor shaped like x, or like one example. */
  baseline?: number | tf.Tensor;
  /** How outputs become scores: 'softmax' | 'sigmoid' | 'identity'; default 'auto': softmax for >1 output, sigmoid for 1. */
  output?: 'auto' | 'softmax' | 'sigmoid' | 'identity';
  /** Order features by |attribution| instead of the signed value (default false). */
  absolute?: boolean;
  /** Rows per forward pass (default 64). */
  batchSize?: number;
}

export interface FeatureCurveResult extends MetricResult {
  /** AUC per example. */
  perExample: number[];
  /** x axis: fraction of features removed (deletion) or inserted (insertion), k = 0..steps. */
  fractions: number[];
  /** Score curve per example. */
  curves: number[][];
  /** Mean curve over examples. */
  meanCurve: number[];
  /** Target class per example. */
  targets: number[];
}

const KNOWN = ['target', 'steps', 'baseline', 'output', 'absolute', 'batchSize'];

export function featureCurve(
  where: string,
  meta: MetricMeta,
  mode: 'deletion' | 'insertion',
  model: Model,
  x: tf.Tensor,
  attribution: TensorLike,
  options: FeatureCurveOptions = {},
): FeatureCurveResult {
  checkOptions(where, options, KNOWN);
  if (!(x instanceof tf.Tensor)) throw new Error(`${where}: x must be a tf.Tensor batch.`);
  checkInput(where, x);
  const fn = checkedModel(where, model);
  probeModel(where, fn, x);
  const batchSize = positiveInt(where, 'batchSize', options.batchSize ?? 64);
  const output = options.output ?? 'auto';
  if (!['auto', 'softmax', 'sigmoid', 'identity'].includes(output)) throw new Error(`${where}: unknown output "${output}"; use 'auto', 'softmax', 'sigmoid' or 'identity'.`);
  return withTensors(where, [[attribution, 'attribution']], (a) => {
    const N = x.shape[0];
    const channelBroadcast = !sameShape(a.shape, x.shape);
    if (channelBroadcast && !(sameShape(a.shape, [...x.shape.slice(0, -1), 1]) && x.rank >= 3)) {
      throw new Error(`${where}: attribution shape [${a.shape}] must equal x's [${x.shape}] (or have one channel: [${[...x.shape.slice(0, -1), 1]}]).`);
    }
    const featShape = a.shape.slice(1);
    const d = a.size / N;
    const steps = Math.min(positiveInt(where, 'steps', options.steps ?? 20), d);
    const counts = Array.from({ length: steps + 1 }, (_, k) => Math.round((k * d) / steps));
    const fractions = counts.map((c) => c / d);

    // Rank of every feature per example (0 = most important), from the attribution order.
    const av = a.dataSync();
    const ranks = new Float32Array(N * d);
    const idx = new Array<number>(d);
    const row = new Float64Array(d);
    for (let i = 0; i < N; i++) {
      const off = i * d;
      for (let j = 0; j < d; j++) {
        idx[j] = j;
        row[j] = options.absolute ? Math.abs(av[off + j]) : av[off + j];
      }
      idx.sort((p, q) => row[q] - row[p] || p - q);
      for (let r = 0; r < d; r++) ranks[off + idx[r]] = r;
    }
    // rows (example, step) per forward pass: batchSize, lowered under the memory budget; each row
    // also costs the masked copy built for it (mask, 1 - mask, two products, their sum: 5 x its input)
    const K = steps + 1;
    const rows = rowsPerPass(where, model, x, batchSize, 'forward', { extraBytesPerRow: 5 * 4 * (x.size / N) });
    const targets = resolveTargets(where, fn, x, options.target, rows);
    const baseline = resolveBaseline(where, x, options.baseline);
    const curves: number[][] = Array.from({ length: N }, () => new Array<number>(K));
    const perExampleBaseline = baseline.shape[0] === N && baseline.rank === x.rank;
    try {
      for (let r0 = 0; r0 < N * K; r0 += rows) {
        const g = Math.min(rows, N * K - r0);
        const ex = Array.from({ length: g }, (_, r) => Math.floor((r0 + r) / K));
        // m[r, j] = 1 where feature j is among the top n_k of row r's example (built in JS: broadcast
        // comparisons are slow on wasm).
        const mv = new Float32Array(g * d);
        for (let r = 0; r < g; r++) {
          const off = ex[r] * d;
          const nk = counts[(r0 + r) % K];
          for (let j = 0; j < d; j++) if (ranks[off + j] < nk) mv[r * d + j] = 1;
        }
        const scores = tf.tidy(() => {
          let m = tf.tensor(mv, [g, ...featShape]);
          const exT = tf.tensor1d(ex, 'int32');
          const xs = tf.gather(x, exT); // [g, ...]
          const bs = perExampleBaseline ? tf.gather(baseline, exT) : baseline.expandDims(0);
          if (channelBroadcast) m = tf.broadcastTo(m, [g, ...x.shape.slice(1)]);
          // deletion: x where not yet removed, baseline where removed; insertion: the reverse.
          const mixed = mode === 'deletion' ? tf.add(tf.mul(xs, tf.sub(1, m)), tf.mul(bs, m)) : tf.add(tf.mul(bs, tf.sub(1, m)), tf.mul(xs, m));
          const out = forward(fn, mixed, rows);
          const prob = toScores(out, output);
          const rowTargets = ex.map((i) => targets[i]);
          const bad = rowTargets.find((t) => t >= prob.shape[1]);
          if (bad !== undefined) throw new Error(`${where}: target ${bad} is out of range for a model with ${prob.shape[1]} output(s).`);
          const picked = prob.shape[1] === 1 ? prob : tf.sum(tf.mul(prob, tf.oneHot(tf.tensor1d(rowTargets, 'int32'), prob.shape[1])), 1);
          return picked.reshape([g]);
        });
        const sv = scores.dataSync();
        scores.dispose();
        for (let r = 0; r < g; r++) curves[ex[r]][(r0 + r) % K] = sv[r];
      }
    } finally {
      baseline.dispose();
    }
    const perExample = curves.map((c) => trapezoid(fractions, c));
    const meanCurve = fractions.map((_, k) => curves.reduce((s, c) => s + c[k], 0) / curves.length);
    return {
      meta,
      value: perExample.reduce((s, v) => s + v, 0) / perExample.length,
      perExample,
      fractions,
      curves,
      meanCurve,
      targets,
    };
  });
}

/** ∫ y dx by the trapezoid rule. */
export function trapezoid(xs: number[], ys: number[]): number {
  let s = 0;
  for (let k = 1; k < xs.length; k++) s += ((xs[k] - xs[k - 1]) * (ys[k] + ys[k - 1])) / 2;
  return s;
}

function toScores(out: tf.Tensor2D, output: string): tf.Tensor2D {
  const kind = output === 'auto' ? (out.shape[1] > 1 ? 'softmax' : 'sigmoid') : output;
  if (kind === 'softmax') return tf.softmax(out);
  if (kind === 'sigmoid') return tf.sigmoid(out);
  return out;
}

function resolveBaseline(where: string, x: tf.Tensor, baseline: number | tf.Tensor | undefined): tf.Tensor {
  if (baseline === undefined || typeof baseline === 'number') {
    const v = baseline ?? 0;
    if (!Number.isFinite(v)) throw new Error(`${where}: baseline must be finite, got ${v}.`);
    return tf.fill(x.shape.slice(1), v);
  }
  if (!(baseline instanceof tf.Tensor)) throw new Error(`${where}: baseline must be a number or a tf.Tensor.`);
  if (sameShape(baseline.shape, x.shape) || sameShape(baseline.shape, x.shape.slice(1))) return baseline.clone();
  throw new Error(`${where}: baseline shape [${baseline.shape}] must be x's [${x.shape}] or one example's [${x.shape.slice(1)}].`);
}

function resolveTargets(where: string, fn: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, target: number | number[] | undefined, batchSize: number): number[] {
  const N = x.shape[0];
  if (target === undefined) {
    const out = forward(fn, x, batchSize);
    const t = out.shape[1] > 1 ? Array.from(tf.tidy(() => tf.argMax(out, 1).dataSync())) : new Array<number>(N).fill(0);
    out.dispose();
    return t;
  }
  const ts = typeof target === 'number' ? new Array<number>(N).fill(target) : target;
  if (!Array.isArray(ts) || ts.length !== N) throw new Error(`${where}: length mismatch, ${N} examples but ${Array.isArray(ts) ? ts.length : '?'} targets.`);
  ts.forEach((t, i) => {
    if (!Number.isInteger(t) || t < 0) throw new Error(`${where}: target[${i}] = ${t} is not a class index.`);
  });
  return ts.slice();
}
