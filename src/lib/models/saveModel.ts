/**
 * Save a LayersModel atomically under <dir>/<name>/ as model.json + weights.bin + card.json.
 * The card records SHA-256 digests of the two model files as written (modelDigests), which every
 * load verifies.
 *
 * Atomic: everything is written (and fsync'ed) into a temp folder `.<name>.tmp-<pid>-<rand>` beside
 * the target, then renamed into place; an existing model is moved aside first and removed after.
 * A crash leaves either the old model or the new one, plus at most a stale temp folder, which
 * cleanStale (called by saveModel, loadModel and getOrTrain) removes once its process is gone.
 *
 * @example
 *   await saveModel(model, 'p3-cnn-seed1', { config: { arch: 'smallCnn', width: 0.5, seed: 1 }, metrics: { acc: 0.97 } });
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backendName, checkOptions, checkName } from '../engine';
import { fsHandler, fsyncDir, writeFileSynced } from './fsHandler';
import { CARD_JSON, CARD_VERSION, ModelCard } from './card';
import { modelsDir } from './modelsDir';
import { modelDigests } from './modelDigests';

export interface SaveModelOptions {
  /** Folder holding model folders. Default modelsDir() (ROBUSTLENS_MODELS or the project's models/). */
  dir?: string;
  /** The model's identity (architecture options, training options, data). Required. */
  config: unknown;
  architecture?: string;
  seed?: number;
  data?: unknown;
  metrics?: Record<string, unknown>;
  history?: unknown;
  trainingSeconds?: number;
}

const TEMP_RE = /^\.(.+)\.(tmp|old)-(\d+)-[0-9a-z]+$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove temp/old folders of `name` (all names if omitted) left by processes that no longer run.
 * Returns the removed paths.
 */
export function cleanStale(dir: string, name?: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const removed: string[] = [];
  for (const entry of fs.readdirSync(dir)) {
    const m = TEMP_RE.exec(entry);
    if (!m || (name !== undefined && m[1] !== name)) continue;
    const pid = Number(m[3]);
    if (pid !== process.pid && alive(pid)) continue;
    if (pid === process.pid && inFlight.has(path.join(dir, entry))) continue;
    fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    removed.push(path.join(dir, entry));
  }
  return removed;
}

const inFlight = new Set<string>();

function tempName(dir: string, name: string, kind: 'tmp' | 'old'): string {
  return path.join(dir, `.${name}.${kind}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
}

/** The card saveModel writes (without digests, which are of the files as written). */
export function makeCard(model: tf.LayersModel, name: string, options: SaveModelOptions): ModelCard {
  const cfg = options.config as Record<string, unknown> | null;
  return {
    cardVersion: CARD_VERSION,
    name,
    architecture: options.architecture ?? (typeof cfg?.architecture === 'string' ? (cfg.architecture as string) : model.name),
    config: options.config,
    seed: options.seed ?? (typeof cfg?.seed === 'number' ? (cfg.seed as number) : null),
    data: options.data ?? null,
    metrics: options.metrics ?? {},
    history: options.history ?? null,
    trainingSeconds: options.trainingSeconds ?? null,
    parameters: model.countParams(),
    backend: backendName(),
    tfjsVersion: tf.version.tfjs,
    created: new Date().toISOString(),
  };
}

export async function saveModel(model: tf.LayersModel, name: string, options: SaveModelOptions): Promise<ModelCard> {
  checkOptions('saveModel', options, ['dir', 'config', 'architecture', 'seed', 'data', 'metrics', 'history', 'trainingSeconds']);
  checkName('saveModel', name, 'model name');
  if (!options || !('config' in options) || options.config === undefined) throw new Error('saveModel: options.config is required (it identifies the model)');
  const root = options.dir ?? modelsDir();
  fs.mkdirSync(root, { recursive: true });
  cleanStale(root, name);
  const card = makeCard(model, name, options);
  const tmp = tempName(root, name, 'tmp');
  const final = path.join(root, name);
  inFlight.add(tmp);
  try {
    fs.mkdirSync(tmp);
    await model.save(fsHandler(tmp));
    card.digests = modelDigests(tmp); // of the bytes on disk, read back after the fsync
    writeFileSynced(path.join(tmp, CARD_JSON), JSON.stringify(card, null, 2));
    fsyncDir(tmp);
    if (fs.existsSync(final)) {
      const old = tempName(root, name, 'old');
      fs.renameSync(final, old);
      fs.renameSync(tmp, final);
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, final);
    }
    fsyncDir(root);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    inFlight.delete(tmp);
  }
  return card;
}
