/**
 * Dropout with reproducible masks. tf.layers.dropout with a fixed seed draws the SAME mask on every
 * call (it reseeds each time); this layer derives the mask seed from (seed, call counter), so a
 * freshly built model trained with the same seeds sees the same sequence of masks.
 *
 * Formula (training): y = x * m / (1 - rate), m ~ Bernoulli(1 - rate); inference: y = x.
 *
 * @example
 *   const d = new SeededDropout({ rate: 0.3, seed: 7, name: 'drop1' });
 */
import * as tf from '@tensorflow/tfjs';
import { registerWorkerSetup, seedFor } from '../engine';

export interface SeededDropoutArgs {
  rate: number;
  seed: number;
  name?: string;
}

export class SeededDropout extends tf.layers.Layer {
  static className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`SeededDropout: rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs?.training || this.rate === 0) return x;
    return tf.dropout(x, this.rate, undefined, seedFor(this.seed, this.name, this.calls++));
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);
registerWorkerSetup(__filename); // model-pool workers load this module too
