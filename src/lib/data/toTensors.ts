/**
 * Tensors from a plain ImageSet: x as a float32 tf.Tensor4D [n, h, w, c], y as an int32 tf.Tensor1D.
 * The caller owns (and disposes) both.
 *
 * @example
 *   const { x, y } = toTensors(loadMnist(undefined, { limit: 32 })); ... ; tf.dispose([x, y]);
 */
import * as tf from '@tensorflow/tfjs';
import { checkImageSet, ImageSet } from './imageSet';

export function toTensors(set: ImageSet): { x: tf.Tensor4D; y: tf.Tensor1D } {
  checkImageSet('toTensors', set);
  for (let i = 0; i < set.x.length; i++) {
    if (!Number.isFinite(set.x[i])) {
      const per = set.shape[1] * set.shape[2] * set.shape[3];
      throw new Error(`toTensors: x holds a NaN or Infinity (image ${Math.floor(i / per)}, flat index ${i}); clean the data first.`);
    }
  }
  return { x: tf.tensor4d(set.x, set.shape, 'float32'), y: tf.tensor1d(set.y, 'int32') };
}
