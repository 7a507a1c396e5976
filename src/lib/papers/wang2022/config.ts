/**
 * P4 (Wang, Fredrikson & Datta, ICML 2022, "Robust Models Are More Interpretable Because
 * Attributions Look Normal", arXiv 2103.11257; code github.com/zifanw/boundary): the notebook's
 * settings at smoke, demo and paper scale, and the paper's claims and defaults (PAPER).
 *
 * Demo works on 32x32 grey synthetic images with one planted object (exact boxes; the object's
 * contrast sign is random, so no fixed IG baseline is favoured) for the robustness ladder and the
 * localisation metrics, plus the embedded CIFAR-10 subset for accuracy, robustness and
 * qualitative maps. Paper scale reads the full CIFAR-10 from ROBUSTLENS_P4_DATA.
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
  /** Step schedule: at these fractions of the epochs the learning rate drops tenfold (e.g. [0.5, 0.75]). */
  lrSteps: number[];
  /** PGD steps of the training attack. */
  pgdSteps: number;
  /** > 0: robust rungs fine-tune adversarially for this many epochs; 0: every rung from scratch. */
  fineTuneEpochs: number;
  /** Learning rate of the fine-tuning (default lr). */
  fineTuneLr?: number;
  /** Fine-tune each robust rung from the rung below (a curriculum over eps) instead of from the standard model. */
  chain?: boolean;
  /**
   * > 0: the training budget ramps linearly over this many epochs from the init rung's eps (0 from
   * scratch) to the rung's eps, then stays there (an eps warm-up; Gowal et al. 2018, arXiv 1810.12715).
   */
  warmupEpochs?: number;
  /**
   * Per-rung overrides, keyed by the rung's eps as a string (e.g. '1'): a rung that needs a longer
   * or gentler schedule to become robust gets it without retraining the others.
   */
  perRung?: Record<string, Partial<Pick<LadderConfig, 'fineTuneEpochs' | 'fineTuneLr' | 'lrSteps' | 'pgdSteps' | 'warmupEpochs'>>>;
}

/** The checks a rung must pass before its numbers enter a verdict (gradient masking, collapse). */
export interface MaskingConfig {
  /** Clean test accuracy at least this. */
  minCleanAcc: number;
  /** ||grad_x (z_c - max_{j != c} z_j)||_2 below this counts as a zero input gradient. */
  zeroGradTol: number;
  /** At most this share of evaluation points with a zero input gradient. */
  maxZeroGradShare: number;
  /** PGD steps of the transfer attack crafted on the standard model. */
  transferSteps: number;
  /** Gradient-free line search: other-class images tried per point, bisection halvings. */
  lineSearch: { candidates: number; steps: number };
}

export interface BoundaryConfig {
  /** L2 budgets tried in order (PGD). */
  epsilons: number[];
  /** PGD steps per budget. */
  steps: number;
  /** C&W-L2 settings (P4's default pipeline runs it after PGD). */
  cw: { steps: number; binarySearchSteps: number; lr: number; initialConst: number };
  /** Bisection halvings onto the boundary (our addition; 0 = the point as found). */
  refine: number;
  batchSize: number;
}

export interface P4Config {
  scale: Scale;
  synth: { nTrain: number; nTest: number; size: number; channels: number; classes: number; seed: number; contrast: number; polarity: 'bright' | 'random' };
  ladder: LadderConfig;
  masking: MaskingConfig;
  /** Test examples per model for boundaries, alignment, maps and localisation. */
  nEval: number;
  boundary: BoundaryConfig;
  /** Attribution settings. */
  ig: { steps: number };
  /**
   * SmoothGrad and BSG: samples, and the noise sd, either relative to each image's range
   * (noiseLevel, Smilkov et al.) or absolute in pixel units (sigma, overrides noiseLevel).
   */
  smoothGrad: { n: number; noiseLevel: number; sigma?: number };
  agi: { eps: number; steps: number };
  /** Examples drawn in the map grids. */
  nShow: number;
  /** Bootstrap resamples for the confidence intervals. */
  nBoot: number;
  /** Fewest images a paired comparison needs for a verdict. */
  minN: number;
  /** Robust-accuracy budgets (L2) for the ladder and masking tables. */
  attackEpsilons: number[];
  cifar: {
    /** 'subset': data/cifar10 (2,000 train / 1,000 test); 'folder': full CIFAR-10 from ROBUSTLENS_P4_DATA. */
    source: 'subset' | 'folder';
    nTrain: number;
    nTest: number;
    ladder: LadderConfig;
    nEval: number;
    /** Clean-accuracy floor of the masking checks on CIFAR-10 (demo: small models on a 2,000-image subset, so 2.5x chance, not the synthetic floor). */
    minCleanAcc: number;
  };
  seed: number;
}

