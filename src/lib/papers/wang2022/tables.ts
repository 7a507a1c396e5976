/**
 * Two of the P4 notebook's tables as pure builders from computed results: the synthetic images per
 * class (train, test, and dark objects among the test images: the polarity a model must not read
 * the class from), and the robustness ladder (how each rung was trained, its clean accuracy).
 *
 * @example
 *   report.showTable(classCounts(data.synthTrain, data.synthTest), { title: 'Synthetic images per class' });
 *   report.showTable(ladderTable(ladder, cleanAcc), { title: 'The ladder' });
 */
import type { SynthImageSet } from '../../data';
import type { Rung } from './trainLadder';

/** Per class: training images, test images, and test images with a dark object. */
export function classCounts(train: SynthImageSet, test: SynthImageSet): { class: string; train: number; test: number; darkTest: number }[] {
  return test.classes.map((c, k) => ({
    class: c,
    train: train.y.filter((v) => v === k).length,
    test: test.y.filter((v) => v === k).length,
    darkTest: test.y.filter((v, i) => v === k && test.signs[i] < 0).length,
  }));
}

/** Per rung: name, training eps, what it was initialised from, epochs, eps warm-up, last training loss, clean accuracy, seconds, cached. */
export function ladderTable(ladder: Rung[], cleanAcc: number[]): Record<string, string | number>[] {
  if (cleanAcc.length !== ladder.length) throw new Error(`ladderTable: ${ladder.length} rungs but ${cleanAcc.length} accuracies.`);
  return ladder.map((m, i) => ({
    model: m.name, trainEps: m.eps, initialisedFrom: m.init ?? 'scratch', epochs: m.epochs, epsWarmupEpochs: m.warmupEpochs, finalTrainLoss: m.finalLoss, cleanAcc: cleanAcc[i],
    trainSeconds: m.seconds, cached: String(m.cached),
  }));
}
