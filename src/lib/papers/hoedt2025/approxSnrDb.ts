/**
 * The authors' approximate SNR of a P1 perturbation (Hoedt, Flexer, Widmer 2025, arXiv 2508.03780;
 * the paper reports ~35-36 dB for the standard models): map the input and the perturbation back to
 * a linear-frequency magnitude, convert each to dB, and average the difference over all cells.
 *
 *   A(v)  = sqrt(max(0, v W^+))                      per frame: log-filter bands -> 1025 STFT bins
 *   dB(v) = max(20 log10(max(1e-5, A(v))), max_cells(...) - 80)
 *   SNR   = mean over cells of dB(x) - dB(delta)
 *
 * Where the authors define it: adversary/attacker.py, mel_spec_snr: librosa's mel_to_stft (a
 * non-negative least-squares inversion of a mel filterbank at 22.05 kHz, n_fft 2048, then the power
 * 1/2) of the normalised input and of the kept delta, amplitude_to_db (amin 1e-5, top_db 80 relative
 * to each array's own maximum), mean of the difference. How ours differs: our input is a
 * log-filtered spectrogram, so we invert our own log filterbank (its ridge pseudo-inverse W^+,
 * audio.filterbankPinv, clipped at 0 in place of NNLS) along the frequency axis. Their code passes
 * the slice time-major ([313, 149]), so librosa takes the 313 frames as mel bands; ours inverts the
 * 149 frequency bands. Like theirs, it is applied to the standardised input the attack perturbs
 * (not the raw spectrogram). So the number is "approximate" in the authors' sense and on a scale of
 * its own: compare models with it, not with audio-domain SNRs.
 *
 * x and delta: [n, frames, bands] or [n, frames, bands, 1]; returns one SNR per example. As in
 * librosa, a zero perturbation is not +Infinity but sits at the amin floor (-100 dB everywhere).
 *
 * @example
 *   approxSnrDb(x, xAdv.sub(x)); // [36.2, 34.9, ...]
 */
import * as tf from '@tensorflow/tfjs';
import { filterbankPinv, logFilterbank } from '../../audio';
import type { Mat } from '../../audio';

let p1Pinv: Mat | null = null;

/** W^+ of P1's log filterbank (22.05 kHz, n_fft 2048, 24 bands/octave, 20 Hz-16 kHz): [149, 1025]. */
export function p1FilterbankPinv(): Mat {
  if (!p1Pinv) p1Pinv = filterbankPinv(logFilterbank({ sampleRate: 22050, nFft: 2048 }).weights);
  return p1Pinv;
}

/** Per example: the SNR and what it is made of (the mean dB of each side, and the share of its cells at the 80 dB floor). */
export interface ApproxSnrDetail {
  snrDb: number;
  meanDbX: number;
  meanDbDelta: number;
  floorShareX: number;
  floorShareDelta: number;
}

/**
 * approxSnrDb with its parts. Since the SNR is a mean of differences, it is mean dB(x) - mean dB(delta),
 * and each mean is pulled down by the cells that sit at that array's own floor (its max - 80 dB):
 * for a standardised input, cells below the global mean (negative) map to magnitude 0, i.e. the floor.
 * So the number depends on how sparse the input is, not only on how small delta is.
 */
export function approxSnrDbDetail(x: tf.Tensor, delta: tf.Tensor, options: { pinv?: Mat } = {}): ApproxSnrDetail[] {
  const pinv = options.pinv ?? p1FilterbankPinv();
  const [B, K] = pinv.shape;
  if (x.shape.join() !== delta.shape.join()) throw new Error(`approxSnrDb: x is [${x.shape}] but delta is [${delta.shape}].`);
  if (!(x.rank === 3 || (x.rank === 4 && x.shape[3] === 1)) || x.shape[2] !== B) {
    throw new Error(`approxSnrDb: expected x of shape [n, frames, ${B}] or [n, frames, ${B}, 1], got [${x.shape}].`);
  }
  const n = x.shape[0];
  const out = tf.tidy(() => {
    const W = tf.tensor2d(pinv.data, [B, K]);
    const db = (v: tf.Tensor) => {
      const amp = tf.relu(tf.matMul(v.reshape([-1, B]), W)).sqrt().reshape([n, -1]);
      const d = amp.maximum(1e-5).log().mul(20 / Math.LN10); // amplitude_to_db: amin 1e-5, ref 1
      const floor = d.max(1, true).sub(80); // top_db 80, relative to this array's max
      return { d: d.maximum(floor), atFloor: d.lessEqual(floor).cast('float32').mean(1) };
    };
    const a = db(x), b = db(delta);
    return tf.stack([a.d.sub(b.d).mean(1), a.d.mean(1), b.d.mean(1), a.atFloor, b.atFloor], 1);
  });
  try {
    return (out.arraySync() as number[][]).map(([snrDb, meanDbX, meanDbDelta, floorShareX, floorShareDelta]) => ({ snrDb, meanDbX, meanDbDelta, floorShareX, floorShareDelta }));
  } finally {
    out.dispose();
  }
}

export function approxSnrDb(x: tf.Tensor, delta: tf.Tensor, options: { pinv?: Mat } = {}): number[] {
  return approxSnrDbDetail(x, delta, options).map((d) => d.snrDb);
}
