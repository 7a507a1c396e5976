/**
 * One rung of the robustness ladder: a classifier trained with standard training (eps = 0) or
 * L2 PGD adversarial training (Madry et al. 2018, arXiv 1706.06083, as in P4, arXiv 2103.11257):
 *
 *   eps = 0:  min_theta E CE(f(x), y)
 *   eps > 0:  min_theta E max_{||delta||_2 <= eps} CE(f(x + delta), y)   (inner max by attacks' pgdTrainingAttack, norm 'l2')
 *
 * with a step learning-rate schedule (lr, then lr/10, lr/100 at the fractions ladder.lrSteps of the
 * epochs), cached under models/<name> with models.getOrTrain (the config identifies the model).
 * With `init`, training starts from another model's weights (adversarial fine-tuning, a cheaper
 * route to a robust model; the init model's name is part of the cache key). The per-epoch history
 * (training loss, on adversarial batches for eps > 0) comes back for the masking checks.
 *
 * @example
 *   const r = await trainClassifier('p4_synth_eps0.5', train, { ladder: cfg.ladder, eps: 0.5, inputShape: [32, 32, 3], classes: 4 });
 *   r.model; r.cached; r.seconds;
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { getOrTrain, resNetSmall, smallCnn } from '../../models';
import { fit, fitAdversarial } from '../../train';
import type { AttackFn, Dataset } from '../../train';
import { pgdTrainingAttack } from '../../attacks/pgdTrainingAttack';
import type { LadderConfig } from './config';

export interface TrainClassifierOptions {
  /** Architecture and schedule (its epsilons list is ignored: eps picks the rung). */
  ladder: LadderConfig;
  inputShape: number[];
  classes: number;
  /** L2 training budget; 0 = standard training. */
  eps: number;
  seed?: number;
  /** Description of the training data (stored in the model card and part of the cache key). */
  data?: unknown;
  /** Start from these weights (same architecture); `name` and `config` (the init model's cache config) are part of the cache key. */
  init?: { name: string; model: tf.LayersModel; config?: unknown };
  /** Start of the eps warm-up (ladder.warmupEpochs > 0): the budget of the first epochs ramps from here to eps (default 0). */
  epsFrom?: number;
  /** Models folder (default models/ or ROBUSTLENS_MODELS). */
  dir?: string;
  onEpoch?: (p: { epoch: number; epochs: number; loss: number }) => void;
}

export interface TrainClassifierResult {
  model: tf.LayersModel;
  cached: boolean;
  /** Training seconds (from the model card when cached). */
  seconds: number;
  /** Per epoch: 'loss' (mean training loss; on the adversarial batches when eps > 0), 'lr'. */
  history: Record<string, number>[];
  /** The config the model is cached under (an init for the next rung names it). */
  config: unknown;
}

/** The step schedule: lr, divided by 10 at each fraction in `steps` of the epochs (1-based epochs). */
export function stepSchedule(lr: number, steps: number[]): (epoch: number, epochs: number) => number {
  return (epoch, epochs) => lr / 10 ** steps.filter((f) => epoch > Math.round(f * epochs)).length;
}

const KNOWN = ['ladder', 'inputShape', 'classes', 'eps', 'seed', 'data', 'init', 'epsFrom', 'dir', 'onEpoch'];

/** The eps warm-up: epoch e (1-based) of W trains at epsFrom + (eps - epsFrom) * min(1, e / W); W = 0: eps throughout. */
export function warmupEps(eps: number, epsFrom: number, warmupEpochs: number): (epoch: number) => number {
  return (epoch) => (warmupEpochs > 0 ? epsFrom + (eps - epsFrom) * Math.min(1, epoch / warmupEpochs) : eps);
}

export async function trainClassifier(name: string, train: Dataset, options: TrainClassifierOptions): Promise<TrainClassifierResult> {
  const where = 'trainClassifier';
  checkOptions(where, options, KNOWN);
  const { ladder, inputShape, classes, eps, seed = 0, data, init, epsFrom = 0, dir, onEpoch } = options;
  if (!ladder || typeof ladder !== 'object') throw new Error(`${where}: option "ladder" (architecture and schedule) is required.`);
  const { arch, width, epochs, batchSize, lr, pgdSteps, lrSteps = [], warmupEpochs = 0 } = ladder;
  if (arch !== 'smallCnn' && arch !== 'resNetSmall') throw new Error(`${where}: arch must be 'smallCnn' or 'resNetSmall', got ${JSON.stringify(arch)}.`);
  if (!(Number.isFinite(eps) && eps >= 0)) throw new Error(`${where}: eps must be >= 0, got ${eps}.`);
  if (!Array.isArray(lrSteps) || lrSteps.some((f) => !(f > 0 && f < 1))) throw new Error(`${where}: ladder.lrSteps must be fractions in (0, 1), got ${JSON.stringify(lrSteps)}.`);
  if (!(Number.isInteger(warmupEpochs) && warmupEpochs >= 0)) throw new Error(`${where}: ladder.warmupEpochs must be a non-negative integer, got ${warmupEpochs}.`);
  if (!(Number.isFinite(epsFrom) && epsFrom >= 0 && epsFrom <= eps)) throw new Error(`${where}: epsFrom must be in [0, eps], got ${epsFrom}.`);
  const warm = eps > 0 && warmupEpochs > 0;
  const cfg = { arch, width, inputShape, classes, eps, epochs, batchSize, lr, lrSteps, pgdSteps: eps > 0 ? pgdSteps : 0, seed, data: data ?? null, training: eps > 0 ? 'madry-pgd-l2' : 'standard', init: init ? { name: init.name, config: init.config ?? null } : null, ...(warm ? { warmup: { epochs: warmupEpochs, epsFrom } } : {}) };
  const r = await getOrTrain(name, cfg, async () => {
    const model = arch === 'smallCnn' ? smallCnn({ inputShape, classes, width, seed }) : resNetSmall({ inputShape, classes, width, seed });
    if (init) {
      const w = init.model.getWeights();
      const shapes = model.getWeights().map((t) => t.shape.join('x')).join(',');
      if (w.map((t) => t.shape.join('x')).join(',') !== shapes) throw new Error(`${where}: init model "${init.name}" has other weight shapes than this architecture.`);
      model.setWeights(w);
    }
    const common = { epochs, batchSize, lr, lrSchedule: stepSchedule(lr, lrSteps), seed, onEpoch: onEpoch ? (p: { epoch: number; epochs: number; loss: number }) => onEpoch(p) : undefined };
    // the training budget of each epoch (constant eps without a warm-up); one attack per budget
    const epsAt = warmupEps(eps, epsFrom, warm ? warmupEpochs : 0);
    const attacks = new Map<number, AttackFn>();
    const attack: AttackFn = (m, x, y, ctx) => {
      const e = epsAt(ctx.epoch);
      if (!attacks.has(e)) attacks.set(e, pgdTrainingAttack({ eps: e, norm: 'l2', steps: pgdSteps }));
      return attacks.get(e)!(m, x, y, ctx);
    };
    const res = eps > 0 ? await fitAdversarial(model, train, { ...common, attack }) : await fit(model, train, common);
    return { model, history: res.history.map((h) => ({ epoch: h.epoch, ...h.metrics })) };
  }, { architecture: arch, ...(dir ? { dir } : {}) });
  const history = Array.isArray(r.card.history) ? (r.card.history as Record<string, number>[]) : [];
  return { model: r.model, cached: r.cached, seconds: Number(r.card.trainingSeconds ?? NaN), history, config: r.card.config };
}
