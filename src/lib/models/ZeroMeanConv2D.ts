/**
 * Zero-mean 2-D convolution (Schlueter & Lehner 2018, "Zero-mean convolutions for level-invariant
 * singing voice detection"): each filter's kernel has its mean subtracted on every forward pass,
 * so the layer is blind to a constant added to its input (a gain change in the log-magnitude domain).
 *
 * Formula: y = conv2d(x, W - mean_{h,w,c}(W)) + b.
 * Enforced in call() (not as a kernel constraint: constraints are not applied by custom optimiser
 * loops), so it holds exactly at every step; the stored kernel itself need not be zero-mean.
 *
 * @example
 *   const conv = new ZeroMeanConv2D({ filters: 16, kernelSize: 3, seed: 1, name: 'conv1' });
 */
import * as tf from '@tensorflow/tfjs';
import { registerWorkerSetup, seedFor } from '../engine';

export interface ZeroMeanConv2DArgs {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  useBias?: boolean;
  seed: number;
  name?: string;
}

const pair = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);

export class ZeroMeanConv2D extends tf.layers.Layer {
  static className = 'ZeroMeanConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly useBias: boolean;
  readonly seed: number;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: ZeroMeanConv2DArgs) {
    super({ name: args.name });
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize);
    this.strides = pair(args.strides ?? 1);
    this.padding = args.padding ?? 'valid';
    this.useBias = args.useBias ?? true;
    this.seed = args.seed;
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const cin = shape[shape.length - 1] as number;
    this.kernel = this.addWeight(
      'kernel',
      [this.kernelSize[0], this.kernelSize[1], cin, this.filters],
      'float32',
      tf.initializers.heNormal({ seed: seedFor(this.seed, this.name, 'kernel') }),
    );
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (n: number | null, k: number, st: number) =>
      n == null ? null : this.padding === 'same' ? Math.ceil(n / st) : Math.ceil((n - k + 1) / st);
    return [s[0], out(s[1], this.kernelSize[0], this.strides[0]), out(s[2], this.kernelSize[1], this.strides[1]), this.filters];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const w = this.kernel!.read();
      const w0 = tf.sub(w, tf.mean(w, [0, 1, 2], true)) as tf.Tensor4D; // W - mean(W), per filter
      let y: tf.Tensor = tf.conv2d(x, w0, this.strides, this.padding);
      if (this.bias) y = tf.add(y, this.bias.read());
      return y;
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      useBias: this.useBias,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(ZeroMeanConv2D);
registerWorkerSetup(__filename); // model-pool workers load this module too
