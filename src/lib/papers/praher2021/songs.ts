/**
 * P2's data as songs with frame labels aligned to the mel front-end (Praher et al. 2021, arXiv
 * 2107.09045): each song carries its audio, its log-mel spectrogram (22.05 kHz, STFT 1024, hop 315,
 * 80 mel bands 27.5 Hz-8 kHz, ln(max(1e-7, .)), no centring) and one sung / not-sung label per mel
 * frame. Frame i covers samples [315 i, 315 i + 1024); its label is taken at its centre,
 *   t_i = (315 i + 512) / 22050 s.
 *
 * @example
 *   const songs = songsFromJamendo(data.loadJamendoLyrics(), { mergeGap: 0.5 });
 *   songs[0].logMel.shape; // [frames, 80]
 */
import { melSpectrogram, type Mat, type SynthSingingData } from '../../audio';
import { type JamendoSong, sungFrames } from '../../data';
import { checkOptions } from '../../engine';

export const SAMPLE_RATE = 22050;
export const HOP = 315;
export const N_FFT = 1024;
export const N_MELS = 80;
/** Frames per excerpt (~1.64 s). */
export const EXCERPT_FRAMES = 115;
/** Samples of audio behind one 115-frame excerpt: 114 hops + one frame. */
export const EXCERPT_SAMPLES = (EXCERPT_FRAMES - 1) * HOP + N_FFT;

export interface SvdSong {
  name: string;
  signal: Float32Array;
  sampleRate: number;
  /** ln(max(1e-7, mel)) [frames, 80]. */
  logMel: Mat;
  /** 1 = singing at the frame's centre. */
  labels: Uint8Array;
}

function checkRate(where: string, name: string, sr: number | undefined): void {
  if (sr !== SAMPLE_RATE) throw new Error(`${where}: song "${name}" is at ${sr} Hz; P2's front-end needs ${SAMPLE_RATE} Hz (resample it, e.g. audio.resample).`);
}

/** Crop a signal to its first `seconds` (or keep it whole). */
function crop(signal: Float32Array, sr: number, seconds?: number): Float32Array {
  return seconds === undefined ? signal : signal.subarray(0, Math.min(signal.length, Math.round(seconds * sr)));
}

/** Song-level frame labels from sung spans [start, end] in seconds, at the mel frames' centres. */
export function labelsForSpans(spans: { start: number; end: number }[], nFrames: number, mergeGap = 0): Uint8Array {
  return sungFrames(spans, { frameRate: SAMPLE_RATE / HOP, nFrames, offset: N_FFT / 2 / SAMPLE_RATE, mergeGap });
}

/** A song from audio and sung spans: computes the log-mel and the aligned labels. */
export function makeSong(name: string, signal: Float32Array, sampleRate: number, spans: { start: number; end: number }[], mergeGap = 0): SvdSong {
  checkRate('makeSong', name, sampleRate);
  if (signal.length < N_FFT) throw new Error(`makeSong: song "${name}" has ${signal.length} samples, fewer than one frame (${N_FFT}).`);
  const logMel = melSpectrogram(signal);
  return { name, signal, sampleRate, logMel, labels: labelsForSpans(spans, logMel.shape[0], mergeGap) };
}

/**
 * JamendoLyrics songs (data.loadJamendoLyrics) as singing-voice-detection songs: the word spans,
 * with gaps shorter than `mergeGap` seconds merged (default 0.5 s: the pauses inside a sung line
 * count as singing), are the sung frames.
 */
export function songsFromJamendo(songs: JamendoSong[], options: { mergeGap?: number; seconds?: number } = {}): SvdSong[] {
  checkOptions('songsFromJamendo', options, ['mergeGap', 'seconds']);
  const { mergeGap = 0.5, seconds } = options;
  return songs.map((s) => {
    if (!s.signal) throw new Error(`songsFromJamendo: song "${s.name}" was loaded without audio; load it with { audio: true }.`);
    checkRate('songsFromJamendo', s.name, s.sampleRate);
    return makeSong(s.name, crop(s.signal, s.sampleRate!, seconds), s.sampleRate!, s.words, mergeGap);
  });
}

/** Synthetic singing mixes (audio.synthSingingMix) as songs: the planted sung phrases are the labels. */
export function songsFromSynth(data: SynthSingingData, prefix = 'synth'): SvdSong[] {
  return data.audio.map((a, i) =>
    makeSong(`${prefix}${i}`, a, data.sampleRate, data.segments[i].map(([start, end]) => ({ start, end }))),
  );
}
