/**
 * Cosine alignment between two maps per example, each flattened (P4, Wang, Fredrikson, Datta 2022,
 * arXiv 2103.11257: input gradient vs the normal of the nearest decision boundary):
 *   cos_i = <a_i, b_i> / (||a_i||_2 ||b_i||_2)   (NaN where either map is all zero).
 *
 * @example cosineSimilarity(gradX, boundaryNormal) // { value: 0.43, perExample: [...] }
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { checkBatch, checkSameShape, MetricMeta, MetricResult, scoped, summarise, TensorLike, withMeta, withTensors } from './common';

const META: MetricMeta = { name: 'Cosine alignment', description: 'Cosine similarity between two maps (e.g. input gradient and boundary normal), per example.', higherIsBetter: true, range: [-1, 1], paper: 'arXiv 2103.11257' };

function cosineSimilarityImpl(a: TensorLike, b: TensorLike, options: Record<string, never> = {}): MetricResult {
  const where = 'cosineSimilarity';
  checkOptions(where, options, []);
  return withTensors(where, [[a, 'a'], [b, 'b']], (ta, tb) => {
    checkSameShape(where, ta, tb, 'a', 'b');
    checkBatch(where, ta, 'a');
    return scoped(() => {
      const n = ta.shape[0];
      const fa = ta.reshape([n, -1]);
      const fb = tb.reshape([n, -1]);
      const dot = tf.sum(tf.mul(fa, fb), 1).dataSync();
      const na = tf.sqrt(tf.sum(tf.square(fa), 1)).dataSync();
      const nb = tf.sqrt(tf.sum(tf.square(fb), 1)).dataSync();
      const per = Array.from(dot, (v, i) => (na[i] > 0 && nb[i] > 0 ? Math.max(-1, Math.min(1, v / (na[i] * nb[i]))) : NaN));
      return summarise(META, per);
    });
  });
}

export const cosineSimilarity = withMeta(cosineSimilarityImpl, META);
