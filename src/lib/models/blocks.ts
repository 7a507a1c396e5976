/** Shared building blocks for the convolutional architectures (internal). */
import * as tf from '@tensorflow/tfjs';
import { kernelInit } from './init';

type S = tf.SymbolicTensor;

/**
 * conv (no bias) -> BatchNorm -> ReLU; layers named `${name}`, `${name}_bn`, `${name}_relu`.
 * bnMomentum: Keras-style moving-average momentum (undefined: tfjs default 0.99; PyTorch's default
 * momentum 0.1 is Keras 0.9).
 */
export function convBnRelu(x: S, filters: number, kernelSize: number, strides: number, name: string, seed: number, relu = true, bnMomentum?: number): S {
  let h = tf.layers
    .conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: kernelInit(seed, name), name })
    .apply(x) as S;
  h = tf.layers.batchNormalization({ name: `${name}_bn`, ...(bnMomentum === undefined ? {} : { momentum: bnMomentum }) }).apply(h) as S;
  return relu ? (tf.layers.reLU({ name: `${name}_relu` }).apply(h) as S) : h;
}

/** Linear dense layer with a seeded Glorot kernel. */
export function linear(x: S, units: number, name: string, seed: number): S {
  return tf.layers.dense({ units, kernelInitializer: kernelInit(seed, name, 'glorot'), name }).apply(x) as S;
}
