/**
 * Standardisation of spectrograms: per band (P2: each mel band to zero mean, unit variance over the
 * training set) or global (P1: one mean and std over all training bins).
 *
 *   fit:   mu_b = mean_{clips, frames} S[., b],  sd_b = std_{clips, frames} S[., b]  (per band)
 *   apply: Z = (S - mu) / max(sd, 1e-8)
 *
 * apply works on a Mat (returns a Mat) or on a tf.Tensor whose last axis is the band axis
 * (returns a tensor; differentiable, so attacks can run through it).
 *
 * @example
 *   const st = fitStandardizer(trainSpecs, { perBand: true });
 *   const z = applyStandardizer(st, melSpectrogram(x));
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { Mat } from './mat';

export interface Standardizer {
  perBand: boolean;
  /** Length = bands (perBand) or 1 (global). */
  mean: Float32Array;
  std: Float32Array;
}

export function fitStandardizer(specs: Mat | Mat[], options: { perBand?: boolean } = {}): Standardizer {
  checkOptions('fitStandardizer', options, ['perBand']);
  const list = Array.isArray(specs) ? specs : [specs];
  if (list.length === 0) throw new Error('fitStandardizer: no spectrograms given.');
  const perBand = options.perBand ?? true;
  const B = list[0].shape[1];
  const m = perBand ? B : 1;
  const sum = new Float64Array(m), sq = new Float64Array(m), cnt = new Float64Array(m);
  for (const [i, s] of list.entries()) {
    if (s.shape[1] !== B) throw new Error(`fitStandardizer: spectrogram ${i} has ${s.shape[1]} bands, the first has ${B}.`);
    for (let j = 0; j < s.data.length; j++) {
      const v = s.data[j];
      if (!Number.isFinite(v)) throw new Error(`fitStandardizer: spectrogram ${i} holds ${v} at ${j}.`);
      const b = perBand ? j % B : 0;
      sum[b] += v; sq[b] += v * v; cnt[b]++;
    }
  }
  if (cnt[0] === 0) throw new Error('fitStandardizer: the spectrograms have no frames.');
  const mean = new Float32Array(m), std = new Float32Array(m);
  for (let b = 0; b < m; b++) {
    const mu = sum[b] / cnt[b];
    mean[b] = mu;
    std[b] = Math.sqrt(Math.max(0, sq[b] / cnt[b] - mu * mu));
  }
  return { perBand, mean, std };
}

export function applyStandardizer(st: Standardizer, spec: Mat): Mat;
export function applyStandardizer<T extends tf.Tensor>(st: Standardizer, spec: T): T;
export function applyStandardizer(st: Standardizer, spec: Mat | tf.Tensor): Mat | tf.Tensor {
  const B = st.mean.length;
  if (spec instanceof tf.Tensor) {
    const last = spec.shape[spec.rank - 1];
    if (st.perBand && last !== B) throw new Error(`applyStandardizer: tensor has ${last} bands on its last axis, the standardizer ${B}.`);
    return tf.tidy(() => {
      const mu = tf.tensor1d(st.mean), sd = tf.maximum(tf.tensor1d(st.std), 1e-8);
      return tf.div(tf.sub(spec, mu), sd);
    });
  }
  const [T, C] = spec.shape;
  if (st.perBand && C !== B) throw new Error(`applyStandardizer: spectrogram has ${C} bands, the standardizer ${B}.`);
  const out = new Float32Array(T * C);
  for (let j = 0; j < out.length; j++) {
    const b = st.perBand ? j % C : 0;
    out[j] = (spec.data[j] - st.mean[b]) / Math.max(st.std[b], 1e-8);
  }
  return { data: out, shape: [T, C] };
}
