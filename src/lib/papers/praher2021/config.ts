/**
 * P2 (Praher, Prinz, Flexer & Widmer, ISMIR 2021, "On the Veracity of Local, Model-agnostic
 * Explanations in Audio Classification", arXiv 2107.09045): the paper's numbers as the notebook
 * states them, and the notebook's settings at smoke, demo and paper scale.
 *
 * Demo: the four JamendoLyrics songs in data/ (3 train, 1 test), a narrow detector, fewer LIME
 * samples and attack iterations; every reduction is a field here so the notebook can print it.
 * Paper: the Jamendo singing-voice corpus from ROBUSTLENS_P2_DATA (see loadSvdCorpus).
 *
 * @example
 *   const cfg = praher2021.config('demo'); cfg.lime.nSamples // 2048
 */
import { byScale, scale as currentScale } from '../scale';
import type { Scale } from '../scale';
import type { AugmentOptions } from './augmentExcerpts';

/** The paper's numbers (Praher et al. 2021). Rates in [0, 1]. */
export const PAPER = {
  detector: { error: 0.115, recall: 0.896, specificity: 0.875, runs: 5 },
  threshold: 0.51,
  /** Table 1: share still flipped keeping LIME's top-3 segments. */
  table1: {
    'no sing->sing': { wave: 0.53, spec: 0.41 },
    'sing->no sing': { wave: 0.21, spec: 0.32 },
  },
  /** Table 2: keeping all positively weighted LIME segments vs as many highest-energy segments. */
  table2: {
    'no sing->sing': { wave: { lime: 0.86, energy: 0.99 }, spec: { lime: 0.91, energy: 0.98 } },
    'sing->no sing': { wave: { lime: 0.49, energy: 0.74 }, spec: { lime: 0.44, energy: 0.55 } },
  },
  /** Fig. 1: a drawn shape moves P(sing) from ~0.02 to ~0.97. */
  fig1: { before: 0.02, after: 0.97 },
  /** Fig. 4: median fidelity of correct vs incorrect explanations (approximate, read from the figure). */
  fig4: { correct: 0.67, incorrect: [0.71, 0.74] as [number, number] },
  lime: { nSamples: 8192, kernelWidth: 0.25, alpha: 1, nTime: 5, nFreq: 4 },
  attack: { c: 2, lr: 3e-4, clip: 0.01, steps: 1000, perFileAndDirection: 10 },
} as const;

export interface P2Config {
  scale: Scale;
  /** 'jamendoLyrics' (data/jamendolyrics, default below paper scale) or 'corpus' (ROBUSTLENS_P2_DATA). */
  source: 'jamendoLyrics' | 'corpus';
  data: {
    /** JamendoLyrics: how many songs train (the rest test), and an optional crop in seconds per song. */
    trainSongs: number;
    seconds?: number;
    /** Word gaps shorter than this (s) count as singing. */
    mergeGap: number;
    /** Synthetic control set: clips and their length (s). */
    synth: { n: number; seconds: number };
  };
  /**
   * The detector's training (trainDetector): optional batch normalisation (the authors' model has it),
   * learning-rate schedule and augmented copies of the training excerpts (augmentExcerpts).
   */
  detector: {
    width: number; perSong: number; epochs: number; batchSize: number; lr: number; dropout: number; testPerSong: number;
    batchNorm?: boolean; lrSchedule?: 'constant' | 'cosine' | 'exponential'; augment?: Omit<AugmentOptions, 'seed'>;
  };
  /**
   * The authors' whole-song attack (songAttack.ts): spans of `spanFrames` mel frames per test song
   * (null: the whole song), `spansPerSong` of them, chosen by the detector's clean decisions (closest
   * to half 'sing', read every `decisionStride` frames; chooseSpans), up to `steps` sign-Adam steps
   * until every frame flipped; then `perSong` excerpts per span and direction drawn at random (seed).
   * c = the authors' alpha. candidatesPerSong: excerpts the masked (planted-truth) extension may attack.
   */
  attack: { spanFrames: number | null; spansPerSong: number; decisionStride: number; perSong: number; candidatesPerSong: number; steps: number; lr: number; clip: number; c: number; batchSize: number };
  /** Fig. 3 the authors' way: keep each adversary's perturbation in its k highest-energy segments, rerun LIME; on the first `perSetting` adversaries of each setting. */
  fig3: { ks: number[]; perSetting: number };
  /** LIME samples per explanation (paper 8192; demo 2048) and rows per forward pass. */
  lime: { nSamples: number; batchSize: number };
  /** Planted truth: masked spectrogram attacks on k random segments. */
  masked: { ks: number[]; perK: number; maxAttacked: number; steps: number; lr: number };
  ig: { steps: number };
  horses: { excerpts: number; level: number };
  threshold: number;
  seed: number;
}

