/**
 * P1's data at each scale, as tensors ready for merCnn: x [n, frames, 149, 1] (globally
 * standardised log-filtered spectrogram slices, mean/std fitted on the training split as the paper),
 * y [n, 15] = [8 emotions | 7 mid-level], all in [0, 1] (the paper divides the 1-9 / 1-10 ratings by 10).
 *
 * smoke/demo: synthMidLevelMusic clips, so the seven mid-level qualities are ground truth.
 * paper: Soundtracks set 1 ratings (loadSoundtracks), mid-level annotations of the same excerpts
 * (loadMidlevel) and the excerpts' audio, all from one folder (`dir`, e.g. ROBUSTLENS_P1_DATA);
 * when the folder or a file is missing, the error says exactly what is expected (P1_EXPECTED_FILES).
 * Split 80/10/10 with a fixed seed (360 -> 288 / 36 / 36).
 *
 * @example
 *   const data = loadP1Data(config('demo'));  data.train.x.shape; // [240, 96, 149, 1]
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkOptions } from '../../engine';
import { applyStandardizer, fitStandardizer, readWav, synthMidLevelMusic, toMono, MID_LEVEL_NAMES, EMOTION_NAMES } from '../../audio';
import type { Mat, Standardizer } from '../../audio';
import { loadMidlevel, loadSoundtracks, splitIndices } from '../../data';
import type { P1Config } from './config';
import { secondsForFrames, sliceSpectrograms, P1_SAMPLE_RATE } from './sliceSpectrograms';

export interface P1Split {
  x: tf.Tensor4D;
  /** [n, 15]: emotions then mid-level. */
  y: tf.Tensor2D;
  /** Clip ids (synthetic: index as string; paper: Soundtracks excerpt numbers). */
  ids: string[];
  /** Indices into P1Data.audio / specs. */
  index: number[];
}

export interface P1Data {
  source: 'synthetic' | 'soundtracks';
  train: P1Split;
  valid: P1Split;
  test: P1Split;
  /** All clips at 22.05 kHz, the raw (unstandardised) slices and where each slice starts (frame). */
  audio: Float32Array[];
  specs: Mat[];
  starts: number[];
  standardizer: Standardizer;
  emotionNames: string[];
  midLevelNames: string[];
  sampleRate: number;
  /** Synthetic data: the sd of the Gaussian noise the generator adds to the emotions (null for the Soundtracks data). */
  synthetic: { noiseSd: number } | null;
  /** The folder given to loadP1Data (paper scale), so the same data can be loaded again (trainMer's workers). */
  dir?: string;
  dispose(): void;
}

/** What the paper-scale folder must hold (the notebook stops with this when something is missing). */
export const P1_EXPECTED_FILES = [
  'soundtracks/mean_ratings_set1.csv  Soundtracks set 1 mean ratings (columns number, valence, energy, tension, anger, fear, happy, sad, tender); ' +
    'optional: without it the ratings shipped in data/soundtracks are used',
  'midlevel/annotations.csv  mid-level annotations of the 360 set-1 excerpts: a song_id column holding the Soundtracks excerpt ' +
    'numbers (001 ... 360 or 1 ... 360) and melodiousness, articulation, rhythm_complexity, rhythm_stability, dissonance, tonal_stability, minorness (1-10 scale)',
  'audio/001.wav ... audio/360.wav  the set-1 excerpts as WAV (any sample rate, mono or stereo; e.g. `ffmpeg -i 001.mp3 -ac 1 -ar 22050 001.wav`), each at least 10 s',
];

