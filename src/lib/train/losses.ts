/**
 * Every loss robustlens trains with, written once. Each returns a scalar averaged over the batch.
 * Classifier losses take logits (softmaxCE, bceLogits) or probabilities (bce) as documented.
 * Labels for softmaxCE may be one-hot [batch, classes] or integer class ids [batch].
 */
import * as tf from '@tensorflow/tfjs';

export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;
export type LossName = 'softmaxCE' | 'bce' | 'bceLogits' | 'mse';
export const LOSS_NAMES: readonly LossName[] = ['softmaxCE', 'bce', 'bceLogits', 'mse'];

/** One-hot labels for logits [batch, classes]: integer ids [batch] are expanded, one-hot passes through. */
export function oneHotLike(y: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  if (y.rank === 1) return tf.oneHot(tf.cast(y, 'int32'), logits.shape[1] as number).toFloat();
  if (y.rank === 2 && y.shape[1] === logits.shape[1]) return y;
  throw new Error(`softmaxCE: labels [${y.shape}] fit neither ids [batch] nor one-hot [batch, ${logits.shape[1]}]`);
}

/** Softmax cross-entropy on logits: mean_i -sum_c y_ic log softmax(z_i)_c. */
export function softmaxCE(yTrue: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const y = oneHotLike(yTrue, logits);
    return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  });
}

/** Binary cross-entropy on probabilities p (clipped to [1e-7, 1 - 1e-7]): mean -(y log p + (1-y) log(1-p)). */
export function bce(yTrue: tf.Tensor, p: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.reshape(yTrue, p.shape).toFloat();
    const q = tf.clipByValue(p, 1e-7, 1 - 1e-7);
    return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q)))))) as tf.Scalar;
  });
}

/** Binary cross-entropy on logits z (stable): mean max(z,0) - z y + log(1 + exp(-|z|)). */
export function bceLogits(yTrue: tf.Tensor, z: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.reshape(yTrue, z.shape).toFloat();
    return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))) as tf.Scalar;
  });
}

/** Mean squared error over all elements. */
export function mse(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(tf.reshape(yTrue, yPred.shape), yPred)) as tf.Scalar);
}

/**
 * P1's loss (arXiv 2508.03780): w * MSE(emotions) + (1 - w) * MSE(mid-level), on outputs and
 * targets laid out [emotions (first `emotions` columns) | mid-level]. A model with only emotion
 * outputs (A2E, A2B2E) needs w = 1; extra target columns are then ignored.
 *
 * @example  fit(model, data, { loss: merLoss({ w: 0.5 }), ... })   // A2M2E
 */
export function merLoss(options: { w?: number; emotions?: number } = {}): LossFn {
  const { w = 1, emotions = 8 } = options;
  if (!(w >= 0 && w <= 1)) throw new Error(`merLoss: w must be in [0, 1], got ${w}`);
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const n = yPred.shape[1] as number;
      const eT = tf.slice(yTrue, [0, 0], [-1, emotions]);
      const eP = tf.slice(yPred, [0, 0], [-1, emotions]);
      const lossE = mse(eT, eP);
      if (n === emotions) {
        if (w !== 1) throw new Error(`merLoss: w = ${w} needs mid-level outputs, but the model outputs ${n} columns (use w = 1 for A2E/A2B2E)`);
        return lossE;
      }
      if ((yTrue.shape[1] as number) !== n) throw new Error(`merLoss: targets have ${yTrue.shape[1]} columns, outputs ${n}`);
      const lossM = mse(tf.slice(yTrue, [0, emotions], [-1, n - emotions]), tf.slice(yPred, [0, emotions], [-1, n - emotions]));
      return tf.add(tf.mul(w, lossE), tf.mul(1 - w, lossM)) as tf.Scalar; // w MSE(e) + (1-w) MSE(m)
    });
}

/** Per-example KL(softmax(zP) || softmax(zQ)) = sum_c p_c (log p_c - log q_c), shape [batch]. */
export function klDivergence(logitsP: tf.Tensor, logitsQ: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logitsP);
    return tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, tf.logSoftmax(logitsQ))), -1) as tf.Tensor1D;
  });
}

/**
 * TRADES (Zhang et al. 2019, arXiv 1901.08573):
 *   L = CE(f(x), y) + beta * mean_i KL(softmax f(x_i) || softmax f(x'_i)).
 * Takes the logits on clean and adversarial inputs; returns the total and its two parts.
 */
export function tradesLoss(
  yTrue: tf.Tensor,
  logitsNat: tf.Tensor,
  logitsAdv: tf.Tensor,
  beta: number,
): { loss: tf.Scalar; natural: tf.Scalar; robust: tf.Scalar } {
  const natural = softmaxCE(yTrue, logitsNat);
  const robust = tf.tidy(() => tf.mean(klDivergence(logitsNat, logitsAdv)) as tf.Scalar);
  const loss = tf.tidy(() => tf.add(natural, tf.mul(beta, robust)) as tf.Scalar);
  return { loss, natural, robust };
}

/**
 * Activation sensitivity (P3 reconstruction, arXiv 2211.08686): sum over layers l of
 * mean_i ||a_l(x_i + eta_i) - a_l(x_i)||_2 (activations flattened per example).
 * The norm uses sqrt(max(s, 1e-12)) so a layer with no change has a finite (zero) gradient.
 */
export function activationSensitivity(actsClean: tf.Tensor[], actsPerturbed: tf.Tensor[]): tf.Scalar {
  if (actsClean.length !== actsPerturbed.length) throw new Error('activationSensitivity: activation lists differ in length');
  return tf.tidy(() => {
    let total: tf.Tensor = tf.scalar(0);
    actsClean.forEach((a, l) => {
      const d = tf.reshape(tf.sub(actsPerturbed[l], a), [a.shape[0] as number, -1]);
      const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(d), 1), 1e-12)); // ||a_l(x+eta) - a_l(x)||_2
      total = tf.add(total, tf.mean(norm));
    });
    return total as tf.Scalar;
  });
}

/** The loss function for a name, or the function itself. */
export function resolveLoss(loss: LossName | LossFn | undefined, where: string): LossFn {
  if (typeof loss === 'function') return loss;
  const table: Record<LossName, LossFn> = { softmaxCE, bce, bceLogits, mse };
  if (loss && (LOSS_NAMES as readonly string[]).includes(loss)) return table[loss];
  throw new Error(`${where}: loss must be one of ${LOSS_NAMES.join(', ')} or a function (yTrue, yPred) => scalar, got ${String(loss)}`);
}
