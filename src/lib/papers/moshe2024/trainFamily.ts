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
import { checkOptions } from '../../engine';
import type { ImageSet } from '../../data';
import { toTensors } from '../../data';
import { getOrTrain, smallCnn } from '../../models';
import { fit, fitActivationSensitivity, fitAdversarial, fitTrades } from '../../train';
import type { FitResult } from '../../train';
import { ImageDataset, P3Config } from './config';
import { Family } from './families';
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

export async function trainFamily(fam: Family, train: ImageSet, options: TrainFamilyOptions): Promise<TrainedFamily> {
  checkOptions('trainFamily', options, ['cfg', 'dataset', 'seed', 'dir', 'force']);
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

/** Train (or load) every family for every seed on one data set, in order; onModel reports progress. */
export async function trainAll(
  fams: Family[],
  train: ImageSet,
  options: Omit<TrainFamilyOptions, 'seed'> & { seeds: number[]; onModel?: (r: TrainedFamily) => void },
): Promise<TrainedFamily[]> {
  const { seeds, onModel, ...rest } = options;
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
