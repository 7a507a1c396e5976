/**
 * Train (or load from the model cache) one smallCnn of a family on one data set and seed, with the
 * budget of the configuration; every family shares epochs, batch size, lr, initialisation seed
 * and data order, so only the objective differs (see families.ts for the four objectives).
 *
 * @example
 *   const r = await trainFamily(family('pgd'), trainSet, { cfg, dataset: 'synth', seed: 0 });
 *   r.model; r.cached; r.seconds
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, fingerprint, runTasks, workerCount } from '../../engine';
import { isCached } from '../../models/getOrTrain';
import type { ImageSet } from '../../data';
import { toTensors } from '../../data';
import { getOrTrain, smallCnn } from '../../models';
import { fit, fitActivationSensitivity, fitAdversarial, fitTrades } from '../../train';
import type { FitResult } from '../../train';
import { ImageDataset, P3Config } from './config';
import { Family } from './families';
import { loadTrainSet } from './loadImageSets';
import { pgdTrainAttack } from './pgdTrainAttack';

export interface TrainFamilyOptions {
  cfg: P3Config;
  dataset: ImageDataset | 'synth';
  seed: number;
  /** Model cache folder (default: models/, or ROBUSTLENS_MODELS). */
  dir?: string;
  /** Retrain even when cached. */
  force?: boolean;
}

export interface TrainedFamily {
  family: Family;
  dataset: string;
  seed: number;
  model: tf.LayersModel;
  cached: boolean;
  /** Training seconds (from the model card when cached). */
  seconds: number;
  name: string;
}

/** The cache name of a model: p3-<dataset>-<family>-s<seed>-<scale>. */
export function modelName(dataset: string, fam: Family, seed: number, scale: string): string {
  return `p3-${dataset}-${fam.key.replace(/[^a-z0-9.-]/gi, '_')}-s${seed}-${scale}`;
}

/** The cache name and config (the model's identity in its card) trainFamily uses for one model. */
function familyModel(fam: Family, train: ImageSet, options: TrainFamilyOptions) {
  const { cfg, dataset, seed } = options;
  const t = cfg.train;
  const epochs = dataset === 'synth' ? t.epochs : cfg.images.epochs;
  const eps = t.eps[dataset];
  if (!(eps > 0)) throw new Error(`trainFamily: no training eps for data set "${dataset}".`);
  const [, h, w, c] = train.shape;
  const classes = train.classes.length;
  const budget = { epochs, batchSize: t.batchSize, lr: t.lr, seed };
  const objective =
    fam.kind === 'standard' ? {} :
    fam.kind === 'pgd' ? { eps, pgdSteps: t.pgdSteps, mode: t.pgdMode, warmupEpochs: 1 } :
    fam.kind === 'trades' ? { eps, beta: t.tradesBeta, steps: t.tradesSteps } :
    { eps, lambda: fam.lambda, eta: t.asEta, layers: t.layers };
  const conf = { paper: 'P3', family: fam.key, dataset, nTrain: train.shape[0], inputShape: [h, w, c], classes, model: cfg.model, budget, objective };
  const name = modelName(dataset, fam, seed, cfg.scale);
  return { name, conf, t, eps, h, w, c, classes, budget };
}

export async function trainFamily(fam: Family, train: ImageSet, options: TrainFamilyOptions): Promise<TrainedFamily> {
  checkOptions('trainFamily', options, ['cfg', 'dataset', 'seed', 'dir', 'force']);
  const { cfg, dataset, seed } = options;
  const { name, conf, t, eps, h, w, c, classes, budget } = familyModel(fam, train, options);
  const r = await getOrTrain(name, conf, async () => {
    const model = smallCnn({ inputShape: [h, w, c], classes, width: cfg.model.width, hidden: cfg.model.hidden, seed, name: 'smallCnn' });
    const data = toTensors(train);
    try {
      let res: FitResult;
      if (fam.kind === 'standard') res = await fit(model, data, budget);
      else if (fam.kind === 'pgd') {
        const stepsPerEpoch = Math.ceil(train.shape[0] / t.batchSize);
        res = await fitAdversarial(model, data, { ...budget, mode: t.pgdMode, attack: pgdTrainAttack({ eps, steps: t.pgdSteps, rampSteps: stepsPerEpoch, stepsPerEpoch }) });
      }
      else if (fam.kind === 'trades') res = await fitTrades(model, data, { ...budget, eps, beta: t.tradesBeta, steps: t.tradesSteps, clip: [0, 1] });
      else res = await fitActivationSensitivity(model, data, { ...budget, layers: t.layers, lambda: fam.lambda as number, eps, eta: t.asEta, clip: [0, 1] });
      return { model, history: res.history.map((e) => ({ epoch: e.epoch, ...e.metrics })), data: { dataset, n: train.shape[0] } };
    } finally {
      tf.dispose([data.x, data.y]);
    }
  }, { dir: options.dir, force: options.force, architecture: 'smallCnn' });
  const seconds = r.card.trainingSeconds ?? NaN;
  return { family: fam, dataset, seed, model: r.model, cached: r.cached, seconds, name };
}

