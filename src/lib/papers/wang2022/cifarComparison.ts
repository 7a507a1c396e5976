/**
 * Section "CIFAR-10" of the P4 notebook: the recipe on natural images (no boxes, so accuracy,
 * boundary distance, robust accuracy and a look at the maps): a standard and an adversarially
 * fine-tuned model (trainLadder), the authors' boundary search (PGD over budgets + C&W, refined)
 * on the first nEval test images, the same masking checks as the synthetic ladder (maskingChecks:
 * training loss below ln 10, clean accuracy floor, zero-gradient share, black-box >= white-box robust
 * accuracy), and map grids (saliency, IG, BSM, BIG) of the first four.
 *
 * @example
 *   const c = await cifarComparison(data.cifar, cfg);   report.showTable(c.rows); for (const f of c.figures) await report.showFigure(f.spec, f.name);
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../data';
import { accuracy } from '../../metrics';
import { mapGridFigure } from '../../report';
import type { FigureSpec } from '../../report';
import { attributionMaps, disposeMaps } from './attributionMaps';
import type { P4Config } from './config';
import { mapPanels } from './mapPanels';
import { maskingChecks } from './maskingChecks';
import type { MaskingRow } from './maskingChecks';
import { searchBoundaries } from './searchBoundaries';
import { trainLadder } from './trainLadder';

export interface CifarStep {
  rows: Record<string, string | number>[];
  /** The masking checks per model (maskingChecks rows; the floor is cifar.minCleanAcc). */
  masking: MaskingRow[];
  passed: boolean[];
  figures: { spec: FigureSpec; name: string }[];
}

export async function cifarComparison(
  cifar: { trainSet: ImageSet; testSet: ImageSet; train: { x: tf.Tensor; y: tf.Tensor }; test: { x: tf.Tensor; y: tf.Tensor }; source: string },
  cfg: P4Config,
): Promise<CifarStep> {
  const C = cfg.cifar;
  const models = await trainLadder(`p4_cifar_${cfg.scale}`, cifar.train, {
    ladder: C.ladder, inputShape: [32, 32, 3], classes: 10, seed: cfg.seed, data: { cifar: C.source, nTrain: cifar.trainSet.shape[0] },
  });
  const n = Math.min(C.nEval, cifar.testSet.shape[0]);
  const ev = { x: cifar.test.x.slice(0, n), y: Array.from(cifar.testSet.y.slice(0, n)) };
  const b = await searchBoundaries(models, ev, cfg, { showProgress: false });
  const out: CifarStep = { rows: [], masking: [], passed: [], figures: [] };
  try {
    const cleanAcc = models.map((m) => accuracy(m.model, cifar.test.x, cifar.test.y).value);
    models.forEach((m, i) => out.rows.push({ ...b.rows[i], cleanAcc: cleanAcc[i], testImages: cifar.testSet.shape[0] }));
    const mc = await maskingChecks(models, {
      x: ev.x, y: ev.y, searches: b.searches, cleanAcc, classes: 10, masking: { ...cfg.masking, minCleanAcc: C.minCleanAcc }, budgets: cfg.attackEpsilons, seed: cfg.seed,
    });
    out.masking = mc.rows;
    out.passed = mc.passed;
    const k = Math.min(4, n);
    const xs = ev.x.slice(0, k);
    try {
      for (let i = 0; i < models.length; i++) {
        const pred = b.pred[i].slice(0, k);
        const xb = b.searches[i].xBoundary.slice(0, k);
        const r = await attributionMaps(models[i].model, xs, { target: pred, boundary: xb, methods: ['saliency', 'ig', 'bsm', 'big'], igSteps: cfg.ig.steps });
        xb.dispose();
        const flat = Object.fromEntries(Object.entries(r.maps).map(([key, v]) => [key, (v as tf.Tensor).dataSync() as Float32Array]));
        disposeMaps(r.maps);
        const labels = pred.map((p, j) => `${cifar.testSet.classes[cifar.testSet.y[j]]} (pred ${cifar.testSet.classes[p]})`);
        const g = mapPanels(xs.dataSync() as Float32Array, xs.shape, flat, { labels });
        out.figures.push({ spec: mapGridFigure({ maps: g.maps, cols: g.cols, title: `CIFAR-10, ${models[i].name} model`, cellSize: 110 }), name: `p4_cifar_maps_${models[i].eps === 0 ? 'standard' : 'robust'}` });
      }
    } finally {
      xs.dispose();
    }
  } finally {
    b.dispose();
    ev.x.dispose();
  }
  return out;
}
