/**
 * The one training loop (internal): epochs, seeded shuffling, batching, optimiser lifecycle,
 * validation, per-epoch history, callbacks, early stopping with best-weight restore. fit,
 * fitAdversarial, fitTrades and fitActivationSensitivity differ only in their step function.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, checkOptions, seedFor, adam } from '../engine';
import { LossFn, LossName, resolveLoss } from './losses';
import { Dataset, MetricFn, accuracyFor, checkData, isClassification, predictBatched } from './evaluate';
import { checkValues } from './checkData';

export interface Progress {
  /** 1-based epoch. */
  epoch: number;
  epochs: number;
  /** 1-based step within the epoch (onStep) or steps done (onEpoch). */
  step: number;
  steps: number;
  /** Training loss of this step (onStep) or mean over the epoch (onEpoch). */
  loss: number;
  metrics: Record<string, number>;
  /** Seconds since training started. */
  seconds: number;
}

export interface EarlyStopping {
  /** 'valLoss' (default), 'valAccuracy', 'loss', or 'val' + capitalised custom metric name, e.g. 'valCorr'. */
  metric?: string;
  patience: number;
  /** Default: 'max' for names containing accuracy/corr, else 'min'. */
  mode?: 'min' | 'max';
  /** Restore the best epoch's weights at the end. Default true. */
  restoreBest?: boolean;
}

export interface FitOptions {
  valid?: Dataset;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  optimizer?: 'adam' | 'sgd';
  /** SGD momentum (0 = plain SGD). Default 0. */
  momentum?: number;
  /**
   * Learning rate per epoch: (epoch (1-based), epochs) => lr > 0, set before the epoch's first step
   * (the optimiser's state carries over). Default: lr every epoch. Recorded in the history as 'lr'.
   */
  lrSchedule?: (epoch: number, epochs: number) => number;
  loss?: LossName | LossFn;
  seed?: number;
  /** Shuffle each epoch (seeded). Default true. */
  shuffle?: boolean;
  /** Custom metrics evaluated on `valid` each epoch, reported as 'val' + Name. */
  metrics?: Record<string, MetricFn>;
  earlyStopping?: EarlyStopping;
  onEpoch?: (p: Progress) => void | Promise<void>;
  onStep?: (p: Progress) => void | Promise<void>;
}

export const FIT_KEYS = [
  'valid', 'epochs', 'batchSize', 'lr', 'optimizer', 'momentum', 'lrSchedule', 'loss', 'seed', 'shuffle', 'metrics', 'earlyStopping', 'onEpoch', 'onStep',
] as const;

export interface EpochRecord {
  epoch: number;
  /** Seconds since training started, at the end of this epoch. */
  seconds: number;
  /** 'loss' (training, mean over steps), step parts (e.g. 'natural', 'robust'), 'valLoss', 'valAccuracy', 'val<Name>'. */
  metrics: Record<string, number>;
}

export interface FitResult {
  history: EpochRecord[];
  /** 1-based epoch with the best monitored metric (earlyStopping.metric, else valLoss, else loss). */
  bestEpoch: number;
  stoppedEarly: boolean;
  seconds: number;
}

/** What a step reports: its loss and optional named parts (averaged per epoch into the history). */
export interface StepOut {
  loss: number;
  parts?: Record<string, number>;
}

export interface StepContext {
  model: tf.LayersModel;
  x: tf.Tensor;
  y: tf.Tensor;
  /** 1-based. */
  epoch: number;
  /** 1-based within the epoch. */
  step: number;
  /** A seed for this step's randomness. */
  seed: number;
  lossFn: LossFn;
  /** One optimiser update minimising fn's loss over the model's trainable weights; returns the values. */
  minimize: (fn: () => { loss: tf.Scalar; parts?: Record<string, tf.Scalar> }) => StepOut;
}

