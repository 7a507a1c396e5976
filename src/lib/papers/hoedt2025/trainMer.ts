/**
 * Train (or load from the models/ cache) one P1 model (arXiv 2508.03780): merCnn with head A2E,
 * A2B2E or A2M2E, or an adversarially trained aA2E / aA2B2E.
 *
 *   loss = w MSE(emotions) + (1 - w) MSE(mid-level),  w = 0.5 for A2M2E, 1 otherwise   (merLoss)
 *   Adam, early stopping on the validation average correlation of the emotions (best epoch restored)
 *   aA2E / aA2B2E: fitAdversarial mode 'extraStep' -- every `scheduleEvery`-th epoch, after each clean
 *   step, craft adversaries with advTrainingAttack and take one extra step on them.
 *
 * trainingSeconds is measured when the model is trained and kept in its model card (so a cached
 * model reports the time it took to train).
 *
 * trainMer trains (or loads) only the model asked for. trainMers does a grid of kinds x seeds with
 * models.getOrTrainMany: the missing models train on the main thread and `workers` worker threads
 * (each thread reloads the data with loadP1Data(cfg), checked against the caller's by fingerprint;
 * byte-identical to trainMer), then all load in order. Data that is not loadP1Data(cfg)'s (or the
 * soundtracks data without its folder) cannot be rebuilt in a worker: then trainMers trains in
 * sequence on the caller's data.
 *
 * @example
 *   const m = await trainMer('A2M2E', 6, data, config('demo'));  m.model; m.seconds; m.cached;
 *   const all = await trainMers(['A2E', 'A2M2E'], cfg.seeds, data, cfg);   // kinds x seeds, kind-major
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, fingerprint } from '../../engine';
import { defineTrainer, getOrTrain, getOrTrainMany, merCnn } from '../../models';
import type { GetOrTrainResult, TrainResult } from '../../models';
import { fit, fitAdversarial, merLoss } from '../../train';
import type { FitOptions, Progress } from '../../train';
import { averageCorrelation } from '../../metrics';
import type { ModelKind, P1Config } from './config';
import { loadP1Data } from './loadP1Data';
import type { P1Data } from './loadP1Data';
import { advTrainingAttack } from './advTrainingAttack';

export interface TrainedMer {
  kind: ModelKind;
  seed: number;
  model: tf.LayersModel;
  /** Training time in seconds (measured when trained; from the card when cached). */
  seconds: number;
  cached: boolean;
  epochs: number;
}

/** Head and loss weight of a model kind. */
export function kindSpec(kind: ModelKind): { head: 'A2E' | 'A2B2E' | 'A2M2E'; adversarial: boolean; w: number } {
  const adversarial = kind.startsWith('a');
  const head = (adversarial ? kind.slice(1) : kind) as 'A2E' | 'A2B2E' | 'A2M2E';
  if (!['A2E', 'A2B2E', 'A2M2E'].includes(head) || (adversarial && head === 'A2M2E')) throw new Error(`trainMer: unknown model kind "${kind}"; use A2E, A2B2E, A2M2E, aA2E or aA2B2E.`);
  return { head, adversarial, w: head === 'A2M2E' ? 0.5 : 1 };
}

/** Validation metric: average correlation over the 8 emotion columns. */
export function emotionCorr(yTrue: tf.Tensor, yPred: tf.Tensor): number {
  const [t, p] = tf.tidy(() => [tf.slice(yTrue, [0, 0], [-1, 8]), tf.slice(yPred, [0, 0], [-1, 8])]);
  try {
    return averageCorrelation(p, t).value;
  } finally {
    tf.dispose([t, p]);
  }
}

/** The cache name and config (the model's identity in its card) of one P1 model. */
function merModel(kind: ModelKind, seed: number, data: P1Data, cfg: P1Config) {
  const { head, adversarial, w } = kindSpec(kind);
  const inputShape = data.train.x.shape.slice(1);
  const config = {
    paper: 'hoedt2025', kind, seed, head, w, inputShape, width: cfg.width, dropout: cfg.dropout,
    epochs: cfg.epochs, batchSize: cfg.batchSize, lr: cfg.lr, patience: cfg.patience,
    // generator: recorded from version 2 on (the cards of version-1 models predate the field)
    data: { source: data.source, clips: cfg.clips, frames: cfg.frames, splitSeed: cfg.splitSeed, train: data.train.ids.length, ...(cfg.generator === 1 || cfg.clips === null ? {} : { generator: cfg.generator }) },
    adversarial: adversarial ? { mode: 'extraStep', scheduleEvery: cfg.scheduleEvery, attack: cfg.advAttack } : null,
  };
  return { head, adversarial, w, inputShape, config, name: `p1-${cfg.scale}-${kind}-s${seed}` };
}

