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
 * Parallel: when the requested model is not cached, trainMer first trains every missing model of
 * its group (A2E / A2B2E / A2M2E, or aA2E / aA2B2E) for every seed of cfg.seeds on the main thread
 * and `workers` worker threads (trainMerMissing; each task reloads the data with loadP1Data(cfg),
 * checked against the caller's by fingerprint), then loads the requested one; the calls for its
 * siblings then find them cached. Skipped with onEpoch or force, or workers 0 (ROBUSTLENS_WORKERS=1).
 *
 * @example
 *   const m = await trainMer('A2M2E', 6, data, config('demo'));  m.model; m.seconds; m.cached;
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, fingerprint, runTasks, workerCount } from '../../engine';
import { getOrTrain, merCnn } from '../../models';
import { isCached } from '../../models/getOrTrain';
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
    data: { source: data.source, clips: cfg.clips, frames: cfg.frames, splitSeed: cfg.splitSeed, train: data.train.ids.length },
    adversarial: adversarial ? { mode: 'extraStep', scheduleEvery: cfg.scheduleEvery, attack: cfg.advAttack } : null,
  };
  return { head, adversarial, w, inputShape, config, name: `p1-${cfg.scale}-${kind}-s${seed}` };
}

export async function trainMer(
  kind: ModelKind,
  seed: number,
  data: P1Data,
  cfg: P1Config,
  options: { onEpoch?: (p: Progress) => void; force?: boolean; workers?: number | 'auto' } = {},
): Promise<TrainedMer> {
  checkOptions('trainMer', options, ['onEpoch', 'force', 'workers']);
  const { head, adversarial, w, inputShape, config, name } = merModel(kind, seed, data, cfg);
  if (!options.force && !options.onEpoch && cfg.seeds.includes(seed) && !isCached(name, config)) {
    const group: ModelKind[] = adversarial ? ['aA2E', 'aA2B2E'] : ['A2E', 'A2B2E', 'A2M2E'];
    await trainMerMissing(group, cfg.seeds, data, cfg, { workers: options.workers });
  }
  let epochsRun = 0;
  const r = await getOrTrain(name, config, async () => {
    const model = merCnn({ head, width: cfg.width, dropout: cfg.dropout, inputShape, seed });
    const opts: FitOptions = {
      valid: { x: data.valid.x, y: data.valid.y }, epochs: cfg.epochs, batchSize: cfg.batchSize, lr: cfg.lr,
      loss: merLoss({ w }), seed, metrics: { corr: emotionCorr },
      earlyStopping: { metric: 'valCorr', patience: cfg.patience, mode: 'max' }, onEpoch: options.onEpoch,
    };
    const train = { x: data.train.x, y: data.train.y };
    const res = adversarial
      ? await fitAdversarial(model, train, { ...opts, attack: advTrainingAttack(cfg.advAttack), mode: 'extraStep', scheduleEvery: cfg.scheduleEvery })
      : await fit(model, train, opts);
    epochsRun = res.history.length;
    return { model, history: res.history, metrics: { bestEpoch: res.bestEpoch, epochsRun } };
  }, { architecture: `merCnn/${head}`, force: options.force });
  const m = r.card.metrics as { epochsRun?: number };
  return { kind, seed, model: r.model, seconds: r.card.trainingSeconds ?? NaN, cached: r.cached, epochs: epochsRun || (m.epochsRun ?? NaN) };
}

const p1Data = new Map<string, { data: P1Data; print: string }>();

/** fingerprint of what training reads: the train and validation splits. */
function dataPrint(d: P1Data): string {
  return fingerprint([d.train.x, d.train.y, d.valid.x, d.valid.y].map((t) => t.dataSync()));
}

/** loadP1Data(cfg, { dir }) once per thread (kept for the next task). */
function p1DataFor(cfg: P1Config, dir: string | undefined): { data: P1Data; print: string } {
  const key = JSON.stringify([cfg, dir ?? null]);
  let e = p1Data.get(key);
  if (!e) {
    for (const old of p1Data.values()) old.data.dispose();
    p1Data.clear();
    const data = loadP1Data(cfg, dir === undefined ? {} : { dir });
    e = { data, print: dataPrint(data) };
    p1Data.set(key, e);
  }
  return e;
}

/** Arguments of trainMerTask (JSON). */
export interface TrainMerTaskArgs {
  kind: ModelKind;
  seed: number;
  cfg: P1Config;
  dir?: string;
  /** fingerprint of the caller's data: the task checks it loaded the same. */
  data: string;
}

/** One model of trainMerMissing, run by engine.runTasks on any thread: reload the data, check it, trainMer. */
export async function trainMerTask(a: TrainMerTaskArgs): Promise<{ name: string; seconds: number; cached: boolean }> {
  const { data, print } = p1DataFor(a.cfg, a.dir);
  if (print !== a.data) throw new Error(`the data given to trainMer is not loadP1Data(cfg)'s`);
  const t = await trainMer(a.kind, a.seed, data, a.cfg, { workers: 0 });
  t.model.dispose();
  return { name: `p1-${a.cfg.scale}-${a.kind}-s${a.seed}`, seconds: t.seconds, cached: t.cached };
}

/**
 * Train, in parallel (engine.runTasks: the main thread and `workers` workers, default 'auto'), the
 * models of kinds x seeds not cached yet; one line per finished model. Needs `data` to be
 * loadP1Data(cfg, { dir: data.dir }) (checked by fingerprint; otherwise nothing is done here).
 * A failure is reported through console.warn; the caller's trainMer calls then train what is
 * still missing in sequence. Returns the names trained here.
 */
export async function trainMerMissing(
  kinds: ModelKind[],
  seeds: number[],
  data: P1Data,
  cfg: P1Config,
  options: { workers?: number | 'auto' } = {},
): Promise<string[]> {
  checkOptions('trainMerMissing', options, ['workers']);
  const workers = options.workers ?? 'auto';
  const missing: { kind: ModelKind; seed: number; name: string }[] = [];
  for (const kind of kinds) {
    for (const seed of seeds) {
      const { name, config } = merModel(kind, seed, data, cfg);
      if (!isCached(name, config)) missing.push({ kind, seed, name });
    }
  }
  if (missing.length < 2 || workerCount(workers) === 0) return [];
  if (data.source === 'soundtracks' && data.dir === undefined) return [];
  const print = dataPrint(data);
  try {
    if (p1DataFor(cfg, data.dir).print !== print) return []; // not the configured data: train in sequence
    await runTasks(
      missing.map((m) => ({
        module: __filename,
        fn: 'trainMerTask',
        args: { kind: m.kind, seed: m.seed, cfg, dir: data.dir, data: print } satisfies TrainMerTaskArgs,
        label: m.name,
      })),
      {
        workers,
        onDone: (d) => console.log(`trained ${d.label} in ${(d.result as { seconds: number }).seconds.toFixed(1)} s on the ${d.thread} thread (${d.done}/${d.total})`),
      },
    );
  } catch (e) {
    console.warn(`trainMer: parallel training stopped (${(e as Error).message}); training the rest in sequence.`);
  } finally {
    for (const e of p1Data.values()) e.data.dispose(); // the main thread's copy (workers end with theirs)
    p1Data.clear();
  }
  return missing.map((m) => m.name);
}
