/**
 * P4 (Wang, Fredrikson & Datta, ICML 2022, "Robust Models Are More Interpretable Because
 * Attributions Look Normal", arXiv 2103.11257; code github.com/zifanw/boundary): the notebook's
 * settings at smoke, demo and paper scale, and the paper's claims as the notebook states them.
 *
 * Demo works on 32x32x3 synthetic images with planted objects (exact boxes) for the robustness
 * ladder and the localisation metrics, plus the embedded CIFAR-10 subset for accuracy, robustness
 * and qualitative maps. Paper scale reads the full CIFAR-10 from ROBUSTLENS_P4_DATA.
 *
 * @example
 *   const cfg = wang2022.config('demo'); cfg.ladder.epsilons // [0, 0.25, 0.5, 1]
 */
import { byScale, scale as currentScale } from '../scale';
import type { Scale } from '../scale';

export interface LadderConfig {
  /** Architecture: 'smallCnn' or 'resNetSmall'. */
  arch: 'smallCnn' | 'resNetSmall';
  width: number;
  /** L2 budgets of adversarial training; 0 = standard training. */
  epsilons: number[];
  epochs: number;
  batchSize: number;
  lr: number;
  /** PGD steps of the training attack. */
  pgdSteps: number;
  /** > 0: robust rungs fine-tune the standard model adversarially for this many epochs; 0: from scratch. */
  fineTuneEpochs: number;
  /** Learning rate of the fine-tuning (default lr). */
  fineTuneLr?: number;
}

export interface P4Config {
  scale: Scale;
  synth: { nTrain: number; nTest: number; size: number; channels: number; classes: number; seed: number; contrast: number };
  ladder: LadderConfig;
  /** Test examples per model for boundaries, alignment, maps and localisation. */
  nEval: number;
  /** Boundary search: L2 budgets tried in order, PGD steps per budget. */
  boundary: { epsilons: number[]; steps: number };
  /** Attribution settings. */
  ig: { steps: number };
  smoothGrad: { n: number; noiseLevel: number };
  agi: { eps: number; steps: number };
  /** Examples drawn in the map grids. */
  nShow: number;
  /** Bootstrap resamples for the confidence intervals. */
  nBoot: number;
  /** Robust-accuracy budgets (L2) for the ladder table. */
  attackEpsilons: number[];
  cifar: {
    /** 'subset': data/cifar10 (2,000 train / 1,000 test); 'folder': full CIFAR-10 from ROBUSTLENS_P4_DATA. */
    source: 'subset' | 'folder';
    nTrain: number;
    nTest: number;
    ladder: LadderConfig;
    nEval: number;
  };
  seed: number;
}

/** The paper's boundary-search budgets (their code's default). */
export const PAPER_BOUNDARY_EPSILONS = [36 / 255, 64 / 255, 0.3, 0.5, 0.7, 0.9, 1.1];

const SMOKE: P4Config = {
  scale: 'smoke',
  synth: { nTrain: 64, nTest: 16, size: 32, channels: 1, classes: 4, seed: 4, contrast: 0.6 },
  ladder: { arch: 'smallCnn', width: 0.25, epsilons: [0, 0.5], epochs: 1, batchSize: 32, lr: 3e-3, pgdSteps: 2, fineTuneEpochs: 1 },
  nEval: 8,
  boundary: { epsilons: [0.25, 0.5, 1, 2], steps: 3 },
  ig: { steps: 4 },
  smoothGrad: { n: 2, noiseLevel: 0.15 },
  agi: { eps: 0.05, steps: 2 },
  nShow: 2,
  nBoot: 200,
  attackEpsilons: [0.5],
  cifar: {
    source: 'subset', nTrain: 64, nTest: 16, nEval: 4,
    ladder: { arch: 'smallCnn', width: 0.25, epsilons: [0, 0.5], epochs: 1, batchSize: 32, lr: 3e-3, pgdSteps: 2, fineTuneEpochs: 1 },
  },
  seed: 0,
};

const DEMO: P4Config = {
  scale: 'demo',
  synth: { nTrain: 800, nTest: 200, size: 32, channels: 1, classes: 4, seed: 4, contrast: 0.6 },
  ladder: { arch: 'smallCnn', width: 0.5, epsilons: [0, 0.25, 0.5, 1], epochs: 10, batchSize: 16, lr: 3e-3, pgdSteps: 3, fineTuneEpochs: 3, fineTuneLr: 1e-3 },
  nEval: 48,
  boundary: { epsilons: [0.1, 0.175, 0.25, 0.375, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5], steps: 20 },
  ig: { steps: 16 },
  smoothGrad: { n: 16, noiseLevel: 0.15 },
  agi: { eps: 0.02, steps: 6 },
  nShow: 4,
  nBoot: 2000,
  attackEpsilons: [0.25, 0.5, 1],
  cifar: {
    source: 'subset', nTrain: 2000, nTest: 1000, nEval: 16,
    ladder: { arch: 'smallCnn', width: 0.5, epsilons: [0, 0.5], epochs: 6, batchSize: 32, lr: 2e-3, pgdSteps: 3, fineTuneEpochs: 2 },
  },
  seed: 0,
};

const PAPER: P4Config = {
  scale: 'paper',
  synth: { nTrain: 10000, nTest: 1000, size: 32, channels: 3, classes: 8, seed: 4, contrast: 0.6 },
  ladder: { arch: 'resNetSmall', width: 1, epsilons: [0, 0.25, 0.5, 1, 2], epochs: 30, batchSize: 64, lr: 1e-3, pgdSteps: 7, fineTuneEpochs: 0 },
  nEval: 500,
  boundary: { epsilons: [...PAPER_BOUNDARY_EPSILONS, 1.5, 2, 3], steps: 40 },
  ig: { steps: 50 },
  smoothGrad: { n: 50, noiseLevel: 0.15 },
  agi: { eps: 0.05, steps: 20 },
  nShow: 6,
  nBoot: 2000,
  attackEpsilons: [64 / 255, 0.5, 1.1],
  cifar: {
    source: 'folder', nTrain: 50000, nTest: 10000, nEval: 500,
    ladder: { arch: 'resNetSmall', width: 1, epsilons: [0, 0.25, 0.5, 1], epochs: 30, batchSize: 128, lr: 1e-3, pgdSteps: 7, fineTuneEpochs: 0 },
  },
  seed: 0,
};

/** The settings for a scale (default: the scale in force, ROBUSTLENS_SCALE). */
export function config(s: Scale = currentScale()): P4Config {
  return structuredClone(byScale({ smoke: SMOKE, demo: DEMO, paper: PAPER }, s));
}

/** The paper's claims, in the order the conclusion checks them (qualitative: the exact table values were not verified). */
export const CLAIMS = {
  distance: 'Adversarially trained models have their decision boundaries farther from the inputs (larger minimal L2 distance).',
  alignment: 'The more robust the model, the better its input gradient aligns with the normal of the nearest decision boundary (higher cosine).',
  robustLocalise: 'Gradient attributions (saliency) of robust models localise the object better than those of the standard model.',
  boundaryHelps: 'On the standard model, boundary attributions (BSM, BIG) localise better than their plain counterparts (saliency, IG).',
  baseline: 'IG depends on its baseline; BIG, whose baseline is the nearest boundary point, localises at least as well as IG with a typical fixed baseline.',
} as const;
