/**
 * SmoothGrad: average an attribution method over noisy copies of the input (a wrapper).
 *
 * Smilkov, Thorat, Kim, Viegas, Wattenberg (2017), "SmoothGrad: removing noise by adding noise"
 * (arXiv 1706.03825).
 *   SG(x) = (1/n) sum_{k=1..n} A(x + eps_k),   eps_k ~ N(0, sigma^2)
 * with sigma = noiseLevel * (max(x) - min(x)) per example unless `sigma` is given (absolute);
 * `squared` averages A^2 (the paper's SmoothGrad-Squared variant). The wrapped method keeps the
 * one signature; noisy copies are stacked into batches of about batchSize rows (lowered under the
 * memory budget, engine/memory.ts). A path method's
 * gap is averaged over the copies. Per-example tensor options shaped like x (a baseline, a
 * boundary) are repeated with the copies.
 *
 * @example
 *   const sg = smoothGrad(saliency, { n: 50, noiseLevel: 0.15, seed: 1 });
 *   const { map } = await sg(model, x, { target: 2 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Model, Rng, seedFor, checkInput, positiveInt, sameShape, checkedModel, probeModel, rowsPerPass } from '../engine';
import { Attribution, AttributionMethod, tileList, TargetOptions } from './common';

export interface SmoothGradOptions {
  /** Number of noisy copies (default 50). */
  n?: number;
  /** Absolute noise standard deviation; overrides noiseLevel. */
  sigma?: number;
  /** Noise sd as a fraction of each example's value range (default 0.15). */
  noiseLevel?: number;
  /** Seed of the noise (default 0); example i draws from its own stream seedFor(seed, 'smoothGrad', i), whatever the batch. */
  seed?: number;
  /** Average squared attributions (default false). */
  squared?: boolean;
  /** Rows (copies x examples) per call of the wrapped method (default 64). */
  batchSize?: number;
}

export interface SmoothedAttribution extends Attribution {
  /** The noise sd used per example. */
  sigma: number[];
}

const KNOWN = ['n', 'sigma', 'noiseLevel', 'seed', 'squared', 'batchSize'] as const;

export function smoothGrad<O extends TargetOptions>(
  method: AttributionMethod<O, Attribution>,
  options: SmoothGradOptions = {},
): AttributionMethod<O, SmoothedAttribution> {
  const where = 'smoothGrad';
  if (typeof method !== 'function') throw new Error(`${where}: the first argument must be an attribution method.`);
  checkOptions(where, options, KNOWN);
  const { n = 50, sigma, noiseLevel = 0.15, seed = 0, squared = false, batchSize = 64 } = options;
  positiveInt(where, 'n', n);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`${where}: seed must be a finite number; got ${typeof seed === 'string' ? JSON.stringify(seed) : String(seed)}.`);
  positiveInt(where, 'batchSize', batchSize);
  if (sigma !== undefined && !(Number.isFinite(sigma) && sigma >= 0)) throw new Error(`${where}: sigma must be >= 0; got ${sigma}.`);
  if (!(Number.isFinite(noiseLevel) && noiseLevel >= 0)) throw new Error(`${where}: noiseLevel must be >= 0; got ${noiseLevel}.`);

  return async (model: Model, x: tf.Tensor, methodOptions: O): Promise<SmoothedAttribution> => {
    checkInput(where, x);
    probeModel(where, checkedModel(where, model), x); // model mistakes named here, not by the wrapped method on noisy copies
    const B = x.shape[0];
    const rest = x.shape.slice(1);
    const D = rest.reduce((a, b) => a * b, 1);
    const sds = await noiseSds(x, sigma, noiseLevel);
    // one noise stream per example, seeded by its index (as pgd's random starts): example i's noise
    // does not depend on the other examples in the batch or on batchSize
    const rngs = Array.from({ length: B }, (_, i) => new Rng(seedFor(seed, 'smoothGrad', i)));
    // copies per call: batchSize rows, lowered under the memory budget for one backward pass of the
    // model (the wrapped method chunks its own passes too)
    const rows = rowsPerPass(where, model, x, batchSize, 'backward');
    const perCall = Math.max(1, Math.min(n, Math.floor(rows / B)));
    let acc = tf.zerosLike(x);
    let gapSum: number[] | null = null;
    try {
      for (let done = 0; done < n; done += perCall) {
        const k = Math.min(perCall, n - done);
        // eps_k ~ N(0, sigma_i^2), one draw per element, copies stacked along the batch axis
        const noise = new Float32Array(k * B * D);
        for (let c = 0; c < k; c++) for (let i = 0; i < B; i++) {
          const off = (c * B + i) * D;
          for (let j = 0; j < D; j++) noise[off + j] = rngs[i].normal(0, sds[i]);
        }
        const xs = tf.tidy(() => tf.tile(x, [k, ...rest.map(() => 1)]).add(tf.tensor(noise, [k * B, ...rest])));
        const tiled = tileOptions(methodOptions, x, k);
        let res: Attribution;
        try {
          res = await method(model, xs, tiled.options);
        } finally {
          xs.dispose();
          tiled.dispose();
        }
        const next = tf.tidy(() => {
          const m = res.map.reshape([k, B, ...rest]);
          return acc.add((squared ? m.square() : m).sum(0));
        });
        res.map.dispose();
        acc.dispose();
        acc = next;
        if (res.gap) {
          gapSum = gapSum ?? new Array<number>(B).fill(0);
          for (let r = 0; r < res.gap.length; r++) gapSum[r % B] += res.gap[r];
        }
      }
    } catch (e) {
      acc.dispose();
      throw e;
    }
    const map = tf.div(acc, n);
    acc.dispose();
    const out: SmoothedAttribution = { map, sigma: sds };
    if (gapSum) out.gap = gapSum.map((g) => g / n);
    return out;
  };
}

/** Per-example noise sd: the given sigma, or noiseLevel * (max - min). */
async function noiseSds(x: tf.Tensor, sigma: number | undefined, noiseLevel: number): Promise<number[]> {
  const B = x.shape[0];
  if (sigma !== undefined) return new Array<number>(B).fill(sigma);
  const r = tf.tidy(() => {
    const f = x.reshape([B, -1]);
    return f.max(1).sub(f.min(1));
  });
  const v = Array.from(await r.data()).map((d) => d * noiseLevel);
  r.dispose();
  return v;
}

/** Repeat per-example options k times: target arrays, and tensors shaped like x. */
function tileOptions<O extends TargetOptions>(options: O, x: tf.Tensor, k: number): { options: O; dispose: () => void } {
  const out: Record<string, unknown> = { ...(options as object) };
  const made: tf.Tensor[] = [];
  for (const [key, v] of Object.entries(options as object)) {
    if (key === 'target' && Array.isArray(v)) out[key] = tileList(v as number[], k);
    else if (v instanceof tf.Tensor && sameShape(v.shape, x.shape) && k > 1) {
      const t = tf.tile(v, [k, ...x.shape.slice(1).map(() => 1)]);
      made.push(t);
      out[key] = t;
    }
  }
  return { options: out as O, dispose: () => made.forEach((t) => t.dispose()) };
}