export type StepFn = (ctx: StepContext) => StepOut;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Set an optimiser's learning rate between steps (SGD/momentum: setLearningRate; Adam reads its field each step). */
function setLearningRate(where: string, opt: tf.Optimizer, lr: number, epoch: number): number {
  if (!(typeof lr === 'number' && Number.isFinite(lr) && lr > 0)) throw new Error(`${where}: lrSchedule returned ${lr} for epoch ${epoch}; it must return a positive number`);
  const o = opt as unknown as { setLearningRate?: (v: number) => void; learningRate: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
  return lr;
}

/** Validate options and run the loop with a step function. `extraKeys` are the caller's own options. */
export async function runLoop(
  where: string,
  model: tf.LayersModel,
  train: Dataset,
  options: FitOptions & Record<string, unknown>,
  extraKeys: readonly string[],
  step: StepFn,
): Promise<FitResult> {
  const { epochs, batchSize, lr, optimizer, momentum, seed, shuffle, lrSchedule, lossName, lossFn, metricFns, es, monitor, better } = loopPlan(where, model, train, options, extraKeys);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (vars.length === 0) throw new Error(`${where}: the model has no trainable weights`);
  const opt: tf.Optimizer = optimizer === 'adam' ? adam(lr) : momentum > 0 ? tf.train.momentum(lr, momentum) : tf.train.sgd(lr);
  const rng = new Rng(seedFor(seed, 'shuffle'));
  const n = train.x.shape[0];
  const steps = Math.ceil(n / batchSize);
  const t0 = performance.now();
  const secs = () => (performance.now() - t0) / 1000;
  const history: EpochRecord[] = [];
  let best = { epoch: 0, value: NaN };
  let bestWeights: tf.Tensor[] | null = null;
  let stoppedEarly = false;

  const minimize = minimizer(where, opt, vars);

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = shuffle ? rng.shuffle([...Array(n).keys()]) : [...Array(n).keys()];
      const lrEpoch = lrSchedule ? setLearningRate(where, opt, lrSchedule(epoch, epochs), epoch) : lr;
      let lossSum = 0;
      const partSums: Record<string, number> = {};
      for (let s = 0; s < steps; s++) {
        const idx = order.slice(s * batchSize, Math.min(n, (s + 1) * batchSize));
        const out = tf.tidy(() => {
          const it = tf.tensor1d(idx, 'int32');
          const x = tf.gather(train.x, it);
          const y = tf.gather(train.y, it);
          return step({ model, x, y, epoch, step: s + 1, seed: seedFor(seed, 'step', epoch, s), lossFn, minimize }) as unknown as tf.TensorContainer;
        }) as unknown as StepOut;
        lossSum += out.loss * idx.length;
        for (const [k, v] of Object.entries(out.parts ?? {})) partSums[k] = (partSums[k] ?? 0) + v * idx.length;
        if (options.onStep) await options.onStep({ epoch, epochs, step: s + 1, steps, loss: out.loss, metrics: out.parts ?? {}, seconds: secs() });
      }
      const metrics: Record<string, number> = { loss: lossSum / n };
      if (lrSchedule) metrics.lr = lrEpoch;
      for (const [k, v] of Object.entries(partSums)) metrics[k] = v / n;
      if (options.valid) Object.assign(metrics, validationMetrics(model, options.valid, Math.max(batchSize, 256), lossName, lossFn, metricFns));
      history.push({ epoch, seconds: secs(), metrics });
      const value = metrics[monitor];
      if (best.epoch === 0 || better(value, best.value)) {
        best = { epoch, value };
        if (es && es.restoreBest !== false) {
          bestWeights?.forEach((w) => w.dispose());
          bestWeights = model.getWeights().map((w) => tf.clone(w));
        }
      }
      if (options.onEpoch) await options.onEpoch({ epoch, epochs, step: steps, steps, loss: metrics.loss, metrics, seconds: secs() });
      if (es && epoch - best.epoch >= es.patience && epoch < epochs) {
        stoppedEarly = true;
        break;
      }
    }
    if (bestWeights) model.setWeights(bestWeights);
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    opt.dispose();
  }
  return { history, bestEpoch: best.epoch, stoppedEarly, seconds: secs() };
}

