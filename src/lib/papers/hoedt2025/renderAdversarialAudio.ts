/**
 * Listen to a P1 adversarial example (arXiv 2508.03780): undo the global standardisation, invert
 * the log-filtered spectrogram (filterbank pseudo-inverse) and reuse the STFT phase of the clip's
 * own audio segment (invertSpectrogram with phaseFrom), for the clean and the adversarial slice alike,
 * so the two renderings differ only by the perturbation.
 *
 *   S = z sd + mu;   y = istft(|X|(S) e^{i angle STFT(segment)})
 *   SNR = 20 log10(||y_clean|| / ||y_adv - y_clean||)   (audio domain)
 *
 * @example
 *   const r = renderAdversarialAudio(data, data.test.index[0], xClean0, xAdv0);
 *   rl.report.audioPlayer(r.adversarial, r.sampleRate, { label: 'adversarial' });
 */
import { invertSpectrogram, snrDb } from '../../audio';
import type { Mat } from '../../audio';
import type { P1Data } from './loadP1Data';
import { P1_HOP } from './sliceSpectrograms';

export interface RenderedAdversarial {
  /** The clip's audio under the slice. */
  original: Float32Array;
  /** Clean slice, rendered back through the spectrogram inversion. */
  clean: Float32Array;
  adversarial: Float32Array;
  /** Audio-domain SNR of the adversarial rendering against the clean rendering, dB. */
  snrDb: number;
  sampleRate: number;
}

/** A normalised slice (Float32Array of frames * bands) back to the log-filtered spectrogram. */
export function unstandardize(data: P1Data, z: Float32Array, frames: number): Mat {
  const { mean, std } = data.standardizer;
  const out = new Float32Array(z.length);
  const B = z.length / frames;
  for (let j = 0; j < z.length; j++) {
    const b = data.standardizer.perBand ? j % B : 0;
    out[j] = z[j] * Math.max(std[b], 1e-8) + mean[b];
  }
  return { data: out, shape: [frames, B] };
}

export function renderAdversarialAudio(data: P1Data, clip: number, zClean: Float32Array, zAdv: Float32Array): RenderedAdversarial {
  if (!(clip >= 0 && clip < data.audio.length)) throw new Error(`renderAdversarialAudio: clip ${clip} is not in 0..${data.audio.length - 1}.`);
  if (zClean.length !== zAdv.length) throw new Error(`renderAdversarialAudio: clean slice has ${zClean.length} values, adversarial ${zAdv.length}.`);
  const B = data.specs[clip].shape[1];
  const frames = zClean.length / B;
  if (!Number.isInteger(frames)) throw new Error(`renderAdversarialAudio: ${zClean.length} values are not whole frames of ${B} bands.`);
  const s0 = data.starts[clip] * P1_HOP;
  const original = data.audio[clip].slice(s0, s0 + (frames - 1) * P1_HOP);
  const o = { kind: 'logfilt' as const, phaseFrom: original };
  const clean = invertSpectrogram(unstandardize(data, zClean, frames), o);
  const adversarial = invertSpectrogram(unstandardize(data, zAdv, frames), o);
  return { original, clean, adversarial, snrDb: snrDb(clean, adversarial), sampleRate: data.sampleRate };
}
