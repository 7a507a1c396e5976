/**
 * The robustness ladder of P4 (arXiv 2103.11257): one model per L2 training budget in
 * ladder.epsilons (0 = standard training), each cached by trainClassifier under
 * models/<prefix>_eps<eps>, with a progress bar per rung. With ladder.fineTuneEpochs > 0 the
 * robust rungs start from the standard model's weights and train adversarially for that many
 * epochs (adversarial fine-tuning: cheaper, and it avoids the long plateau that small nets show
 * when adversarial training starts from scratch); with ladder.chain each robust rung starts from
 * the rung below instead (a curriculum over eps: eps 1 starts from the eps 0.5 model); 0 trains
 * every rung from scratch. Each rung reports its final training loss for the masking checks.
 *
 * @example
 *   const rungs = await trainLadder('p4_synth_demo', { x, y }, { ladder: cfg.ladder, inputShape: [32, 32, 1], classes: 4 });
 *   rungs.map((r) => r.name); // ['standard', 'L2 eps 0.25', ...]
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { progress } from '../../report';
import type { Dataset } from '../../train';
import type { LadderConfig } from './config';
import { trainClassifier } from './trainClassifier';

export interface Rung {
  /** 'standard' or 'L2 eps <eps>'. */
  name: string;
  eps: number;
  model: tf.LayersModel;
  /** Training seconds (from the card when cached). */
  seconds: number;
  cached: boolean;
  /** Mean training loss of the last epoch (on adversarial batches for eps > 0). */
  finalLoss: number;
  /** Which model the rung was initialised from (null: from scratch). */
  init: string | null;
  /** The rung's cache config (part of the next rung's key when chained). */
  config: unknown;
  /** Epochs it trained (fine-tune epochs for a fine-tuned rung) and its eps warm-up epochs (0: none). */
  epochs: number;
  warmupEpochs: number;
}

export interface TrainLadderOptions {
  ladder: LadderConfig;
  inputShape: number[];
  classes: number;
  seed?: number;
  data?: unknown;
  dir?: string;
  /** Show progress bars (default true). */
  showProgress?: boolean;
}

export async function trainLadder(prefix: string, train: Dataset, options: TrainLadderOptions): Promise<Rung[]> {
  const where = 'trainLadder';
  checkOptions(where, options, ['ladder', 'inputShape', 'classes', 'seed', 'data', 'dir', 'showProgress']);
  const { ladder, inputShape, classes, seed = 0, data, dir, showProgress = true } = options;
  const eps = ladder.epsilons;
  if (!Array.isArray(eps) || eps.length === 0) throw new Error(`${where}: ladder.epsilons must be a non-empty list.`);
  const ft = ladder.fineTuneEpochs ?? 0;
  if (ft > 0 && eps[0] !== 0) throw new Error(`${where}: fine-tuning starts from the standard model, so ladder.epsilons must start with 0.`);
  const rungs: Rung[] = [];
  for (const e of eps) {
    const name = `${prefix}_eps${e}`;
    const from = ladder.chain ? rungs[rungs.length - 1] : rungs[0];
    const init = e > 0 && ft > 0 ? { name: `${prefix}_eps${from.eps}`, model: from.model, config: from.config } : undefined;
    const over = e > 0 ? ladder.perRung?.[String(e)] ?? {} : {};
    const rl = { ...ladder, ...over, perRung: undefined };
    const lad = init ? { ...rl, epochs: rl.fineTuneEpochs, lr: rl.fineTuneLr ?? rl.lr } : rl;
    const bar = showProgress ? progress(lad.epochs, `train ${name}${init ? ' (fine-tune)' : ''}`) : undefined;
    const r = await trainClassifier(name, train, {
      ladder: lad, eps: e, init, epsFrom: init ? from.eps : 0, inputShape, classes, seed, data, ...(dir ? { dir } : {}),
      onEpoch: (p) => bar?.tick({ loss: p.loss }),
    });
    bar?.done();
    const last = r.history[r.history.length - 1];
    rungs.push({ name: e === 0 ? 'standard' : `L2 eps ${e}`, eps: e, model: r.model, seconds: r.seconds, cached: r.cached, finalLoss: Number(last?.loss ?? NaN), init: init?.name ?? null, config: r.config, epochs: lad.epochs, warmupEpochs: e > 0 ? lad.warmupEpochs ?? 0 : 0 });
  }
  return rungs;
}
