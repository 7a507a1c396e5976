/**
 * Train (or load from the model cache) one smallCnn of a family on one data set and seed, with the
 * budget of the configuration; every family shares epochs, batch size, lr, initialisation seed
 * and data order, so only the objective differs (see families.ts for the four objectives).
 * trainAll does families x seeds with models.getOrTrainMany: the missing models train on the main
 * thread and worker threads (each rebuilds the training set from the configuration, checked by
 * fingerprint; byte-identical to trainFamily), then all load in order.
 *
 * @example
 *   const r = await trainFamily(family('pgd'), trainSet, { cfg, dataset: 'synth', seed: 0 });
 *   r.model; r.cached; r.seconds
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, fingerprint } from '../../engine';
import type { ImageSet } from '../../data';
import { toTensors } from '../../data';
import { defineTrainer, getOrTrain, getOrTrainMany, smallCnn } from '../../models';
import type { GetOrTrainResult, TrainResult } from '../../models';
import { fit, fitAdversarial, fitTrades } from '../../train';
import { fitSensitivityRegularised } from './fitSensitivityRegularised';
import type { FitResult } from '../../train';
import { ImageDataset, P3Config } from './config';
import { Family } from './families';
import { loadTrainSet } from './loadImageSets';
import { pgdTrainingAttack } from '../../attacks/pgdTrainingAttack';

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
    { eps, lambda: fam.lambda, eta: t.asEta, etaSteps: t.asEtaSteps, layers: t.layers, penalty: t.asPenalty, warmupEpochs: t.asWarmupEpochs, regulariser: 'fitSensitivityRegularised' };
  const conf = { paper: 'P3', family: fam.key, dataset, nTrain: train.shape[0], inputShape: [h, w, c], classes, model: cfg.model, budget, objective };
  const name = modelName(dataset, fam, seed, cfg.scale);
  return { name, conf, t, eps, h, w, c, classes, budget };
}

/** Train one model of a family on `train` (the training trainFamily and every thread of trainAll run). */
async function trainFamilyModel(fam: Family, train: ImageSet, options: TrainFamilyOptions): Promise<TrainResult> {
  const { cfg, dataset, seed } = options;
  const { t, eps, h, w, c, classes, budget } = familyModel(fam, train, options);
  const model = smallCnn({ inputShape: [h, w, c], classes, width: cfg.model.width, hidden: cfg.model.hidden, seed, name: 'smallCnn' });
  const data = toTensors(train);
  try {
    let res: FitResult;
    if (fam.kind === 'standard') res = await fit(model, data, budget);
    else if (fam.kind === 'pgd') {
      const stepsPerEpoch = Math.ceil(train.shape[0] / t.batchSize);
      res = await fitAdversarial(model, data, { ...budget, mode: t.pgdMode, attack: pgdTrainingAttack({ eps, steps: t.pgdSteps, rampSteps: stepsPerEpoch, stepsPerEpoch }) });
    }
    else if (fam.kind === 'trades') res = await fitTrades(model, data, { ...budget, eps, beta: t.tradesBeta, steps: t.tradesSteps, clip: [0, 1] });
    else res = await fitSensitivityRegularised(model, data, { ...budget, layers: t.layers, lambda: fam.lambda as number, eps, eta: t.asEta, etaSteps: t.asEtaSteps, penalty: t.asPenalty, warmupEpochs: t.asWarmupEpochs, clip: [0, 1] });
    return { model, history: res.history.map((e) => ({ epoch: e.epoch, ...e.metrics })), data: { dataset, n: train.shape[0] } };
  } finally {
    tf.dispose([data.x, data.y]);
  }
}

function trained(fam: Family, dataset: string, seed: number, name: string, r: GetOrTrainResult): TrainedFamily {
  return { family: fam, dataset, seed, model: r.model, cached: r.cached, seconds: r.card.trainingSeconds ?? NaN, name };
}