/** Every option check of the loop, in order, and the values it runs with. */
function loopPlan(where: string, model: tf.LayersModel, train: Dataset, options: FitOptions & Record<string, unknown>, extraKeys: readonly string[]) {
  checkOptions(where, options, [...FIT_KEYS, ...extraKeys]);
  if (!(model instanceof tf.LayersModel)) throw new Error(`${where}: model must be a tf.LayersModel`);
  checkData(where, train, 'train');
  if (options.valid) checkData(where, options.valid, 'valid');
  const { epochs = 10, batchSize = 32, lr = 1e-3, optimizer = 'adam', momentum = 0, seed = 0, shuffle = true } = options;
  if (!(Number.isInteger(epochs) && epochs > 0)) throw new Error(`${where}: epochs must be a positive integer, got ${epochs}`);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new Error(`${where}: batchSize must be a positive integer, got ${batchSize}`);
  if (!(lr > 0)) throw new Error(`${where}: lr must be positive, got ${lr}`);
  if (optimizer !== 'adam' && optimizer !== 'sgd') throw new Error(`${where}: optimizer must be 'adam' or 'sgd', got ${optimizer}`);
  const { lrSchedule } = options;
  if (lrSchedule !== undefined && typeof lrSchedule !== 'function') throw new Error(`${where}: lrSchedule must be a function (epoch, epochs) => lr`);
  const lossName = options.loss ?? 'softmaxCE';
  const lossFn = resolveLoss(lossName, where);
  checkValues(where, model, train, 'train', lossName);
  if (options.valid) checkValues(where, model, options.valid, 'valid', lossName);
  const metricFns = options.metrics ?? {};
  const es = options.earlyStopping;
  if (es) checkOptions(`${where}: earlyStopping`, es, ['metric', 'patience', 'mode', 'restoreBest']);
  const monitor = es?.metric ?? (options.valid ? 'valLoss' : 'loss');
  const known = ['loss'];
  if (options.valid) {
    known.push('valLoss', ...Object.keys(metricFns).map((k) => `val${cap(k)}`));
    if (isClassification(lossName)) known.push('valAccuracy');
  }
  if (es) {
    if (!known.includes(monitor)) throw new Error(`${where}: earlyStopping.metric "${monitor}" is not computed; available: ${known.join(', ')}${options.valid ? '' : ' (pass options.valid for validation metrics)'}`);
    if (!(Number.isInteger(es.patience) && es.patience >= 0)) throw new Error(`${where}: earlyStopping.patience must be an integer >= 0`);
  }
  const mode = es?.mode ?? (/acc|corr/i.test(monitor) ? 'max' : 'min');
  const better = (a: number, b: number) => (mode === 'min' ? a < b : a > b);
  return { epochs, batchSize, lr, optimizer, momentum, seed, shuffle, lrSchedule, lossName, lossFn, metricFns, es, monitor, better };
}


/** One optimiser update minimising fn's loss over vars; the loss and its parts read back; a non-finite loss is an error. */
function minimizer(where: string, opt: tf.Optimizer, vars: tf.Variable[]): StepContext['minimize'] {
  return (fn) => {
    let parts: Record<string, tf.Scalar> = {};
    const loss = opt.minimize(
      () => {
        const r = fn();
        parts = r.parts ?? {};
        Object.values(parts).forEach((p) => tf.keep(p));
        return r.loss;
      },
      true,
      vars,
    ) as tf.Scalar;
    const out: StepOut = { loss: loss.dataSync()[0], parts: {} };
    for (const [k, p] of Object.entries(parts)) {
      out.parts![k] = p.dataSync()[0];
      p.dispose();
    }
    loss.dispose();
    if (!Number.isFinite(out.loss)) throw new Error(`${where}: loss became ${out.loss}; lower lr or check the data for NaN/Inf`);
    return out;
  };
}

/** valLoss, valAccuracy (classification losses) and val<Metric> on the validation set, in inference mode. */
function validationMetrics(model: tf.LayersModel, v: Dataset, batchSize: number, lossName: LossName | LossFn, lossFn: LossFn, metricFns: Record<string, MetricFn>): Record<string, number> {
  const metrics: Record<string, number> = {};
  const pred = predictBatched(model, v.x, batchSize);
  try {
    metrics.valLoss = tf.tidy(() => lossFn(v.y, pred).dataSync()[0]);
    const acc = accuracyFor(lossName, v.y, pred);
    if (acc !== null) metrics.valAccuracy = acc;
    for (const [k, fn] of Object.entries(metricFns)) metrics[`val${cap(k)}`] = tf.tidy(() => fn(v.y, pred));
  } finally {
    pred.dispose();
  }
  return metrics;
}
