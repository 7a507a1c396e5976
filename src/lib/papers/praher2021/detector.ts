/**
 * The singing voice detector seen from the three domains P2 works in (Praher et al. 2021, arXiv
 * 2107.09045): the network input Z (standardised log-mel, [N, 115, 80, 1]), the linear mel
 * magnitude M ([N, 115, 80], the spectrogram attack's domain) and the waveform w ([N, 36934], the
 * waveform attack's domain), all differentiable:
 *   Z(M) = (ln(max(1e-7, M)) - mu_b) / sd_b,   Z(w) = Z(mel(|STFT(w)|))   (audio.makeSpectrogram)
 *   p = sigmoid(z),  z = logit of the CNN.
 * Because Z(M) is elementwise, keeping a perturbation of M on a set of time-frequency cells keeps
 * exactly the same cells perturbed in Z: the veracity test gives the same flips in either domain.
 *
 * @example
 *   const d = detectorDomains(model, standardizer);
 *   await attacks.flipAttack(d.logitOfWave, waves, null, { threshold: 0.51 });
 *   d.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { makeSpectrogram } from '../../audio/makeSpectrogram';
import { applyStandardizer, Standardizer } from '../../audio/standardizer';
import { layerView } from '../../models/layerView';
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
  return {
    prob: model,
    logit,
    zOfMag,
    zOfWave,
    magOfWave,
    logitOfMag: (m) => tf.tidy(() => logit(zOfMag(m))),
    logitOfWave: (w) => tf.tidy(() => logit(zOfWave(w))),
    dispose: () => spec.dispose(),
  };
}