/** Train one P1 model on `data` (the training trainMer and every thread of trainMers run). */
async function trainMerModel(kind: ModelKind, seed: number, data: P1Data, cfg: P1Config, onEpoch?: (p: Progress) => void): Promise<TrainResult> {
  const { head, adversarial, w, inputShape } = merModel(kind, seed, data, cfg);
  const model = merCnn({ head, width: cfg.width, dropout: cfg.dropout, inputShape, seed });
  const opts: FitOptions = {
    valid: { x: data.valid.x, y: data.valid.y }, epochs: cfg.epochs, batchSize: cfg.batchSize, lr: cfg.lr,
    loss: merLoss({ w }), seed, metrics: { corr: emotionCorr },
    earlyStopping: { metric: 'valCorr', patience: cfg.patience, mode: 'max' }, onEpoch,
  };
  const train = { x: data.train.x, y: data.train.y };
  const res = adversarial
    ? await fitAdversarial(model, train, { ...opts, attack: advTrainingAttack(cfg.advAttack), mode: 'extraStep', scheduleEvery: cfg.scheduleEvery })
    : await fit(model, train, opts);
  return { model, history: res.history, metrics: { bestEpoch: res.bestEpoch, epochsRun: res.history.length } };
}

function trained(kind: ModelKind, seed: number, r: GetOrTrainResult): TrainedMer {
  const m = r.card.metrics as { epochsRun?: number };
  return { kind, seed, model: r.model, seconds: r.card.trainingSeconds ?? NaN, cached: r.cached, epochs: m.epochsRun ?? NaN };
}

export async function trainMer(
  kind: ModelKind,
  seed: number,
  data: P1Data,
  cfg: P1Config,
  options: { onEpoch?: (p: Progress) => void; force?: boolean } = {},
): Promise<TrainedMer> {
  checkOptions('trainMer', options, ['onEpoch', 'force']);
  const { head, config, name } = merModel(kind, seed, data, cfg);
  const r = await getOrTrain(name, config, () => trainMerModel(kind, seed, data, cfg, options.onEpoch), { architecture: `merCnn/${head}`, force: options.force });
  return trained(kind, seed, r);
}

const p1Data = new Map<string, { data: P1Data; print: string }>();

/** fingerprint of what training reads: the train and validation splits. */
function dataPrint(d: P1Data): string {
  return fingerprint([d.train.x, d.train.y, d.valid.x, d.valid.y].map((t) => t.dataSync()));
}

/** loadP1Data(cfg, { dir }) once per thread (kept for the next model). */
function p1DataFor(cfg: P1Config, dir: string | undefined): { data: P1Data; print: string } {
  const key = JSON.stringify([cfg, dir ?? null]);
  let e = p1Data.get(key);
  if (!e) {
    releaseP1Data();
    const data = loadP1Data(cfg, dir === undefined ? {} : { dir });
    e = { data, print: dataPrint(data) };
    p1Data.set(key, e);
  }
  return e;
}

function releaseP1Data(): void {
  for (const e of p1Data.values()) e.data.dispose();
  p1Data.clear();
}

/** Arguments of the P1 trainer (JSON): one model, and the data to rebuild with its fingerprint. */
interface MerArgs {
  kind: ModelKind;
  seed: number;
  cfg: P1Config;
  dir?: string;
  /** fingerprint of the caller's data: the trainer checks it rebuilt the same. */
  data: string;
}

/** The P1 trainer of trainMers, on any thread: rebuild the data from cfg, check it, train. */
const MER_TRAINER = defineTrainer('hoedt2025.mer', __filename, (a: MerArgs) => {
  const { data, print } = p1DataFor(a.cfg, a.dir);
  if (print !== a.data) throw new Error(`the data given to trainMers is not loadP1Data(cfg)'s`);
  return trainMerModel(a.kind, a.seed, data, a.cfg);
});

/**
 * Train (or load) the models of kinds x seeds (kind-major order), the missing ones in parallel on
 * the main thread and `workers` worker threads (default 'auto'; see the module doc); onModel
 * reports each model as it is loaded.
 */
export async function trainMers(
  kinds: ModelKind[],
  seeds: number[],
  data: P1Data,
  cfg: P1Config,
  options: { workers?: number | 'auto'; onModel?: (t: TrainedMer) => void } = {},
): Promise<TrainedMer[]> {
  checkOptions('trainMers', options, ['workers', 'onModel']);
  const grid = kinds.flatMap((kind) => seeds.map((seed) => ({ kind, seed })));
  const rebuildable = !(data.source === 'soundtracks' && data.dir === undefined);
  const print = dataPrint(data);
  try {
    if (!rebuildable || p1DataFor(cfg, data.dir).print !== print) {
      const out: TrainedMer[] = [];
      for (const { kind, seed } of grid) {
        out.push(await trainMer(kind, seed, data, cfg));
        options.onModel?.(out[out.length - 1]);
      }
      return out;
    }
    const specs = grid.map(({ kind, seed }) => {
      const { head, config, name } = merModel(kind, seed, data, cfg);
      return { name, config, architecture: `merCnn/${head}`, trainer: MER_TRAINER, args: { kind, seed, cfg, dir: data.dir, data: print } };
    });
    const rs = await getOrTrainMany(specs, {
      workers: options.workers,
      onModel: (r) => options.onModel?.(trained(grid[r.index].kind, grid[r.index].seed, r)),
    });
    return rs.map((r, i) => trained(grid[i].kind, grid[i].seed, r));
  } finally {
    releaseP1Data(); // the main thread's copy (workers end with theirs)
  }
}
