/**
 * The model cache for a grid of models: getOrTrain for every spec, training the missing ones first
 * on the main thread and `workers` worker threads (engine.runTasks), then loading all in order.
 *
 * A spec names a trainer registered with defineTrainer (a name, the defining module's own path and
 * a training function of JSON arguments), so a worker finds the training code by the trainer's
 * registration, never by a path this layer builds. Every thread calls the same trainer with the
 * same JSON arguments through getOrTrain, so a model trained in a worker is byte-for-byte the one
 * sequential training saves (the trainer must depend only on its arguments: seeds, configuration,
 * data it rebuilds or loads deterministically).
 *
 * Cached models are loaded, not retrained; one missing model (or workers 0) trains on the main
 * thread only. If the parallel step fails, the failure is reported through `log` and the final
 * loop trains what is still missing in sequence (where a real error surfaces with its message).
 *
 * @example
 *   // at the top level of the defining module:
 *   const TRAINER = defineTrainer('p3.family', __filename, async (a: { family: string; seed: number }) => ({ model: ... }));
 *   const rs = await getOrTrainMany(seeds.map((seed) => ({ name: `p3-std-s${seed}`, config: { seed }, trainer: TRAINER, args: { family: 'standard', seed } })), { workers: 'auto' });
 *   rs[0].model; rs[0].cached
 */
import { checkOptions, defineTask, runTasks, workerCount, checkName } from '../engine';
import type { TaskKind } from '../engine';
import { getOrTrain, isCached } from './getOrTrain';
import type { GetOrTrainResult, TrainResult } from './getOrTrain';
import { modelsDir, unwritableReason } from './modelsDir';

/** A training function registered under a name, findable on every thread (see defineTrainer). */
export interface Trainer<A = unknown> {
  readonly name: string;
  readonly module: string;
  readonly train: (args: A) => TrainResult | Promise<TrainResult>;
  /** The engine task that trains one spec with it through getOrTrain. */
  readonly task: TaskKind<TrainTaskArgs, TrainTaskResult>;
}

/** One model of the grid: its cache name and identity, and how to train it. */
export interface ModelSpec<A = unknown> {
  /** Cache folder name (models/<name>). */
  name: string;
  /** The model's identity, stored in its card and compared on load (as getOrTrain). */
  config: unknown;
  trainer: Trainer<A>;
  /** JSON arguments of the trainer. */
  args: A;
  /** Architecture recorded in the card. */
  architecture?: string;
}

export interface TrainedDone {
  name: string;
  /** Training seconds. */
  seconds: number;
  /** 'main' or 'worker <k>' (scheduling decides; for progress lines only). */
  thread: string;
  done: number;
  total: number;
}

export interface GetOrTrainManyOptions {
  /** Worker threads besides the main thread: a count >= 0 or 'auto' (engine.workerCount). Default 'auto'. */
  workers?: number | 'auto';
  /** Whether the main thread trains too (default true); false leaves the missing models to the workers. */
  mainThread?: boolean;
  /** Model cache folder (default models/, or ROBUSTLENS_MODELS). */
  dir?: string;
  /** Reports (cache problems, a failed parallel step). Default console.warn. */
  log?: (message: string) => void;
  /** Called when a model has been trained in the parallel step (default: one console.log line). */
  onTrained?: (d: TrainedDone) => void;
  /** Called for each spec, in order, once its model is loaded or trained. */
  onModel?: (r: GetOrTrainResult & { name: string; index: number }) => void;
}

interface TrainTaskArgs {
  name: string;
  config: unknown;
  args: unknown;
  dir?: string;
  architecture?: string;
}

interface TrainTaskResult {
  name: string;
  seconds: number;
  cached: boolean;
}

/**
 * Register a trainer: `train(args)` returns the trained model (or { model, metrics, history, data },
 * as getOrTrain's trainFn). Call it at the top level of the module whose `__filename` you pass, so
 * that a worker requiring that module registers the same trainer.
 */
export function defineTrainer<A>(name: string, module: string, train: (args: A) => TrainResult | Promise<TrainResult>): Trainer<A> {
  if (typeof train !== 'function') throw new Error(`defineTrainer("${name}"): train must be a function (args) => model or { model, ... }.`);
  const task = defineTask<TrainTaskArgs, TrainTaskResult>(`models.trainer:${name}`, module, async (a) => {
    const r = await getOrTrain(a.name, a.config, () => train(a.args as A), { dir: a.dir, architecture: a.architecture });
    r.model.dispose();
    return { name: a.name, seconds: r.card.trainingSeconds ?? NaN, cached: r.cached };
  });
  return { name, module, train, task };
}

