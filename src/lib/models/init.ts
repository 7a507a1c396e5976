/**
 * Seeded initialisers: every layer's weights come from seedFor(seed, layerName, role), so the
 * same seed builds the same weights (and the seed is stored in the serialised config).
 */
import * as tf from '@tensorflow/tfjs';
import { seedFor } from '../engine';

/** Kernel initialiser for a layer: He-normal (ReLU layers) or Glorot-uniform (linear heads). */
export function kernelInit(seed: number, layerName: string, kind: 'he' | 'glorot' = 'he'): ReturnType<typeof tf.initializers.heNormal> {
  const s = seedFor(seed, layerName, 'kernel');
  return kind === 'he' ? tf.initializers.heNormal({ seed: s }) : tf.initializers.glorotUniform({ seed: s });
}

/** Scale a channel count by a width multiplier (at least 1). */
export function scaled(channels: number, width: number): number {
  if (!(width > 0) || !Number.isFinite(width)) throw new Error(`width must be a positive number, got ${width}`);
  return Math.max(1, Math.round(channels * width));
}

/** Check an input shape is a list of positive integers of the expected rank. */
export function checkShape(where: string, shape: unknown, rank: number): number[] {
  if (!Array.isArray(shape) || shape.length !== rank || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${where}: inputShape must be ${rank} positive integers (without the batch axis), got ${JSON.stringify(shape)}`);
  }
  return shape as number[];
}