function expectedMessage(dir: string | undefined, problem: string): string {
  return `P1 paper scale: ${problem}. Set ROBUSTLENS_P1_DATA to a folder holding:\n  - ${P1_EXPECTED_FILES.join('\n  - ')}\n` +
    `(folder given: ${dir ?? '(none: ROBUSTLENS_P1_DATA is not set)'}). Or run at demo scale: ROBUSTLENS_SCALE=demo.`;
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** Load the paper-scale sources (ratings / 10, mid-level / 10, audio), or throw the expected-files message. */
export function loadSoundtracksSources(dir: string | undefined): { ids: string[]; emotions: number[][]; midLevel: number[][]; audio: Float32Array[]; sampleRates: number[] } {
  if (!dir || !isDir(dir)) throw new Error(expectedMessage(dir, dir ? `folder ${dir} not found` : 'no data folder given'));
  const st = loadSoundtracks(isDir(join(dir, 'soundtracks')) ? join(dir, 'soundtracks') : undefined, { set: 1 });
  if (!existsSync(join(dir, 'midlevel', 'annotations.csv'))) throw new Error(expectedMessage(dir, `${join(dir, 'midlevel', 'annotations.csv')} is missing`));
  const all = loadMidlevel(join(dir, 'midlevel'));
  const norm = (s: string) => String(Number(s));
  const pos = new Map(all.ids.map((id, i) => [norm(id), i]));
  const missingMid = st.ids.filter((id) => !pos.has(norm(id)));
  if (missingMid.length) throw new Error(expectedMessage(dir, `midlevel/annotations.csv lacks ${missingMid.length} excerpt(s), e.g. ${missingMid.slice(0, 5).join(', ')}`));
  const wavs = st.ids.map((id) => join(dir, 'audio', `${id.padStart(3, '0')}.wav`));
  const missingWav = wavs.filter((p) => !existsSync(p));
  if (missingWav.length) throw new Error(expectedMessage(dir, `${missingWav.length} audio file(s) missing, e.g. ${missingWav.slice(0, 3).join(', ')}`));
  const K = st.emotions.length;
  const emotions = st.ids.map((_, i) => Array.from(st.y.subarray(i * K, (i + 1) * K), (v) => v / 10));
  const midLevel = st.ids.map((id) => {
    const r = pos.get(norm(id))!;
    return Array.from(all.y.subarray(r * 7, (r + 1) * 7), (v) => v / 10);
  });
  const audio: Float32Array[] = [], sampleRates: number[] = [];
  for (const p of wavs) {
    const w = readWav(p);
    audio.push(toMono(w.channels));
    sampleRates.push(w.sampleRate);
  }
  return { ids: st.ids, emotions, midLevel, audio, sampleRates };
}

export function loadP1Data(cfg: P1Config, options: { dir?: string } = {}): P1Data {
  checkOptions('loadP1Data', options, ['dir']);
  let ids: string[], emotions: number[][], midLevel: number[][], slices: ReturnType<typeof sliceSpectrograms>;
  let source: P1Data['source'];
  let synthetic: P1Data['synthetic'] = null;
  if (cfg.clips === null) {
    const src = loadSoundtracksSources(options.dir);
    ({ ids, emotions, midLevel } = src);
    slices = { specs: [], starts: [], audio: [] };
    src.audio.forEach((a, i) => { // each file may have its own sample rate
      const s = sliceSpectrograms([a], src.sampleRates[i], { frames: cfg.frames, seed: cfg.splitSeed + i, names: [ids[i]] });
      slices.specs.push(s.specs[0]); slices.starts.push(s.starts[0]); slices.audio.push(s.audio[0]);
    });
    source = 'soundtracks';
  } else {
    const d = synthMidLevelMusic(cfg.clips, { seconds: secondsForFrames(cfg.frames), seed: cfg.splitSeed, version: cfg.generator ?? 1 });
    ids = d.audio.map((_, i) => String(i));
    emotions = d.emotions;
    midLevel = d.midLevel;
    slices = sliceSpectrograms(d.audio, d.sampleRate, { frames: cfg.frames, seed: cfg.splitSeed });
    source = 'synthetic';
    synthetic = { noiseSd: d.emotionWeights.noiseSd };
  }
  const parts = splitIndices(ids.length, { fractions: cfg.fractions, seed: cfg.splitSeed });
  const standardizer = fitStandardizer(parts[0].map((i) => slices.specs[i]), { perBand: false });
  const B = slices.specs[0].shape[1];
  const make = (index: number[]): P1Split => {
    const xs = new Float32Array(index.length * cfg.frames * B);
    index.forEach((i, k) => xs.set(applyStandardizer(standardizer, slices.specs[i]).data, k * cfg.frames * B));
    const ys = index.flatMap((i) => [...emotions[i], ...midLevel[i]]);
    return { x: tf.tensor4d(xs, [index.length, cfg.frames, B, 1]), y: tf.tensor2d(ys, [index.length, 15]), ids: index.map((i) => ids[i]), index };
  };
  const [train, valid, test] = parts.map(make);
  return {
    source, synthetic, train, valid, test,
    audio: slices.audio, specs: slices.specs, starts: slices.starts, standardizer,
    emotionNames: [...EMOTION_NAMES], midLevelNames: [...MID_LEVEL_NAMES], sampleRate: P1_SAMPLE_RATE,
    ...(options.dir === undefined ? {} : { dir: options.dir }),
    dispose() { tf.dispose([train.x, train.y, valid.x, valid.y, test.x, test.y]); },
  };
}