function checkSpecs(specs: unknown): asserts specs is ModelSpec[] {
  const where = 'getOrTrainMany';
  if (!Array.isArray(specs)) throw new Error(`${where}: specs must be an array of { name, config, trainer, args }.`);
  const seen = new Set<string>();
  specs.forEach((s: ModelSpec, i) => {
    if (!s || typeof s !== 'object') throw new Error(`${where}: specs[${i}] must be { name, config, trainer, args }.`);
    checkOptions(`${where}: specs[${i}]`, s, ['name', 'config', 'trainer', 'args', 'architecture']);
    checkName(where, s.name, 'model name');
    if (seen.has(s.name)) throw new Error(`${where}: two specs are named "${s.name}"; each model needs its own cache name.`);
    seen.add(s.name);
    if (s.config === undefined) throw new Error(`${where}: specs[${i}] ("${s.name}") has no config (it identifies the model).`);
    if (!s.trainer || typeof s.trainer.train !== 'function' || !s.trainer.task) {
      throw new Error(`${where}: specs[${i}] ("${s.name}") needs a trainer from defineTrainer(name, __filename, train).`);
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(s.args ?? null);
    } catch {
      json = undefined;
    }
    if (json === undefined) throw new Error(`${where}: specs[${i}] ("${s.name}") has arguments that are not JSON (plain objects, arrays, strings, numbers, booleans).`);
  });
}

/** Load or train every spec's model (see the module doc); results in spec order. */
export async function getOrTrainMany<A>(specs: ModelSpec<A>[], options: GetOrTrainManyOptions = {}): Promise<(GetOrTrainResult & { name: string })[]> {
  const where = 'getOrTrainMany';
  checkOptions(where, options, ['workers', 'mainThread', 'dir', 'log', 'onTrained', 'onModel']);
  checkSpecs(specs);
  const workers = options.workers ?? 'auto';
  const nWorkers = workerCount(workers);
  const onMain = options.mainThread ?? true;
  if (!onMain && nWorkers < 1) throw new Error(`${where}: mainThread: false needs at least one worker (workers >= 1).`);
  const log = options.log ?? ((m: string) => console.warn(m));
  const dir = options.dir ?? modelsDir(); // resolved here: every thread saves to the same folder
  const missing = specs.filter((s) => !isCached(s.name, s.config, { dir }));
  const trainedHere = new Set(missing.map((s) => s.name));
  // Workers could not save what they train into a folder that is not writable: the loop below
  // trains in sequence and getOrTrain keeps each model in memory with a warning.
  const writable = missing.length === 0 || unwritableReason(dir) === null;
  if (writable && nWorkers > 0 && (missing.length >= 2 || (!onMain && missing.length >= 1))) {
    const onTrained = options.onTrained ?? ((d: TrainedDone) => console.log(`trained ${d.name} in ${d.seconds.toFixed(1)} s on the ${d.thread} thread (${d.done}/${d.total})`));
    try {
      await runTasks(
        missing.map((s) => ({
          kind: s.trainer.task,
          args: { name: s.name, config: s.config, args: s.args, dir, architecture: s.architecture },
          label: s.name,
        })),
        {
          workers,
          mainThread: onMain,
          onDone: (d) => onTrained({ name: d.label, seconds: (d.result as TrainTaskResult).seconds, thread: d.thread, done: d.done, total: d.total }),
        },
      );
    } catch (e) {
      log(`${where}: parallel training stopped (${(e as Error).message}); training the rest in sequence.`);
    }
  }
  const out: (GetOrTrainResult & { name: string })[] = [];
  try {
    for (let i = 0; i < specs.length; i++) {
      const s = specs[i];
      const args = JSON.parse(JSON.stringify(s.args ?? null)) as A; // what a worker would see
      const r = await getOrTrain(s.name, s.config, () => s.trainer.train(args), { dir, log, architecture: s.architecture });
      const row = { ...r, cached: r.cached && !trainedHere.has(s.name), name: s.name };
      out.push(row);
      options.onModel?.({ ...row, index: i });
    }
  } catch (e) {
    for (const r of out) r.model.dispose();
    throw e;
  }
  return out;
}
