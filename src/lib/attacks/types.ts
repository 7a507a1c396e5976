/** Shared types of the attack family (conventions #1, #7). */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../engine';

/**
 * What every attack returns. `xAdv` is a new tensor the caller disposes; the arrays hold one entry
 * per example: whether the attack met its criterion, the perturbation's L2 and Linf size, and
 * SNR = 20 log10(||x|| / ||xAdv - x||) in dB (Infinity where the perturbation is zero).
 */
export interface AttackResult {
  xAdv: tf.Tensor;
  success: boolean[];
  l2: number[];
  linf: number[];
  snrDb?: number[];
}

/** Labels: a tensor (not disposed by the attack), a plain array, or null where the attack allows it. */
export type Labels = tf.Tensor | number[] | number[][] | null;

/** An attack: (model, x, y, options) => Promise<result>. */
export type Attack<O extends object = any, R extends AttackResult = AttackResult> = (
  model: Model,
  x: tf.Tensor,
  y: Labels,
  options?: O,
) => Promise<R>;

/** Valid input range [lo, hi] (either may be +-Infinity) or null for no clipping. */
export type Range = readonly [number, number] | null;

/** Built-in per-example losses: softmax cross-entropy on logits, BCE on sigmoid logits, mean squared error. */
export type LossName = 'ce' | 'bce' | 'mse';

/** A custom per-example loss: (outputs, y) => tensor of shape [N]. */
export type LossFn = (outputs: tf.Tensor, y: tf.Tensor) => tf.Tensor;

export type LossSpec = LossName | LossFn;

/**
 * A custom success criterion: (outputs, y or target, xAdv) => [N] tensor (bool or 0/1), true where
 * the example counts as successfully attacked.
 */
export type SuccessFn = (outputs: tf.Tensor, y: tf.Tensor, xAdv: tf.Tensor) => tf.Tensor;