export async function trainFamily(fam: Family, train: ImageSet, options: TrainFamilyOptions): Promise<TrainedFamily> {
  checkOptions('trainFamily', options, ['cfg', 'dataset', 'seed', 'dir', 'force']);
  const { name, conf } = familyModel(fam, train, options);
  const r = await getOrTrain(name, conf, () => trainFamilyModel(fam, train, options), { dir: options.dir, force: options.force, architecture: 'smallCnn' });
  return trained(fam, options.dataset, options.seed, name, r);
}

const trainSets = new Map<string, { set: ImageSet; print: string }>();

/** The training set of (cfg, dataset) as loadImageSets builds it, kept for the next model on this thread. */
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

/** Arguments of the P3 trainer (JSON): one model, and the training set to rebuild with its fingerprint. */
interface FamilyArgs {
  family: Family;
  cfg: P3Config;
  dataset: ImageDataset | 'synth';
  seed: number;
  /** fingerprint of the training set the caller holds (x, y): the trainer checks it rebuilt the same. */
  data: string;
}

/** The P3 trainer of trainAll, on any thread: rebuild the training set from the configuration, check it, train. */
const FAMILY_TRAINER = defineTrainer('moshe2024.family', __filename, (a: FamilyArgs) => {
  const { set, print } = trainSetFor(a.cfg, a.dataset);
  if (print !== a.data) throw new Error(`the training set given to trainAll is not the one loadImageSets(cfg) builds for "${a.dataset}"`);
  return trainFamilyModel(a.family, set, { cfg: a.cfg, dataset: a.dataset, seed: a.seed });
});

/**
 * Train (or load) every family for every seed on one data set (seed-major order); onModel reports
 * each model as it is loaded. The missing models train in parallel (models.getOrTrainMany: the
 * main thread and `workers` worker threads, default 'auto'). A training set that is not the one
 * loadImageSets(cfg) builds cannot be rebuilt in a worker: it is trained in sequence (with a
 * warning), as with `force`.
 */
export async function trainAll(
  fams: Family[],
  train: ImageSet,
  options: Omit<TrainFamilyOptions, 'seed'> & { seeds: number[]; onModel?: (r: TrainedFamily) => void; workers?: number | 'auto' },
): Promise<TrainedFamily[]> {
  checkOptions('trainAll', options, ['cfg', 'dataset', 'seeds', 'dir', 'force', 'onModel', 'workers']);
  const { seeds, onModel, workers, ...rest } = options;
  const grid = seeds.flatMap((seed) => fams.map((fam) => ({ fam, seed })));
  const data = fingerprint([train.x, train.y]);
  try {
    const configured = !rest.force && trainSetFor(rest.cfg, rest.dataset).print === data;
    if (!configured) {
      if (!rest.force) console.warn(`trainAll: the training set is not the one loadImageSets(cfg) builds for "${rest.dataset}"; training in sequence on the given set (a worker could not rebuild it).`);
      const out: TrainedFamily[] = [];
      for (const { fam, seed } of grid) {
        out.push(await trainFamily(fam, train, { ...rest, seed }));
        onModel?.(out[out.length - 1]);
      }
      return out;
    }
    const specs = grid.map(({ fam, seed }) => {
      const { name, conf } = familyModel(fam, train, { ...rest, seed });
      return { name, config: conf, architecture: 'smallCnn', trainer: FAMILY_TRAINER, args: { family: fam, cfg: rest.cfg, dataset: rest.dataset, seed, data } };
    });
    const rs = await getOrTrainMany(specs, {
      workers,
      dir: rest.dir,
      onModel: (r) => onModel?.(trained(grid[r.index].fam, rest.dataset, grid[r.index].seed, r.name, r)),
    });
    return rs.map((r, i) => trained(grid[i].fam, rest.dataset, grid[i].seed, r.name, r));
  } finally {
    trainSets.clear();
  }
}
