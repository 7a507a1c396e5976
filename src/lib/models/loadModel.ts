/**
 * Load a model saved by saveModel from <dir>/<name>/, with its card. If `config` is given and the
 * card was saved with a different one, this is an error listing the differing keys (so a notebook
 * never silently uses a model trained for another setting). The files must match the SHA-256
 * digests in the card (modelDigests): altered weights or topology, or a card without digests, are
 * a DigestMismatchError naming the file.
 *
 * @example
 *   const { model, card } = await loadModel('p3-cnn-seed1', { config });
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkOptions, checkName } from '../engine';
import { fsHandler } from './fsHandler';
import { configDiff, ModelCard, readCard, stableStringify } from './card';
import { modelsDir } from './modelsDir';
import { cleanStale } from './saveModel';
import { checkDigests, DigestMismatchError, topologyDigest, weightsDigest } from './modelDigests';
import './SeededDropout';
import './ZeroMeanConv2D';

export interface LoadModelOptions {
  dir?: string;
  /** Expected config; a different saved config is an error. */
  config?: unknown;
}

/** Thrown when a saved model's card does not match the requested config. */
export class CardMismatchError extends Error {
  constructor(message: string, readonly differences: string[]) {
    super(message);
    this.name = 'CardMismatchError';
  }
}

export async function loadModel(name: string, options: LoadModelOptions = {}): Promise<{ model: tf.LayersModel; card: ModelCard }> {
  checkOptions('loadModel', options, ['dir', 'config']);
  checkName('loadModel', name, 'model name');
  const root = options.dir ?? modelsDir();
  cleanStale(root, name);
  const dir = path.join(root, name);
  if (!fs.existsSync(dir)) throw new Error(`loadModel: no saved model "${name}" in ${root}`);
  const card = readCard(dir);
  if (options.config !== undefined && stableStringify(card.config) !== stableStringify(options.config)) {
    const diff = configDiff(card.config, options.config);
    throw new CardMismatchError(
      `loadModel: ${path.join(dir, 'card.json')} does not match the requested config (${diff.join('; ')}). ` +
        'Retrain (getOrTrain does so) or request the saved config.',
      diff,
    );
  }
  let model: tf.LayersModel;
  try {
    const verify = (json: tf.io.ModelJSON, weights: Uint8Array) =>
      checkDigests('loadModel', dir, card.digests, { algorithm: 'sha256', weights: weightsDigest(weights), topology: topologyDigest(json) });
    model = await tf.loadLayersModel(fsHandler(dir, { verify }));
  } catch (e) {
    if (e instanceof DigestMismatchError) throw e;
    const msg = (e as Error).message;
    throw new Error(msg.startsWith('fsHandler:') ? `loadModel: ${msg.slice(11)}` : `loadModel: ${dir} could not be loaded: ${msg}`);
  }
  return { model, card };
}