/** The paper's claims and the defaults of the authors' code (qualitative: the exact table values were not verified). */
export const PAPER = {
  claims: {
    distance: 'Adversarially trained models have their decision boundaries farther from the inputs (larger minimal L2 distance).',
    alignment: 'The more robust the model, the better its input gradient aligns with the normal of the nearest decision boundary (higher cosine).',
    agreement: 'If robust gradients align with boundary normals, a robust model\'s saliency map agrees better with its boundary counterpart BSM (higher cos(SM, BSM); our second form of the alignment claim).',
    robustLocalise: 'Gradient attributions (saliency) of robust models localise the object better than those of the standard model.',
    boundaryHelps: 'On the standard model, boundary attributions (BSM, BIG) localise better than their plain counterparts (saliency, IG).',
    bigVsIg: 'BIG, whose baseline is the nearest boundary point, localises better than IG with the usual fixed baselines.',
  },
  /** boundary/default.py: PGD_SEARCH_RANGE, CW_SEARCH_RANGE, PIPELINE 'PGDs+CW'. */
  boundarySearch: { pgdEpsilons: [36 / 255, 64 / 255, 0.3, 0.5, 0.7, 0.9, 1.1], pgdSteps: 40, cwSteps: 100, cwStepSize: 0.01, cwBinarySearchSteps: 9, cwMaxL2: 1.0 },
  /** boundary/default.py PARAMETERS: IG / BIG and SmoothGrad samples, SmoothGrad noise sd. */
  attributions: { igSteps: 10, smoothGradSamples: 10, smoothGradStdev: 0.15 },
  /**
   * Their SmoothGrad / BSG noise in our [0, 1] pixel units: Captum NoiseTunnel stdevs = 0.15 is an
   * absolute sd on inputs normalised with the ImageNet channel sds (0.229, 0.224, 0.225; default.py
   * data_min/data_max), i.e. 0.15 * 0.226 = 0.034 per pixel, not 15% of the range.
   */
  smoothGradSigmaPixels: 0.15 * 0.226,
} as const;

/** The paper's boundary-search budgets (their code's default). */
export const PAPER_BOUNDARY_EPSILONS = [...PAPER.boundarySearch.pgdEpsilons];

const SMOKE: P4Config = {
  scale: 'smoke',
  synth: { nTrain: 64, nTest: 16, size: 32, channels: 1, classes: 4, seed: 4, contrast: 0.4, polarity: 'random' },
  ladder: { arch: 'smallCnn', width: 0.25, epsilons: [0, 0.5], epochs: 1, batchSize: 32, lr: 3e-3, lrSteps: [], pgdSteps: 2, fineTuneEpochs: 1 },
  masking: { minCleanAcc: 0.5, zeroGradTol: 1e-6, maxZeroGradShare: 0.01, transferSteps: 2, lineSearch: { candidates: 2, steps: 4 } },
  nEval: 8,
  boundary: { epsilons: [0.25, 0.5, 1, 2], steps: 3, cw: { steps: 5, binarySearchSteps: 2, lr: 0.05, initialConst: 1 }, refine: 4, batchSize: 64 },
  ig: { steps: 4 },
  smoothGrad: { n: 2, noiseLevel: 0.15, sigma: 0.15 * 0.226 },
  agi: { eps: 0.05, steps: 2 },
  nShow: 2,
  nBoot: 200,
  minN: 5,
  attackEpsilons: [0.5],
  cifar: {
    source: 'subset', nTrain: 64, nTest: 16, nEval: 4, minCleanAcc: 0.1,
    ladder: { arch: 'smallCnn', width: 0.25, epsilons: [0, 0.5], epochs: 1, batchSize: 32, lr: 3e-3, lrSteps: [], pgdSteps: 2, fineTuneEpochs: 1 },
  },
  seed: 0,
};

