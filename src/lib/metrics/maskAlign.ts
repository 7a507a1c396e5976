/**
 * Shape rules shared by the localisation metrics: a mask may be shaped like the attribution
 * [N, ...], like one example [...] (shared by the batch), or either of these with a last axis of 1
 * when the attribution has C channels (then attributions are summed over the channel axis first).
 */
import * as tf from '@tensorflow/tfjs';
import { sameShape } from '../engine';


export interface Aligned {
  /** Per-example scores reduced to the mask's resolution: [N, ...S]. */
  reduce: (perElement: tf.Tensor) => tf.Tensor;
  /** Mask as [N, ...S] float 0/1. */
  mask: tf.Tensor;
  /** Spatial shape S (mask shape without batch). */
  spatial: number[];
}

/** Align; the returned mask is a new tensor (dispose it). */
export function alignMask(where: string, attribution: tf.Tensor, mask: tf.Tensor): Aligned {
  const a = attribution.shape;
  if (attribution.rank < 2) throw new Error(`${where}: attribution must be a batch [N, ...], got shape [${a}].`);
  const n = a[0];
  const m = mask.shape;
  const perEx = a.slice(1);
  const reducedShape = [...a.slice(0, -1), 1];
  let channelReduce = false;
  let batched: boolean;
  if (sameShape(m, a)) batched = true;
  else if (sameShape(m, perEx)) batched = false;
  else if (a[a.length - 1] > 1 && sameShape(m, reducedShape)) {
    batched = true;
    channelReduce = true;
  } else if (a[a.length - 1] > 1 && sameShape(m, reducedShape.slice(1))) {
    batched = false;
    channelReduce = true;
  } else {
    throw new Error(
      `${where}: mask shape [${m}] does not fit attribution [${a}]; use [${a}], [${perEx}]` +
        (a[a.length - 1] > 1 ? `, [${reducedShape}] or [${reducedShape.slice(1)}] (one channel)` : '') + '.',
    );
  }
  const mask01 = tf.tidy(() => {
    const m01 = tf.greater(mask, 0).toFloat();
    return batched ? m01 : tf.broadcastTo(m01.expandDims(0), [n, ...m]);
  });
  const reduce = (t: tf.Tensor) => (channelReduce ? tf.sum(t, -1, true) : t);
  return { reduce, mask: mask01, spatial: mask01.shape.slice(1) };
}
