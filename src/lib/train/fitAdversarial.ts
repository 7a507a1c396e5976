/**
 * Adversarial training with an attack supplied by the caller (the attacks module supplies PGD).
 *
 * mode 'madry' (Madry et al. 2018, arXiv 1706.06083): on scheduled epochs every step trains on
 *   the adversarial batch only: min_theta mean_i L(f(x_i + delta_i*), y_i), delta* = attack(f, x, y).
 * mode 'extraStep' (P1, arXiv 2508.03780): every step is a clean step; on scheduled epochs the
 *   adversaries are crafted after it (with the updated weights) and one extra step is taken on them.
 * Scheduled epochs: every `scheduleEvery`-th, 1-based (k = 5: epochs 5, 10, ...); k = 1: all.
 * The attack sees the model in inference mode (its own concern) and gets { seed, epoch, step }.
 * History gets 'advLoss' (mean loss on adversarial batches over the epoch's adversarial steps).
 *
 * @example
 *   await fitAdversarial(model, train, { attack: (m, x, y) => pgdLinf(m, x, y, { eps: 0.1 }).xAdv,
 *     mode: 'extraStep', scheduleEvery: 5, epochs: 50, loss: merLoss({ w: 1 }) });
 */
import * as tf from '@tensorflow/tfjs';
import { Dataset } from './evaluate';
import { FitOptions, FitResult, StepContext, StepOut, runLoop } from './loop';

export type AttackFn = (
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  context: { seed: number; epoch: number; step: number },
) => tf.Tensor | { xAdv: tf.Tensor };

export interface FitAdversarialOptions extends FitOptions {
  attack: AttackFn;
  /** Default 'madry'. */
  mode?: 'madry' | 'extraStep';
  /** Adversarial work on every k-th epoch (1-based). Default 1. */
  scheduleEvery?: number;
}

/** Run the attack and keep only xAdv (other tensors it returns are disposed). */
export function craft(attack: AttackFn, ctx: StepContext): tf.Tensor {
  return tf.tidy(() => {
    const r = attack(ctx.model, ctx.x, ctx.y, { seed: ctx.seed, epoch: ctx.epoch, step: ctx.step });
    const xAdv = r instanceof tf.Tensor ? r : r?.xAdv;
    if (!(xAdv instanceof tf.Tensor)) throw new Error('fitAdversarial: attack must return a tf.Tensor or { xAdv }');
    if (xAdv.shape.join() !== ctx.x.shape.join()) throw new Error(`fitAdversarial: attack returned shape [${xAdv.shape}], expected [${ctx.x.shape}]`);
    return xAdv;
  });
}

export async function fitAdversarial(model: tf.LayersModel, train: Dataset, options: FitAdversarialOptions): Promise<FitResult> {
  const { attack, mode = 'madry', scheduleEvery = 1 } = options ?? ({} as FitAdversarialOptions);
  if (typeof attack !== 'function') throw new Error('fitAdversarial: options.attack must be a function (model, x, y) => xAdv');
  if (mode !== 'madry' && mode !== 'extraStep') throw new Error(`fitAdversarial: mode must be 'madry' or 'extraStep', got ${mode}`);
  if (!(Number.isInteger(scheduleEvery) && scheduleEvery >= 1)) throw new Error(`fitAdversarial: scheduleEvery must be an integer >= 1, got ${scheduleEvery}`);
  const stepLoss = (ctx: StepContext, x: tf.Tensor) => () => ({ loss: ctx.lossFn(ctx.y, ctx.model.apply(x, { training: true }) as tf.Tensor) });
  return runLoop('fitAdversarial', model, train, options as unknown as FitOptions & Record<string, unknown>, ['attack', 'mode', 'scheduleEvery'], (ctx): StepOut => {
    const scheduled = ctx.epoch % scheduleEvery === 0;
    if (!scheduled) return ctx.minimize(stepLoss(ctx, ctx.x));
    if (mode === 'madry') {
      const adv = ctx.minimize(stepLoss(ctx, craft(attack, ctx)));
      return { loss: adv.loss, parts: { advLoss: adv.loss } };
    }
    const clean = ctx.minimize(stepLoss(ctx, ctx.x));
    const adv = ctx.minimize(stepLoss(ctx, craft(attack, ctx)));
    return { loss: clean.loss, parts: { advLoss: adv.loss } };
  });
}
