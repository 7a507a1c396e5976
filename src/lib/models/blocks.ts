/** Shared building blocks for the convolutional architectures (internal). */
import * as tf from '@tensorflow/tfjs';
import { checkShape, kernelInit } from './init';

type S = tf.SymbolicTensor;

/** Options every architecture builder takes (each documents its own defaults). */
export interface ArchitectureOptions {
  /** Input shape without the batch axis. */
  inputShape?: number[];
  /** Multiplier on channel and unit counts (scaled(), at least 1). Default 1. */
  width?: number;
  /** Seed of every layer's initialiser (seedFor(seed, layerName, role)). Default 0. */
  seed?: number;
  /** The model's name. */
  name?: string;
}

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

/** The model's input layer 'input', after checking inputShape is `rank` positive integers. */
export function modelInput(where: string, inputShape: unknown, rank: number): S {
  return tf.input({ shape: checkShape(where, inputShape, rank), name: 'input' });
}

/** A conv layer with a seeded He-normal kernel (seeded by its name) and bias, applied to x. */
export function conv(x: S, filters: number, name: string, seed: number, options: { kernelSize?: number; padding: 'same' | 'valid'; activation?: 'relu' }): S {
  const { kernelSize = 3, padding, activation } = options;
  const act = activation ? { activation } : {};
  return tf.layers.conv2d({ filters, kernelSize, padding, ...act, kernelInitializer: kernelInit(seed, name), name }).apply(x) as S;
}

/** Max pooling with square windows, stride = window. */
export function maxPool(x: S, size: number, name: string): S {
  return tf.layers.maxPooling2d({ poolSize: size, strides: size, name }).apply(x) as S;
}

/** Flatten to [batch, features] (layer 'flatten'). */
export function flatten(x: S): S {
  return tf.layers.flatten({ name: 'flatten' }).apply(x) as S;
}
