/**
 * One rung of the robustness ladder: a classifier trained with standard training (eps = 0) or
 * L2 PGD adversarial training (Madry et al. 2018, arXiv 1706.06083, as in P4, arXiv 2103.11257):
 *
 *   eps = 0:  min_theta E CE(f(x), y)
 *   eps > 0:  min_theta E max_{||delta||_2 <= eps} CE(f(x + delta), y)   (inner max by pgdL2Attack)
 *
 * cached under models/<name> with models.getOrTrain (the config identifies the model). With `init`,
 * training starts from another model's weights (adversarial fine-tuning of a standard model, a
 * cheaper route to a robust model; the init model's name is part of the cache key).
 *
 * @example
 *   const r = await trainClassifier('p4_synth_eps0.5', train, { ladder: cfg.ladder, eps: 0.5, inputShape: [32, 32, 3], classes: 4 });
 *   r.model; r.cached; r.seconds;
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { getOrTrain, resNetSmall, smallCnn } from '../../models';
import { fit, fitAdversarial } from '../../train';
import type { Dataset } from '../../train';
import { pgdL2Attack } from './pgdL2Attack';
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
  /** Start from these weights (same architecture); `name` identifies them in the cache key. */
  init?: { name: string; model: tf.LayersModel };
  /** Models folder (default models/ or ROBUSTLENS_MODELS). */
  dir?: string;
  onEpoch?: (p: { epoch: number; epochs: number; loss: number }) => void;
}

export interface TrainClassifierResult {
  model: tf.LayersModel;
  cached: boolean;
  /** Training seconds (from the model card when cached). */
  seconds: number;
}

const KNOWN = ['ladder', 'inputShape', 'classes', 'eps', 'seed', 'data', 'init', 'dir', 'onEpoch'];

export async function trainClassifier(name: string, train: Dataset, options: TrainClassifierOptions): Promise<TrainClassifierResult> {
  const where = 'trainClassifier';
  checkOptions(where, options, KNOWN);
  const { ladder, inputShape, classes, eps, seed = 0, data, init, dir, onEpoch } = options;
  if (!ladder || typeof ladder !== 'object') throw new Error(`${where}: option "ladder" (architecture and schedule) is required.`);
  const { arch, width, epochs, batchSize, lr, pgdSteps } = ladder;
  if (arch !== 'smallCnn' && arch !== 'resNetSmall') throw new Error(`${where}: arch must be 'smallCnn' or 'resNetSmall', got ${JSON.stringify(arch)}.`);
  if (!(Number.isFinite(eps) && eps >= 0)) throw new Error(`${where}: eps must be >= 0, got ${eps}.`);
  const cfg = { arch, width, inputShape, classes, eps, epochs, batchSize, lr, pgdSteps: eps > 0 ? pgdSteps : 0, seed, data: data ?? null, training: eps > 0 ? 'madry-pgd-l2' : 'standard', init: init?.name ?? null };
  const r = await getOrTrain(name, cfg, async () => {
    const model = arch === 'smallCnn' ? smallCnn({ inputShape, classes, width, seed }) : resNetSmall({ inputShape, classes, width, seed });
    if (init) {
      const w = init.model.getWeights();
      const shapes = model.getWeights().map((t) => t.shape.join('x')).join(',');
      if (w.map((t) => t.shape.join('x')).join(',') !== shapes) throw new Error(`${where}: init model "${init.name}" has other weight shapes than this architecture.`);
      model.setWeights(w);
    }
    const common = { epochs, batchSize, lr, seed, onEpoch: onEpoch ? (p: { epoch: number; epochs: number; loss: number }) => onEpoch(p) : undefined };
    const res = eps > 0 ? await fitAdversarial(model, train, { ...common, attack: pgdL2Attack({ eps, steps: pgdSteps }) }) : await fit(model, train, common);
    return { model, history: res.history.map((h) => ({ epoch: h.epoch, ...h.metrics })) };
  }, { architecture: arch, ...(dir ? { dir } : {}) });
  return { model: r.model, cached: r.cached, seconds: Number(r.card.trainingSeconds ?? NaN) };
}