const COMMON = { threshold: PAPER.threshold, seed: 2021, data: { mergeGap: 0.5 } };

export function config(s: Scale = currentScale()): P2Config {
  return byScale<P2Config>(
    {
      smoke: {
        scale: 'smoke', source: 'jamendoLyrics', ...COMMON,
        data: { ...COMMON.data, trainSongs: 3, seconds: 45, synth: { n: 2, seconds: 3 } },
        detector: { width: 0.125, perSong: 16, epochs: 1, batchSize: 16, lr: 2e-3, dropout: 0.2, testPerSong: 40, batchNorm: true },
        attack: { spanFrames: 125, spansPerSong: 1, decisionStride: 10, perSong: 2, candidatesPerSong: 12, steps: 5, lr: 3e-4, clip: 0.01, c: 2, batchSize: 64 },
        fig3: { ks: [1, 3, 5], perSetting: 1 },
        lime: { nSamples: 48, batchSize: 48 },
        masked: { ks: [1, 3, 5], perK: 1, maxAttacked: 2, steps: 5, lr: 1e-3 },
        ig: { steps: 4 },
        horses: { excerpts: 1, level: 3 },
      },
      demo: {
        scale: 'demo', source: 'jamendoLyrics', ...COMMON,
        data: { ...COMMON.data, trainSongs: 3, synth: { n: 8, seconds: 4 } },
        // batch normalisation as the authors' model. Leave-one-song-out pooled error of the tries (same seed): without BN 0.234;
        // BN 0.230 (this one; test song 0.188); augmentation (1 copy: band shift 3, tilt 10 dB, mix 0.5) 0.251; that plus 6 epochs
        // cosine 0.271; BN with the authors' lr x 0.85 per epoch over 8 epochs 0.225 (test song 0.192); width 0.25, dropout 0.5,
        // 4 epochs, x 0.85 per epoch 0.370 (test song 0.328); pretrained on 32 synthetic mixes of 8 s (50 excerpts each, 2 epochs),
        // then trained as this one 0.265 (test song 0.238)
        detector: { width: 0.125, perSong: 400, epochs: 4, batchSize: 16, lr: 2e-3, dropout: 0.2, testPerSong: 600, batchNorm: true },
        // a 200-frame span (2.9 s, 86 decided frames) of the test song instead of the whole song; at most 300 steps (paper 1000):
        // a 1000-step spectrogram attack ends where the 300-step one does (0.907 of the frames flipped; during the run the share is
        // 0.907 at step 50 and 0.930 from step 200 on) after 3.3 times the steps (742 s on a loaded machine);
        // 8 excerpts per direction and attack, so each Table 1 row reaches the claims' minimum (MIN_ADVERSARIES)
        attack: { spanFrames: 200, spansPerSong: 1, decisionStride: 5, perSong: 8, candidatesPerSong: 80, steps: 300, lr: 3e-4, clip: 0.01, c: 2, batchSize: 64 },
        // Fig. 3 on every drawn adversary (8 per setting, as attack.perSong), the authors' "all"
        fig3: { ks: [1, 3, 5], perSetting: 8 },
        // LIME: 2048 samples at demo (the paper 8192; the floor for demo is 2048)
        lime: { nSamples: 2048, batchSize: 256 },
        masked: { ks: [1, 3, 5], perK: 1, maxAttacked: 8, steps: 100, lr: 3e-3 },
        ig: { steps: 32 },
        horses: { excerpts: 3, level: 3 },
      },
      paper: {
        scale: 'paper', source: 'corpus', ...COMMON,
        data: { ...COMMON.data, trainSongs: 0, synth: { n: 32, seconds: 4 } },
        detector: { width: 1, perSong: 5000, epochs: 20, batchSize: 32, lr: 1e-3, dropout: 0.5, testPerSong: 100000, batchNorm: true },
        attack: { spanFrames: null, spansPerSong: 1, decisionStride: 5, perSong: 10, candidatesPerSong: 200, steps: 1000, lr: 3e-4, clip: 0.01, c: 2, batchSize: 64 },
        fig3: { ks: [1, 3, 5], perSetting: 10 },
        lime: { nSamples: 8192, batchSize: 256 },
        masked: { ks: [1, 3, 5], perK: 50, maxAttacked: 500, steps: 1000, lr: 3e-4 },
        ig: { steps: 64 },
        horses: { excerpts: 10, level: 3 },
      },
    },
    s,
  );
}
