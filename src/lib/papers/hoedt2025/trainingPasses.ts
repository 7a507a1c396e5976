/**
 * The training cost of one P1 model (arXiv 2508.03780) in a deterministic unit: forward+backward
 * passes over training examples, summed over the epochs it ran. The paper's claim is that A2M2E
 * costs a fraction of adversarial training because that training adds attack iterations; this
 * counts exactly those, where wall time on a shared machine would add the load of everything else.
 *
 *   passes = n_train * sum_{e = 1..E} ( 1 + [adversarial and e % k = 0] (s + 1) )
 *
 * E: epochs run (early stopping included); per epoch one clean step per example; on the scheduled
 * epochs of adversarial training (every k-th, 1-based, as fitAdversarial's 'extraStep' mode) also s
 * attack iterations (each one forward+backward pass for the input gradient) and the extra step.
 * Forward-only passes (validation after each epoch, the attack's clean prediction) are not counted.
 *
 * @example trainingPasses({ epochs: 40, nTrain: 240, adversarial: { steps: 5, scheduleEvery: 5 } }); // 240 * (40 + 8 * 6)
 */
import { checkOptions } from '../../engine';

export function trainingPasses(options: { epochs: number; nTrain: number; adversarial: { steps: number; scheduleEvery: number } | null }): number {
  checkOptions('trainingPasses', options, ['epochs', 'nTrain', 'adversarial']);
  const { epochs, nTrain, adversarial } = options;
  if (!(Number.isInteger(epochs) && epochs >= 0)) throw new Error(`trainingPasses: epochs must be a non-negative integer, got ${epochs}.`);
  if (!(Number.isInteger(nTrain) && nTrain >= 0)) throw new Error(`trainingPasses: nTrain must be a non-negative integer, got ${nTrain}.`);
  if (adversarial && !(Number.isInteger(adversarial.scheduleEvery) && adversarial.scheduleEvery >= 1 && Number.isInteger(adversarial.steps) && adversarial.steps >= 0)) {
    throw new Error(`trainingPasses: adversarial needs integer steps >= 0 and scheduleEvery >= 1, got ${JSON.stringify(adversarial)}.`);
  }
  const scheduled = adversarial ? Math.floor(epochs / adversarial.scheduleEvery) : 0;
  return nTrain * (epochs + scheduled * ((adversarial?.steps ?? 0) + 1));
}
