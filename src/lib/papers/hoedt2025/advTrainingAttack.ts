/**
 * The attack P1's adversarial training crafts with (arXiv 2508.03780): the same sign-Adam
 * regression attack as the evaluation (regressionAttack, the authors' unbounded 'code' clip), with
 * fewer iterations (paper: 50), on the emotion outputs only, as a synchronous fitAdversarial callback.
 *
 *   xAdv = x + delta*,  delta* = regressionAttack(f_emotions, x, y_emotions, { steps, lr, clip: 'code' })
 *
 * @example
 *   await fitAdversarial(model, train, { attack: advTrainingAttack({ steps: 50, lr: 0.002 }), mode: 'extraStep', scheduleEvery: 5 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { regressionAttackSync } from '../../attacks';
import type { AttackFn } from '../../train';

/** The first `emotions` outputs of a MER model in inference mode (A2M2E also outputs its 7 mid-level values). */
export function emotionsFn(model: tf.LayersModel, emotions = 8): (x: tf.Tensor) => tf.Tensor {
  return (x) => tf.tidy(() => {
    const out = model.apply(x, { training: false }) as tf.Tensor;
    return out.shape[1] === emotions ? out : tf.slice(out, [0, 0], [-1, emotions]);
  });
}

export function advTrainingAttack(options: { steps: number; lr: number; emotions?: number }): AttackFn {
  checkOptions('advTrainingAttack', options, ['steps', 'lr', 'emotions']);
  const { steps, lr, emotions = 8 } = options;
  return (model, x, y) => {
    const yE = tf.slice(y, [0, 0], [-1, emotions]);
    try {
      return regressionAttackSync(emotionsFn(model, emotions), x, yE, { steps, lr, clip: 'code' }).xAdv;
    } finally {
      yE.dispose();
    }
  };
}
