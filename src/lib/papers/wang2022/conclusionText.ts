/**
 * The closing prose of the P4 notebook, built from the claim rows and the settings only (it says
 * nothing the rows do not): the verdict count (the verdicts themselves stand beside their criteria
 * in the claims table) and how our setup differs from the paper's (computed from the config).
 *
 * @example
 *   report.markdown(conclusionText(rows, { cfg, rungs: ladder.length, passed: m.passed.filter(Boolean).length }));
 */
import type { Claim } from '../../stats';
import type { P4Config } from './config';
import { PAPER } from './config';

export function conclusionText(rows: Claim[], ctx: { cfg: P4Config; rungs: number; passed: number; nEval: number }): string {
  const { cfg } = ctx;
  const count = (v: string) => rows.filter((r) => r.verdict === v).length;
  const P = PAPER.boundarySearch;
  const B = cfg.boundary;
  return [
    `**${count('holds')} of ${rows.length} checks hold** at ${cfg.scale} scale (${ctx.nEval} evaluation images; ${ctx.passed} of ${ctx.rungs} rungs passed the masking checks)` +
      `; ${count('not shown')} not shown, ${count('reversed')} reversed, ${count('too few')} too few, ${count('not tested')} not tested` +
      ' (each verdict with its criterion and our numbers in the claims table above).',
    '',
    `Where our setup differs from the paper's: ${cfg.synth.size}x${cfg.synth.size} synthetic images with planted objects and ${cfg.ladder.arch} models ` +
      `instead of ImageNet / CIFAR ResNets; robust rungs ${cfg.ladder.fineTuneEpochs > 0 ? `fine-tuned adversarially for ${cfg.ladder.fineTuneEpochs} epochs (PGD-${cfg.ladder.pgdSteps})` : `trained from scratch (PGD-${cfg.ladder.pgdSteps})`}` +
      Object.entries(cfg.ladder.perRung ?? {}).map(([e, o]) => `, eps ${e} ${o.fineTuneEpochs ?? cfg.ladder.fineTuneEpochs} epochs${o.warmupEpochs ? ` with a ${o.warmupEpochs}-epoch eps warm-up` : ''}`).join('') + '; ' +
      `boundary search with ${B.steps} PGD steps per budget (theirs ${P.pgdSteps}) over ${B.epsilons.length} budgets up to ${Math.max(...B.epsilons)} (theirs up to ${Math.max(...P.pgdEpsilons).toFixed(1)}), ` +
      `C&W-L2 ${B.cw.binarySearchSteps} x ${B.cw.steps} steps (theirs ${P.cwBinarySearchSteps} x ${P.cwSteps}, kept only within L2 ${P.cwMaxL2}), then bisection onto the boundary (ours); ` +
      `IG/BIG ${cfg.ig.steps} steps and SmoothGrad / BSG ${cfg.smoothGrad.n} samples (theirs ${PAPER.attributions.igSteps} and ${PAPER.attributions.smoothGradSamples})` +
      (cfg.smoothGrad.sigma !== undefined ? ` with noise sd ${cfg.smoothGrad.sigma.toFixed(3)} per pixel (theirs ${PAPER.attributions.smoothGradStdev} on ImageNet-normalised inputs)` : ` with noise sd ${cfg.smoothGrad.noiseLevel} x the image range (theirs ${PAPER.attributions.smoothGradStdev} absolute on ImageNet-normalised inputs)`) + '; ' +
      `the paper's exact table values were not verified, so only directions are compared.`,
  ].join('\n');
}
