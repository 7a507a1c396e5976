/** Audio front-end: WAV I/O, resampling, STFT, spectrograms (reference JS and differentiable tfjs), synthetic audio. */
export { readWav, writeWav, toMono } from './wav';
export type { WavAudio, WriteWavOptions } from './wav';
