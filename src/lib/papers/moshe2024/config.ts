/**
 * P3 (Moshe, Fidel, Bitton, Shabtai 2024, "Improving interpretability via regularization of neural
 * activation sensitivity", Machine Learning 113; arXiv 2211.08686): the paper's claims and our
 * configuration per scale. Only the abstract could be read: the claims are the abstract's; every
 * number below (sizes, budgets, lambdas) is our reconstruction, chosen to fit the scale.
 *
 * @example
 *   const cfg = config('demo'); cfg.seeds // [0, 1]; cfg.train.sweepLambdas // [0.1, 0.3, 1]
 */
import { Scale } from '../scale';

/** The paper's claims (abstract), as the notebook states them and checks them. */
export const CLAIMS = {
  robustMoreInterpretable: 'Adversarially robust models are more interpretable than standard models.',
  regularisedMoreInterpretable: 'Models trained with the activation-sensitivity regulariser are more interpretable than adversarially robust models.',
} as const;

/** What the paper is and what could be checked (shown at the top of the notebook). */
export const PAPER = {
  title: 'Improving interpretability via regularization of neural activation sensitivity',
  authors: 'Moshe, Fidel, Bitton, Shabtai',
  venue: 'Machine Learning 113 (2024)',
  arxiv: '2211.08686',
  read: 'abstract only; no public code found',
} as const;

/** The image data sets for accuracy / robustness. */
export type ImageDataset = 'mnist' | 'fashion' | 'cifar10';

export interface P3Config {
  scale: Scale;
  /** Seeds of every trained model (data order, initialisation, attacks). */
  seeds: number[];
  /** Planted-object images: where localisation has a ground truth. */
  synth: { nTrain: number; nTest: number; size: number; channels: 1 | 3; classes: number; seed: number; contrast: number; minScale: number; maxScale: number };
  /** Real image sets for accuracy and robustness (embedded subsets at demo, full sets at paper scale). */
  images: { datasets: ImageDataset[]; nTrain: number; nTest: number; seeds: number[]; epochs: number; lambdas: number[] };
  /** smallCnn width multiplier and hidden units. */
  model: { width: number; hidden: number };
  /** Training budget shared by every family. eps per data set (Linf, pixels in [0, 1]). */
  train: {
    epochs: number;
    batchSize: number;
    lr: number;
    eps: Record<ImageDataset | 'synth', number>;
    pgdSteps: number;
    /** fitAdversarial mode: 'madry' (adversarial batches only) or 'extraStep' (a clean step, then one on the PGD batch). */
    pgdMode: 'madry' | 'extraStep';
    tradesBeta: number;
    tradesSteps: number;
    /** Activation-sensitivity weights trained for every seed (when empty: the one chooseLambda picks from sweepLambdas). */
    lambdas: number[];
    /** The lambda sweep (first seed only): the trade-off curve lambda is chosen from. */
    sweepLambdas: number[];
    /**
     * Precondition of claim 2: the chosen model's activation sensitivity on the regularised layers (the
     * adversarial change in units of the layer's spread, lambdaSweep's `sensitivity`) at least this
     * fraction below standard's.
     */
    minSensitivityDrop: number;
    /**
     * The first target, shown beside it and not gating claim 2: the adversarial / random
     * activation ratio at least this fraction below standard's. It measures how concentrated the
     * layer's sensitivity is on the worst-case direction, not its size (see fitSensitivityRegularised:
     * no variant we tried lowered it; every one that lowered the sensitivity raised it).
     */
    minRatioDrop: number;
    /** chooseLambda's rule: the largest lambda within this clean-accuracy drop of standard training. */
    maxAccuracyDrop: number;
    /** The regulariser's penalty (fitSensitivityRegularised): 'absolute', 'relative' (to the layer's batch spread) or 'excess' (over random). */
    asPenalty: 'absolute' | 'relative' | 'excess';
    /** The perturbation of the regulariser: 'adversarial' (ascent on the task loss from a random start), 'layer' (on the layers' change) or 'random'. */
    asEta: 'adversarial' | 'layer' | 'random';
    /** Epochs of linear lambda warm-up. */
    asWarmupEpochs: number;
    /**
     * Ascent steps of the regulariser's perturbation (1: FGSM with a random start; k > 1: k-step PGD).
     * 10 at demo: only a worst-case perturbation on dense1 lowered the adversarial / random ratio (the
     * variant table in fitSensitivityRegularised's doc).
     */
    asEtaSteps: number;
    /** Regularised layers of smallCnn. */
    layers: string[];
  };
  /** Robust-accuracy sweep: budgets as multiples of the data set's training eps. */
  sweep: { epsScale: number[]; steps: number; n: number };
  /** Activation-sensitivity measurement (per layer: `layers`, every layer of smallCnn, not only the regularised ones). */
  profile: { n: number; steps: number; layers: string[] };
  /** Interpretability measurement on the synthetic test images. */
  explain: { n: number; igSteps: number; sgN: number; sgNoise: number; msN: number; msRadius: number; curveSteps: number };
}

