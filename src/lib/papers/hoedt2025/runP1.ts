/**
 * One P1 run (arXiv 2508.03780) for a trained model: clean test metrics (Table 1), the attack as
 * the authors' code runs it (unbounded) and the bounded variant, each as an AttackRun of per-excerpt
 * records (the input of every P1 statistic). The code-variant attack is returned too (inputs and
 * full outputs for listening, Fig. 4 and the mid-level analysis); its xAdv and x are disposed
 * unless `keep` is set.
 *
 * @example
 *   const { run, attack } = await runP1(trained, data, cfg, { keep: true });
 *   maeIncrease(run.code.excerpts, 'last');
 */
import { checkOptions } from '../../engine';
import * as tf from '@tensorflow/tfjs';
import type { P1Config } from './config';
import type { P1Data } from './loadP1Data';
import type { TrainedMer } from './trainMer';
import { evaluateMer } from './evaluateMer';
import { attackMer } from './attackMer';
import type { MerAttack } from './attackMer';
import type { P1Run } from './summaries';
import { kindSpec } from './trainMer';
import { trainingPasses } from './trainingPasses';

export async function runP1(t: TrainedMer, data: P1Data, cfg: P1Config, options: { keep?: boolean; bounded?: boolean } = {}): Promise<{ run: P1Run; attack: MerAttack }> {
  checkOptions('runP1', options, ['keep', 'bounded']);
  const ev = evaluateMer(t.model, data.test);
  const split = { x: data.test.x, y: data.test.y, ids: data.test.ids };
  const a = await attackMer(t.model, split, { steps: cfg.attack.steps, lr: cfg.attack.lr, clip: 'code', examples: cfg.attack.examples });
  let bounded: P1Run['bounded'] = null;
  try {
    if (options.bounded ?? true) {
      const b = await attackMer(t.model, split, { steps: cfg.attack.steps, lr: cfg.attack.lr, clip: 'bounded', eps: cfg.boundedEps, examples: cfg.attack.examples });
      bounded = { kind: t.kind, seed: t.seed, excerpts: b.excerpts };
      tf.dispose([b.xAdv, b.x]);
    }
  } catch (e) {
    tf.dispose([a.xAdv, a.x]);
    throw e;
  }
  if (!options.keep) tf.dispose([a.xAdv, a.x]);
  return {
    run: { kind: t.kind, seed: t.seed, corr: ev.corr, mae: ev.mae, trainSeconds: t.seconds,
      trainPasses: trainingPasses({ epochs: t.epochs, nTrain: data.train.ids.length, adversarial: kindSpec(t.kind).adversarial ? { steps: cfg.advAttack.steps, scheduleEvery: cfg.scheduleEvery } : null }),
      code: { kind: t.kind, seed: t.seed, excerpts: a.excerpts }, bounded },
    attack: a,
  };
}
