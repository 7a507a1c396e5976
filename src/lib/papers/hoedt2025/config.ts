/**
 * P1 (Hoedt, Flexer, Widmer 2025, arXiv 2508.03780): the paper's reported numbers and the run
 * configuration at each scale. Every reduction of the demo/smoke scale against the paper is a field
 * here, so the notebook can print it.
 *
 * @example
 *   const cfg = config('demo');  cfg.seeds; cfg.attack.steps;   PAPER.table1.A2E.corr; // 0.73
 */
import type { Scale } from '../scale';

/** The five model families: three architectures, two adversarially trained. */
export const MODEL_KINDS = ['A2E', 'A2B2E', 'A2M2E', 'aA2E', 'aA2B2E'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Numbers reported in the paper (test set, mean +- std over 10 seeds; Fig. 3 medians over seeds). */
export const PAPER = {
  table1: {
    A2E: { corr: 0.73, corrStd: 0.02, mae: 0.10 },
    A2B2E: { corr: 0.70, corrStd: 0.02, mae: 0.11 },
    A2M2E: { corr: 0.67, corrStd: 0.02, mae: 0.11 },
    aA2E: { corr: 0.67, corrStd: 0.03, mae: 0.10 },
    aA2B2E: { corr: 0.66, corrStd: 0.03, mae: 0.10 },
  } as Record<ModelKind, { corr: number; corrStd: number; mae: number }>,
  /** Fig. 3: median over seeds of the increase of MAE under attack (A2B2E has an outlier seed at 4.14). */
  maeIncrease: { A2E: 1.62, A2B2E: 1.52, A2M2E: 0.98, aA2E: 0.97, aA2B2E: 1.0 } as Record<ModelKind, number>,
  /** Correlation after attack (corrAvg of the last iterate's prediction, mean over seeds). */
  corrAfter: { A2E: -0.32, A2B2E: -0.36, A2M2E: -0.49, aA2E: -0.37, aA2B2E: -0.42 } as Record<ModelKind, number>,
  /** Approximate SNR of the perturbations in dB (approxSnrDb, mean over seeds), printed as ranges: standard models ~35-36, adversarially trained ~32-33. */
  snrDb: { A2E: [35, 36], A2B2E: [35, 36], A2M2E: [35, 36], aA2E: [32, 33], aA2B2E: [32, 33] } as Record<ModelKind, readonly [number, number]>,
  /** Paired t-tests over per-excerpt MAE after attack, n = 360 (seed, excerpt) pairs: t = 13.0 and 12.1, both p << 0.001. */
  tTests: [
    { a: 'A2E', b: 'A2M2E', t: 13.0, p: '<< 0.001', n: 360 },
    { a: 'A2B2E', b: 'A2M2E', t: 12.1, p: '<< 0.001', n: 360 },
  ] as readonly { a: ModelKind; b: ModelKind; t: number; p: string; n: number }[],
  seeds: [6, 21, 42, 796, 950, 2025, 2324, 2451, 3100, 7192],
} as const;

export interface P1Config {
  scale: Scale;
  /** Synthetic clips (demo/smoke) or null (paper: the 360 Soundtracks excerpts). */
  clips: number | null;
  /** Version of the synthetic generator (synthMidLevelMusic's `version`; unused at paper scale). */
  generator: 1 | 2;
  /** Frames per input slice (paper: 313 = 10 s at 31.3 fps). */
  frames: number;
  /** Channel multiplier of merCnn (paper: 1, ~3.9 M parameters). */
  width: number;
  /** Dropout after each pooling stage (paper: 0.3). */
  dropout: number;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Early stopping on validation average correlation. */
  patience: number;
  seeds: number[];
  /** Split fractions and the seed of the split (fixed, as the paper). */
  fractions: [number, number, number];
  splitSeed: number;
  /** The evaluation attack (paper: 1000 steps, lr 0.002). */
  attack: { steps: number; lr: number; examples: number | null };
  /** Linf bound of the bounded variant (the clip the authors intended: 0.001). */
  boundedEps: number;
  /** Run the bounded variant on the first this-many seeds (paper scale: all). */
  boundedSeeds: number;
  /** The attack inside adversarial training (paper: same attack, 50 steps) and the schedule. */
  advAttack: { steps: number; lr: number };
  scheduleEvery: number;
}

/** The configuration for a scale; the demo values were chosen from measured step times (see the notebook). */
export function config(scale: Scale): P1Config {
  const common = { fractions: [0.8, 0.1, 0.1] as [number, number, number], splitSeed: 42, boundedEps: 0.001, scheduleEvery: 5, generator: 2 as const };
  if (scale === 'paper') {
    return {
      ...common, scale, clips: null, frames: 313, width: 1, dropout: 0.3, epochs: 199, batchSize: 8, lr: 5e-4, patience: 50,
      boundedSeeds: 10, seeds: [...PAPER.seeds], attack: { steps: 1000, lr: 0.002, examples: null }, advAttack: { steps: 50, lr: 0.002 },
    };
  }
  if (scale === 'demo') {
    return {
      ...common, scale, clips: 300, frames: 96, width: 1 / 8, dropout: 0.1, epochs: 40, batchSize: 16, lr: 5e-3, patience: 12,
      boundedSeeds: 1, seeds: [6, 21, 42], attack: { steps: 200, lr: 0.01, examples: 8 }, advAttack: { steps: 5, lr: 0.05 },
    };
  }
  return {
    ...common, scale, clips: 30, frames: 16, width: 1 / 16, dropout: 0.1, epochs: 5, batchSize: 8, lr: 1e-2, patience: 5,
    boundedSeeds: 1, seeds: [6], attack: { steps: 3, lr: 0.05, examples: 3 }, advAttack: { steps: 1, lr: 0.05 },
  };
}
