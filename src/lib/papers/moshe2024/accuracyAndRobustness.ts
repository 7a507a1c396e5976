/**
 * §5 of the P3 notebook as one step, the costs: for every model of every data set, PGD robust
 * accuracy (robustnessSweep, Linf, budgets cfg.sweep.epsScale x the data set's training eps, on the
 * first cfg.sweep.n test images, seeded with the model's seed), clean accuracy on the full test set,
 * and the collapse flags (flagCollapsed: at chance, far below its family's other seeds or below
 * standard training). Flagged synth models are the ones the interpretability statistics leave out.
 *
 * @example
 *   const costs = await accuracyAndRobustness({ synth: synthModels, ...imageModels }, data, cfg);
 *   costs.rows[0] // { dataset: 'synth', family: 'standard', seed: 0, accuracy, classes: 4, trainSeconds, 'robust@0.05': ..., collapsed: false, reason: '' }
 *   costs.excludedText // ['AS λ=0.3 seed 1 (synth): accuracy 0.875 is 11.5 points below ...']
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../data';
import { subsetImages, toTensors } from '../../data';
import { evaluate } from '../../train';
import type { ImageDataset, P3Config } from './config';
import { flagCollapsed } from './flagCollapsed';
import type { CollapseFlag } from './flagCollapsed';
import type { P3Data } from './loadImageSets';
import { robustnessSweep } from './robustnessSweep';
import type { TrainedFamily } from './trainFamily';

/** One point of a model's robustness curve (eps 0 = clean accuracy on the sweep's images). */
export interface RobustnessRow {
  dataset: string;
  family: string;
  seed: number;
  eps: number;
  robustAccuracy: number;
}

/** One model: clean accuracy, robust accuracy at each budget > 0 (`robust@<eps>`), and its collapse flag. */
export type CostRow = {
  dataset: string;
  family: string;
  seed: number;
  /** Clean accuracy on the full test set. */
  accuracy: number;
  classes: number;
  trainSeconds: number;
  /** Robust accuracy at each budget > 0 of the sweep. */
  [robustAtEps: `robust@${number}`]: number;
  collapsed: boolean;
  reason: string;
};

export interface Costs {
  /** Robustness curves of every model (dataset, family, seed, eps, robustAccuracy). */
  sweep: RobustnessRow[];
  /** One row per model, synth first, then the image data sets in the data's order. */
  rows: CostRow[];
  /** Flagged synth models (left out of the interpretability statistics). */
  excluded: CollapseFlag[];
  /** The same, one line each with the reason. */
  excludedText: string[];
}

type Dataset = ImageDataset | 'synth';

export async function accuracyAndRobustness(models: Partial<Record<Dataset, TrainedFamily[]>>, data: P3Data, cfg: P3Config): Promise<Costs> {
  const testOf = (ds: Dataset): ImageSet => {
    const set = ds === 'synth' ? data.synthTest : data.images[ds]?.test;
    if (!set) throw new Error(`accuracyAndRobustness: no test set for "${ds}" in the data.`);
    return set;
  };
  const groups = (Object.entries(models) as [Dataset, TrainedFamily[]][]).map(([ds, ms]) => ({ ds, ms, test: testOf(ds) }));
  const sweep: RobustnessRow[] = [];
  for (const { ds, ms, test } of groups) {
    const t = toTensors(subsetImages(test, Array.from({ length: Math.min(cfg.sweep.n, test.shape[0]) }, (_, i) => i)));
    try {
      const eps = cfg.sweep.epsScale.map((s) => +(s * cfg.train.eps[ds]).toFixed(4));
      for (const m of ms) {
        for (const r of await robustnessSweep(m.model, t.x, t.y, { epsilons: eps, steps: cfg.sweep.steps, seed: m.seed })) {
          sweep.push({ dataset: ds, family: m.family.label, seed: m.seed, eps: r.eps, robustAccuracy: r.robustAccuracy });
        }
      }
    } finally {
      tf.dispose([t.x, t.y]);
    }
  }
  const acc: Omit<CostRow, 'collapsed' | 'reason'>[] = [];
  for (const { ds, ms, test } of groups) {
    const t = toTensors(test);
    try {
      for (const m of ms) {
        acc.push({
          dataset: ds, family: m.family.label, seed: m.seed, accuracy: evaluate(m.model, t).accuracy, classes: test.classes.length, trainSeconds: m.seconds,
          ...Object.fromEntries(sweep.filter((r) => r.dataset === ds && r.family === m.family.label && r.seed === m.seed && r.eps > 0).map((r) => [`robust@${r.eps}`, r.robustAccuracy])),
        });
      }
    } finally {
      tf.dispose([t.x, t.y]);
    }
  }
  const flags = flagCollapsed(acc);
  const rows: CostRow[] = acc.map((r, i) => ({ ...r, collapsed: flags[i].collapsed, reason: flags[i].reason }));
  const excluded = flags.filter((f) => f.dataset === 'synth' && f.collapsed);
  return { sweep, rows, excluded, excludedText: excluded.map((f) => `${f.family} seed ${f.seed} (synth): ${f.reason}`) };
}
