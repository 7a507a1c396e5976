/**
 * The singing voice detector seen from the three domains P2 works in (Praher et al. 2021, arXiv
 * 2107.09045): the network input Z (standardised log-mel, [N, 115, 80, 1]), the linear mel
 * magnitude M ([N, 115, 80], the spectrogram attack's domain) and the waveform w ([N, 36934], the
 * waveform attack's domain), all differentiable:
 *   Z(M) = (ln(max(1e-7, M)) - mu_b) / sd_b,   Z(w) = Z(mel(|STFT(w)|))   (audio.makeSpectrogram)
 *   p = sigmoid(z),  z = logit of the CNN.
 * and the un-normalised log-mel L = ln(max(1e-7, M)) ([N, 115, 80]), the domain in which the authors
 * factorise an excerpt for LIME, measure a perturbation's energy and keep it in segments
 * (CPJKU/veracity, explanation_utils.prepare_factorization_input_spec: mel filterbank, then log;
 * the band normalisation is inside their model).
 * Because Z(M) is elementwise, keeping a perturbation of M on a set of time-frequency cells keeps
 * exactly the same cells perturbed in Z: the veracity test gives the same flips in either domain.
 *
 * @example
 *   const d = detectorDomains(model, standardizer);
 *   await attacks.flipAttack(d.logitOfWave, waves, null, { threshold: 0.51 });
 *   d.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { makeSpectrogram, applyStandardizer, Standardizer } from '../../audio';
import { layerView } from '../../models';
import { EXCERPT_FRAMES, N_MELS } from './songs';

export interface DetectorDomains {
  /** Z -> P(sing) [N, 1] (the trained model). */
  prob: tf.LayersModel;
  /** Z -> logit [N, 1]. */
  logit: (z: tf.Tensor) => tf.Tensor;
  /** M -> Z. */
  zOfMag: (m: tf.Tensor) => tf.Tensor;
  /** w -> Z. */
  zOfWave: (w: tf.Tensor) => tf.Tensor;
  /** w -> M. */
  magOfWave: (w: tf.Tensor) => tf.Tensor;
  logitOfMag: (m: tf.Tensor) => tf.Tensor;
  logitOfWave: (w: tf.Tensor) => tf.Tensor;
  /** L [N, 115, 80] -> Z [N, 115, 80, 1] (the per-band standardisation) and back. */
  zOfLogMel: (l: tf.Tensor) => tf.Tensor;
  logMelOfZ: (z: tf.Tensor) => tf.Tensor;
  /** L -> logit [N, 1]. */
  logitOfLogMel: (l: tf.Tensor) => tf.Tensor;
  /** The standardiser (per band) the detector was trained with. */
  standardizer: Standardizer;
  dispose(): void;
}

export function detectorDomains(model: tf.LayersModel, st: Standardizer): DetectorDomains {
  if (!st.perBand || st.mean.length !== N_MELS) throw new Error(`detectorDomains: needs a per-band standardizer over ${N_MELS} mel bands.`);
  const view = layerView(model, 'logit');
  const spec = makeSpectrogram({ kind: 'mel', log: 'none' });
  const floor = 1e-7;
  const zOfMag = (m: tf.Tensor) =>
    tf.tidy(() => {
      if (m.rank !== 3 || m.shape[1] !== EXCERPT_FRAMES || m.shape[2] !== N_MELS) {
        throw new Error(`detectorDomains: mel magnitudes must be [N, ${EXCERPT_FRAMES}, ${N_MELS}], got [${m.shape}].`);
      }
      return applyStandardizer(st, tf.log(tf.maximum(m, floor))).expandDims(3);
    });
  const magOfWave = (w: tf.Tensor) => spec.fn(w as tf.Tensor2D);
  const zOfWave = (w: tf.Tensor) => tf.tidy(() => zOfMag(magOfWave(w)));
  const logit = (z: tf.Tensor) => view.apply(z, { training: false }) as tf.Tensor;
  const checkL = (l: tf.Tensor, what: string) => {
    if (l.rank !== 3 || l.shape[1] !== EXCERPT_FRAMES || l.shape[2] !== N_MELS) {
      throw new Error(`detectorDomains: ${what} must be [N, ${EXCERPT_FRAMES}, ${N_MELS}], got [${l.shape}].`);
    }
  };
  const zOfLogMel = (l: tf.Tensor) => {
    checkL(l, 'log-mel excerpts');
    return tf.tidy(() => applyStandardizer(st, l).expandDims(3));
  };
  const mu = Float32Array.from(st.mean), sd = Float32Array.from(st.std, (v) => Math.max(v, 1e-8));
  const logMelOfZ = (z: tf.Tensor) =>
    tf.tidy(() => {
      if (z.rank !== 4 || z.shape[1] !== EXCERPT_FRAMES || z.shape[2] !== N_MELS || z.shape[3] !== 1) {
        throw new Error(`detectorDomains: Z must be [N, ${EXCERPT_FRAMES}, ${N_MELS}, 1], got [${z.shape}].`);
      }
      return tf.add(tf.mul(z.squeeze([3]), tf.tensor1d(sd)), tf.tensor1d(mu));
    });
  return {
    prob: model,
    logit,
    zOfMag,
    zOfWave,
    magOfWave,
    logitOfMag: (m) => tf.tidy(() => logit(zOfMag(m))),
    logitOfWave: (w) => tf.tidy(() => logit(zOfWave(w))),
    zOfLogMel,
    logMelOfZ,
    logitOfLogMel: (l) => tf.tidy(() => logit(zOfLogMel(l))),
    standardizer: st,
    dispose: () => spec.dispose(),
  };
}