/**
 * Train (or load) every family for every seed on one data set; onModel reports progress.
 * First the models not yet cached are trained in parallel (trainMissing: the main thread and
 * `workers` worker threads, default 'auto'), then every model is loaded in order, exactly as
 * the sequential loop always did (it trains whatever is still missing).
 */
export async function trainAll(
  fams: Family[],
  train: ImageSet,
  options: Omit<TrainFamilyOptions, 'seed'> & { seeds: number[]; onModel?: (r: TrainedFamily) => void; workers?: number | 'auto' },
): Promise<TrainedFamily[]> {
  const { seeds, onModel, workers, ...rest } = options;
  if (!rest.force) await trainMissing(fams, train, { ...rest, seeds, workers });
  const out: TrainedFamily[] = [];
  for (const seed of seeds) {
    for (const f of fams) {
      const r = await trainFamily(f, train, { ...rest, seed });
      out.push(r);
      onModel?.(r);
    }
  }
  return out;
}

/** Arguments of trainFamilyTask (JSON). */
export interface TrainFamilyTaskArgs {
  family: Family;
  cfg: P3Config;
  dataset: ImageDataset | 'synth';
  seed: number;
  dir?: string;
  /** fingerprint of the training set the caller holds (x, y): the task checks it rebuilt the same. */
  data: string;
}

const trainSets = new Map<string, { set: ImageSet; print: string }>();

/** The training set of (cfg, dataset) as loadImageSets builds it, kept for the next task on this thread. */
function trainSetFor(cfg: P3Config, dataset: ImageDataset | 'synth'): { set: ImageSet; print: string } {
  const key = JSON.stringify([cfg.scale, cfg.synth, cfg.images, dataset]);
  let e = trainSets.get(key);
  if (!e) {
    trainSets.clear();
    const set = loadTrainSet(cfg, dataset);
    e = { set, print: fingerprint([set.x, set.y]) };
    trainSets.set(key, e);
  }
  return e;
}

/**
 * One model of trainMissing, run by engine.runTasks on any thread: rebuild the training set from
 * the configuration (deterministic), check it is the caller's, then trainFamily (getOrTrain: the
 * same training and save as the sequential path).
 */
export async function trainFamilyTask(a: TrainFamilyTaskArgs): Promise<{ name: string; seconds: number; cached: boolean }> {
  const { set, print } = trainSetFor(a.cfg, a.dataset);
  if (print !== a.data) throw new Error(`the training set given to trainAll is not the one loadImageSets(cfg) builds for "${a.dataset}"`);
  const r = await trainFamily(a.family, set, { cfg: a.cfg, dataset: a.dataset, seed: a.seed, dir: a.dir });
  r.model.dispose();
  return { name: r.name, seconds: r.seconds, cached: r.cached };
}

/**
 * Train, in parallel, the models of fams x seeds that are not cached yet (engine.runTasks with
 * trainFamilyTask; one line per finished model). Nothing to do with fewer than two missing models
 * or no workers. If parallel training fails, the failure is reported through console.warn and the
 * caller's sequential loop trains what is still missing (and reports a real error itself).
 * Returns the names trained here.
 */
export async function trainMissing(
  fams: Family[],
  train: ImageSet,
  options: Omit<TrainFamilyOptions, 'seed' | 'force'> & { seeds: number[]; workers?: number | 'auto' },
): Promise<string[]> {
  const { seeds, workers = 'auto', cfg, dataset, dir } = options;
  const missing: { fam: Family; seed: number; name: string }[] = [];
  for (const seed of seeds) {
    for (const fam of fams) {
      const { name, conf } = familyModel(fam, train, { cfg, dataset, seed });
      if (!isCached(name, conf, { dir })) missing.push({ fam, seed, name });
    }
  }
  if (missing.length < 2 || workerCount(workers) === 0) return [];
  const data = fingerprint([train.x, train.y]);
  const tasks = missing.map((m) => ({
    module: __filename,
    fn: 'trainFamilyTask',
    args: { family: m.fam, cfg, dataset, seed: m.seed, dir, data } satisfies TrainFamilyTaskArgs,
    label: m.name,
  }));
  try {
    await runTasks(tasks, {
      workers,
      onDone: (d) => console.log(`trained ${d.label} in ${(d.result as { seconds: number }).seconds.toFixed(1)} s on the ${d.thread} thread (${d.done}/${d.total})`),
    });
  } catch (e) {
    console.warn(`trainAll: parallel training stopped (${(e as Error).message}); training the rest in sequence.`);
  }
  return missing.map((m) => m.name);
}
