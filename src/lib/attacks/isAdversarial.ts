/**
 * Success criteria, written once for every attack:
 *   untargeted 'ce' : argmax f(x') != y                     (misclassification)
 *   targeted   'ce' : argmax f(x') == target                (target hit)
 *   'bce'          : every output's decision sigmoid(z) > threshold differs from y (all frames
 *                    flipped), or equals the target when targeted
 *   'mse' / fn loss : the loss rose above its clean value (untargeted) or fell below it (targeted),
 *                    unless options.success gives the task's own criterion.
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions, checkInput, probeModel, rowsPerPass } from '../engine';
import type { Model } from '../engine';
import { chunkRanges, batchRows, toTensor } from './common';
import { broadcastTargets, perExampleLoss, prepareLabels } from './losses';
import type { Labels, LossSpec, SuccessFn } from './types';

export interface CriterionSpec {
  loss: LossSpec;
  targeted: boolean;
  success?: SuccessFn;
  threshold: number;
}

/** Per-example success [N] (bool) of outputs at xAdv; cleanLoss is needed for 'mse' / fn losses without `success`. */
export function successTensor(spec: CriterionSpec, outputs: tf.Tensor, y: tf.Tensor, xAdv: tf.Tensor, cleanLoss?: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const n = outputs.shape[0];
    if (spec.success) {
      const s = spec.success(outputs, y, xAdv);
      if (!(s instanceof tf.Tensor) || s.size !== n) throw new Error(`success function must return one value per example ([${n}]).`);
      return s.reshape([n]).cast('bool');
    }
    if (spec.loss === 'ce') {
      const pred = outputs.reshape([n, -1]).argMax(1);
      const lab = y.reshape([n]).toInt();
      return spec.targeted ? pred.equal(lab) : pred.notEqual(lab);
    }
    if (spec.loss === 'bce') {
      const z = outputs.reshape([n, -1]);
      const zThr = Math.log(spec.threshold / (1 - spec.threshold));
      const dec = z.greater(zThr);
      const lab = broadcastTargets(y, z).greaterEqual(0.5);
      return (spec.targeted ? dec.equal(lab) : dec.notEqual(lab)).all(1);
    }
    if (!cleanLoss) return tf.zeros([n], 'bool');
    const l = perExampleLoss(spec.loss, outputs, y);
    return spec.targeted ? l.less(cleanLoss) : l.greater(cleanLoss);
  }) as tf.Tensor1D;
}

export interface IsAdversarialOptions {
  /** Loss the criterion belongs to: 'ce' (default), 'bce', 'mse' or a function. */
  loss?: LossSpec;
  /** Target class / label: the criterion becomes "target hit". */
  target?: Labels | number;
  /** Custom criterion (outputs, y, x) => [N]. */
  success?: SuccessFn;
  /** Decision threshold on sigmoid outputs for 'bce' (default 0.5). */
  threshold?: number;
  batchSize?: number;
}

const KNOWN = ['loss', 'target', 'success', 'threshold', 'batchSize'];

/**
 * Whether each example of x already meets the attack criterion (e.g. is misclassified); used for
 * clean accuracy in sweeps. For 'mse' / fn losses without `success` this is false everywhere.
 *
 * @example const wrong = await isAdversarial(model, x, y);   // boolean per example
 */
export async function isAdversarial(model: Model, x: tf.Tensor, y: Labels, options: IsAdversarialOptions = {}): Promise<boolean[]> {
  const where = 'isAdversarial';
  checkOptions(where, options, KNOWN);
  checkInput(where, x);
  const fn = asFn(model);
  const loss = options.loss ?? 'ce';
  const targeted = options.target !== undefined;
  const n = x.shape[0];
  const outShape = probeModel(where, fn, x);
  const lab = prepareLabels(where, loss, toTensor(where, targeted ? (options.target as Labels) : y, targeted ? 'target' : 'y', targeted ? n : undefined), outShape, n, targeted ? 'target' : 'y');
  const spec: CriterionSpec = { loss, targeted, success: options.success, threshold: options.threshold ?? 0.5 };
  const out: boolean[] = [];
  try {
    for (const [s, e] of chunkRanges(n, rowsPerPass(where, model, x, options.batchSize ?? n, 'forward'))) {
      const v = tf.tidy(() => {
        const xc = x.slice(s, e - s);
        return successTensor(spec, fn(xc), batchRows(lab, s, e, n, lab.rank), xc).dataSync();
      });
      v.forEach((b) => out.push(Boolean(b)));
    }
  } finally {
    lab.dispose();
  }
  return out;
}
