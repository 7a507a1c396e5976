/**
 * The model cache: return <dir>/<name> when a valid saved model with the same config exists,
 * else train (trainFn), save atomically, and return the new model. A corrupt or partial folder,
 * or one saved with another config, is reported through `log` and retrained; so is one whose files
 * do not match the SHA-256 digests in its card (altered weights or topology) or whose card has no
 * digests (unverifiable). Stale temp folders from interrupted saves are removed. A models folder
 * that cannot be written (read-only, not a folder) is found before training: the model is trained,
 * kept in memory and returned uncached, with a warning through `log` naming ROBUSTLENS_MODELS.
 *
 * trainFn returns a model, or { model, metrics?, history?, data? } (recorded in the card);
 * training time is measured here.
 *
 * @example
 *   const { model, card, cached } = await getOrTrain('p4-mlp-eps0', { architecture: 'mlp', hidden: [32], epochs: 20, seed: 0 },
 *     async () => { const m = mlp({...}); const r = await fit(m, data, {...}); return { model: m, history: r.history }; });
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkOptions, checkName } from '../engine';
import { ModelCard, readCard, stableStringify } from './card';
import { MODEL_JSON, WEIGHTS_BIN } from './fsHandler';
import { modelsDir, unwritableReason } from './modelsDir';
import { cleanStale, makeCard, saveModel } from './saveModel';
import { CardMismatchError, loadModel } from './loadModel';
import { DigestMismatchError, modelDigests } from './modelDigests';

/**
 * Version of the gradients the engine trains with, stored in every cached model's config by
 * getOrTrain and compared on load; models saved with another version retrain.
 * 2: the corrected MaxPool / AvgPool / ResizeNearestNeighbor gradients hold in every process
 * (before, loading danfojs-node for a table put tfjs' stock ones back).
 * 3: sign() on wasm is +-1 for every nonzero value (tfjs-wasm 4.22 returned 0 for |x| <= 1.19e-7,
 * so adversarial / TRADES / activation-sensitivity training steps left small-gradient coordinates
 * unmoved), and log1p is accurate near 0 (engine/kernels/sign.ts, log1p.ts).
 */
export const TRAINING_GRADIENTS = 3;

/** The config getOrTrain stores and compares: the caller's plus the training-gradients version. */
export function cacheConfig(config: unknown): unknown {
  return config !== null && typeof config === 'object' && !Array.isArray(config)
    ? { ...(config as Record<string, unknown>), trainingGradients: TRAINING_GRADIENTS }
    : { config, trainingGradients: TRAINING_GRADIENTS };
}

export type TrainResult =
  | tf.LayersModel
  | { model: tf.LayersModel; metrics?: Record<string, unknown>; history?: unknown; data?: unknown };

export interface GetOrTrainOptions {
  dir?: string;
  /** Where reports go (corrupt folder, config change). Default console.warn. */
  log?: (message: string) => void;
  architecture?: string;
  /** Description of the training data, stored in the card (if trainFn does not give one). */
  data?: unknown;
  /** Always retrain, replacing any saved model. Default false. */
  force?: boolean;
}

export interface GetOrTrainResult {
  model: tf.LayersModel;
  card: ModelCard;
  /** True when the model came from disk. */
  cached: boolean;
}

export async function getOrTrain(
  name: string,
  config: unknown,
  trainFn: () => TrainResult | Promise<TrainResult>,
  options: GetOrTrainOptions = {},
): Promise<GetOrTrainResult> {
  checkOptions('getOrTrain', options, ['dir', 'log', 'architecture', 'data', 'force']);
  checkName('getOrTrain', name, 'model name');
  if (config === undefined) throw new Error('getOrTrain: config is required (it identifies the model)');
  if (typeof trainFn !== 'function') throw new Error('getOrTrain: trainFn must be a function returning the trained model');
  const root = options.dir ?? modelsDir();
  const log = options.log ?? ((m: string) => console.warn(m));
  const keyed = cacheConfig(config);
  for (const p of cleanStale(root, name)) log(`getOrTrain: removed stale temp folder ${p} (an interrupted save)`);
  const dir = path.join(root, name);
  if (fs.existsSync(dir) && !options.force) {
    try {
      const { model, card } = await loadModel(name, { dir: root, config: keyed });
      return { model, card, cached: true };
    } catch (e) {
      if (e instanceof CardMismatchError) log(`getOrTrain: saved "${name}" was trained with another config (${e.differences.join('; ')}); retraining.`);
      else if (e instanceof DigestMismatchError) log(`getOrTrain: saved "${name}" failed verification (${(e as Error).message}); retraining.`);
      else log(`getOrTrain: saved "${name}" is unusable (${(e as Error).message}); retraining.`);
    }
  }
  // A folder the model cannot be saved to is found before training, not after (the model is kept).
  const unwritable = unwritableReason(root);
  const t0 = Date.now();
  const result = await trainFn();
  const seconds = (Date.now() - t0) / 1000;
  const isModel = (r: TrainResult): r is tf.LayersModel => r instanceof tf.LayersModel;
  const model = isModel(result) ? result : result?.model;
  if (!(model instanceof tf.LayersModel)) throw new Error('getOrTrain: trainFn must return a tf.LayersModel or { model, ... }');
  const extra: { metrics?: Record<string, unknown>; history?: unknown; data?: unknown } = isModel(result) ? {} : result;
  const saveOptions = {
    dir: root,
    config: keyed,
    architecture: options.architecture,
    data: extra.data ?? options.data,
    metrics: extra.metrics,
    history: extra.history,
    trainingSeconds: seconds,
  };
  if (unwritable !== null) {
    log(
      `getOrTrain: "${name}" was trained but NOT cached: the models folder ${root} is not writable (${unwritable}). ` +
        'The model is kept in memory for this session only and will be trained again next time; ' +
        'set ROBUSTLENS_MODELS (or options.dir) to a writable folder to cache it.',
    );
    return { model, card: makeCard(model, name, saveOptions), cached: false };
  }
  const card = await saveModel(model, name, saveOptions);
  return { model, card, cached: false };
}

/**
 * Whether getOrTrain(name, config) would load rather than train: <dir>/<name> holds a card whose
 * config equals `config` (the comparison getOrTrain makes, key order ignored) and whose digests
 * match model.json and weights.bin (the files are hashed, not loaded into tfjs).
 *
 * @example
 *   if (!isCached('p3-synth-pgd-s0-demo', conf)) ...   // train it (e.g. in a worker) first
 */
export function isCached(name: string, config: unknown, options: { dir?: string } = {}): boolean {
  checkOptions('isCached', options, ['dir']);
  checkName('isCached', name, 'model name');
  const dir = path.join(options.dir ?? modelsDir(), name);
  if (!fs.existsSync(path.join(dir, MODEL_JSON)) || !fs.existsSync(path.join(dir, WEIGHTS_BIN))) return false;
  try {
    const card = readCard(dir);
    if (stableStringify(card.config) !== stableStringify(cacheConfig(config))) return false;
    const d = modelDigests(dir);
    return card.digests?.weights === d.weights && card.digests?.topology === d.topology;
  } catch {
    return false;
  }
}
