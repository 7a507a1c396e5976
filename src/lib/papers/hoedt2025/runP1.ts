/**
 * One P1 run (arXiv 2508.03780) for a trained model: clean test metrics (Table 1), the attack as
 * the authors' code runs it (unbounded) and the bounded variant (Fig. 3), summarised as a P1Run.
 * The code-variant attack is returned too (predictions for Fig. 4 and the mid-level analysis);
 * its xAdv and x are disposed unless `keep` is set.
 *
 * @example
 *   const { run, attack } = await runP1(trained, data, cfg, { keep: true });
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

export async function runP1(t: TrainedMer, data: P1Data, cfg: P1Config, options: { keep?: boolean; bounded?: boolean } = {}): Promise<{ run: P1Run; attack: MerAttack }> {
  checkOptions('runP1', options, ['keep', 'bounded']);
  const ev = evaluateMer(t.model, data.test);
  const a = await attackMer(t.model, data.test, { steps: cfg.attack.steps, lr: cfg.attack.lr, clip: 'code', examples: cfg.attack.examples });
  let bounded: P1Run['bounded'] = null;
  if (options.bounded ?? true) {
    const b = await attackMer(t.model, data.test, { steps: cfg.attack.steps, lr: cfg.attack.lr, clip: 'bounded', eps: cfg.boundedEps, examples: cfg.attack.examples });
    bounded = { maeIncrease: b.maeIncrease, corrAfter: b.corrAfter, snrDb: b.snrMedian };
    tf.dispose([b.xAdv, b.x]);
  }
  if (!options.keep) tf.dispose([a.xAdv, a.x]);
  return {
    run: {
      kind: t.kind, seed: t.seed, corr: ev.corr, mae: ev.mae, trainSeconds: t.seconds,
      maeIncrease: a.maeIncrease, corrAfter: a.corrAfter, snrDb: a.snrMedian, perSongMaeAdv: a.perSongMaeAdv, bounded,
    },
    attack: a,
  };
}