const LAYERS = ['conv1', 'conv2', 'dense1'];
/** The regularised layer (conv layers added to the penalty raised the adversarial / random ratio: see fitSensitivityRegularised). */
const AS_LAYERS = ['dense1'];
/** Larger, higher-contrast objects than synthImages' defaults: a small CNN learns them in a few epochs. */
const OBJECTS = { contrast: 0.6, minScale: 0.45, maxScale: 0.7 };

const CONFIGS: Record<Scale, P3Config> = {
  smoke: {
    scale: 'smoke',
    seeds: [0],
    synth: { nTrain: 96, nTest: 24, size: 28, channels: 1, classes: 4, seed: 3, ...OBJECTS },
    images: { datasets: ['mnist'], nTrain: 96, nTest: 24, seeds: [0], epochs: 1, lambdas: [0.05] },
    model: { width: 0.5, hidden: 32 },
    train: { epochs: 1, batchSize: 32, lr: 2e-3, eps: { synth: 0.1, mnist: 0.1, fashion: 0.1, cifar10: 8 / 255 }, pgdSteps: 2, pgdMode: 'extraStep', tradesBeta: 6, tradesSteps: 2, lambdas: [0.3], sweepLambdas: [0.3], maxAccuracyDrop: 0.03, minSensitivityDrop: 0.3, minRatioDrop: 0.3, asPenalty: 'relative', asEta: 'adversarial', asWarmupEpochs: 0, asEtaSteps: 2, layers: AS_LAYERS },
    sweep: { epsScale: [0.5, 1], steps: 2, n: 16 },
    profile: { n: 16, steps: 2, layers: LAYERS },
    explain: { n: 8, igSteps: 4, sgN: 2, sgNoise: 0.1, msN: 2, msRadius: 0.02, curveSteps: 4 },
  },
  demo: {
    scale: 'demo',
    seeds: [0, 1],
    synth: { nTrain: 1000, nTest: 200, size: 28, channels: 1, classes: 4, seed: 3, ...OBJECTS },
    images: { datasets: ['mnist', 'fashion'], nTrain: 1000, nTest: 1000, seeds: [0], epochs: 2, lambdas: [0.3] },
    model: { width: 1, hidden: 32 },
    train: { epochs: 6, batchSize: 32, lr: 3e-3, eps: { synth: 0.1, mnist: 0.1, fashion: 0.1, cifar10: 8 / 255 }, pgdSteps: 5, pgdMode: 'extraStep', tradesBeta: 1, tradesSteps: 5, lambdas: [], sweepLambdas: [0.1, 0.3, 1], maxAccuracyDrop: 0.03, minSensitivityDrop: 0.3, minRatioDrop: 0.3, asPenalty: 'relative', asEta: 'adversarial', asWarmupEpochs: 1, asEtaSteps: 10, layers: AS_LAYERS },
    sweep: { epsScale: [0.5, 1, 2], steps: 10, n: 100 },
    profile: { n: 100, steps: 10, layers: LAYERS },
    explain: { n: 100, igSteps: 16, sgN: 10, sgNoise: 0.1, msN: 3, msRadius: 0.02, curveSteps: 10 },
  },
  paper: {
    scale: 'paper',
    seeds: [0, 1, 2, 3, 4],
    synth: { nTrain: 10000, nTest: 1000, size: 32, channels: 3, classes: 8, seed: 3, ...OBJECTS },
    images: { datasets: ['mnist', 'fashion', 'cifar10'], nTrain: 50000, nTest: 10000, seeds: [0, 1, 2, 3, 4], epochs: 30, lambdas: [0.01, 0.03, 0.1] },
    model: { width: 2, hidden: 128 },
    train: { epochs: 30, batchSize: 128, lr: 1e-3, eps: { synth: 0.1, mnist: 0.3, fashion: 0.1, cifar10: 8 / 255 }, pgdSteps: 7, pgdMode: 'madry', tradesBeta: 6, tradesSteps: 7, lambdas: [], sweepLambdas: [0.01, 0.03, 0.1, 0.3, 1, 3], maxAccuracyDrop: 0.02, minSensitivityDrop: 0.3, minRatioDrop: 0.3, asPenalty: 'relative', asEta: 'adversarial', asWarmupEpochs: 2, asEtaSteps: 10, layers: AS_LAYERS },
    sweep: { epsScale: [0.25, 0.5, 1, 1.5, 2], steps: 40, n: 1000 },
    profile: { n: 1000, steps: 40, layers: LAYERS },
    explain: { n: 500, igSteps: 64, sgN: 50, sgNoise: 0.1, msN: 10, msRadius: 0.02, curveSteps: 20 },
  },
};

/** The configuration at a scale (a fresh copy: callers may edit it). */
export function config(scale: Scale): P3Config {
  const c = CONFIGS[scale];
  if (!c) throw new Error(`moshe2024.config: unknown scale "${scale}". Valid: ${Object.keys(CONFIGS).join(', ')}.`);
  return JSON.parse(JSON.stringify(c)) as P3Config;
}