const DEMO: P4Config = {
  scale: 'demo',
  synth: { nTrain: 1600, nTest: 400, size: 32, channels: 1, classes: 4, seed: 4, contrast: 0.6, polarity: 'random' },
  ladder: {
    arch: 'smallCnn', width: 0.5, epsilons: [0, 0.25, 0.5, 1], epochs: 20, batchSize: 32, lr: 3e-3, lrSteps: [0.7, 0.9], pgdSteps: 7, fineTuneEpochs: 10, fineTuneLr: 1e-3, chain: true,
    // eps 1 from eps 0.5 in 10 epochs ended at loss 1.419 > ln 4 with 7.5% zero gradients (masked); 20 epochs with a
    // warm-up passed at the limit (loss 1.354, 1% zero gradients); 30 epochs, a 5-epoch eps warm-up from 0.5 and one
    // late lr drop leave a margin
    perRung: { '1': { fineTuneEpochs: 30, warmupEpochs: 5, lrSteps: [0.85] } },
  },
  masking: { minCleanAcc: 0.7, zeroGradTol: 1e-6, maxZeroGradShare: 0.01, transferSteps: 20, lineSearch: { candidates: 8, steps: 10 } },
  nEval: 200,
  boundary: { epsilons: [0.1, 0.175, 0.25, 0.375, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3], steps: 20, cw: { steps: 40, binarySearchSteps: 4, lr: 0.05, initialConst: 1 }, refine: 12, batchSize: 100 },
  ig: { steps: 16 },
  smoothGrad: { n: 16, noiseLevel: 0.15, sigma: 0.15 * 0.226 },
  agi: { eps: 0.02, steps: 6 },
  nShow: 4,
  nBoot: 2000,
  minN: 30,
  attackEpsilons: [0.25, 0.5, 1],
  cifar: {
    source: 'subset', nTrain: 2000, nTest: 1000, nEval: 48, minCleanAcc: 0.25,
    ladder: { arch: 'smallCnn', width: 0.5, epsilons: [0, 0.5], epochs: 6, batchSize: 32, lr: 2e-3, lrSteps: [], pgdSteps: 3, fineTuneEpochs: 2 },
  },
  seed: 0,
};

const PAPER_SCALE: P4Config = {
  scale: 'paper',
  synth: { nTrain: 10000, nTest: 1000, size: 32, channels: 3, classes: 8, seed: 4, contrast: 0.4, polarity: 'random' },
  ladder: { arch: 'resNetSmall', width: 1, epsilons: [0, 0.25, 0.5, 1, 2], epochs: 30, batchSize: 64, lr: 1e-3, lrSteps: [0.5, 0.75], pgdSteps: 10, fineTuneEpochs: 0 },
  masking: { minCleanAcc: 0.7, zeroGradTol: 1e-6, maxZeroGradShare: 0.01, transferSteps: 40, lineSearch: { candidates: 16, steps: 14 } },
  nEval: 500,
  boundary: {
    epsilons: [...PAPER_BOUNDARY_EPSILONS, 1.5, 2, 3, 4], steps: 40,
    cw: { steps: 100, binarySearchSteps: 9, lr: 0.01, initialConst: 1e-3 }, refine: 14, batchSize: 64,
  },
  ig: { steps: 50 },
  smoothGrad: { n: 50, noiseLevel: 0.15, sigma: 0.15 * 0.226 },
  agi: { eps: 0.05, steps: 20 },
  nShow: 6,
  nBoot: 2000,
  minN: 30,
  attackEpsilons: [64 / 255, 0.5, 1.1],
  cifar: {
    source: 'folder', nTrain: 50000, nTest: 10000, nEval: 500, minCleanAcc: 0.7,
    ladder: { arch: 'resNetSmall', width: 1, epsilons: [0, 0.25, 0.5, 1], epochs: 30, batchSize: 128, lr: 1e-3, lrSteps: [0.5, 0.75], pgdSteps: 10, fineTuneEpochs: 0 },
  },
  seed: 0,
};

/** The settings for a scale (default: the scale in force, ROBUSTLENS_SCALE). */
export function config(s: Scale = currentScale()): P4Config {
  return structuredClone(byScale({ smoke: SMOKE, demo: DEMO, paper: PAPER_SCALE }, s));
}
