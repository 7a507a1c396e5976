/**
 * §4 of the P3 notebook as one step: the activation-sensitivity profile (activationSensitivityProfile:
 * every layer of cfg.profile.layers, PGD Linf eps = the synth training eps, seed 0) of each family's
 * first-seed model on the first cfg.profile.n test images, and its two tables: the standard model
 * per layer (relative change, adversarial vs random of equal L2 size) and every family side by side
 * (adversarial change / spread and adversarial / random ratio per layer, PGD flip rate).
 *
 * @example
 *   const profiles = await familySensitivity(synthModels, data.synthTest, cfg);
 *   layerSensitivityRows(profiles[0].profile);  familySensitivityRows(profiles);
 */
import type { ImageSet } from '../../data';
import { toTensors } from '../../data';
import { activationSensitivityProfile } from './activationSensitivityProfile';
import type { SensitivityProfile } from './activationSensitivityProfile';
import type { P3Config } from './config';
import type { TrainedFamily } from './trainFamily';

export interface FamilyProfile {
  /** Family label ('standard', 'PGD-AT', ...). */
  family: string;
  profile: SensitivityProfile;
}

/** Profiles of the first seed's model of every family, in training order (standard first). */
export async function familySensitivity(models: TrainedFamily[], test: ImageSet, cfg: P3Config): Promise<FamilyProfile[]> {
  const t = toTensors(test);
  const n = Math.min(cfg.profile.n, test.shape[0]);
  const x = t.x.slice(0, n);
  const y = t.y.slice(0, n);
  try {
    const out: FamilyProfile[] = [];
    for (const m of models.filter((q) => q.seed === cfg.seeds[0])) {
      out.push({ family: m.family.label, profile: await activationSensitivityProfile(m.model, x, y, { layers: cfg.profile.layers, eps: cfg.train.eps.synth, steps: cfg.profile.steps, seed: 0 }) });
    }
    return out;
  } finally {
    for (const v of [t.x, t.y, x, y]) v.dispose();
  }
}

/** One model's profile per layer: relative change under PGD and under random noise of equal L2 size, their ratio, neurons. */
export function layerSensitivityRows(p: SensitivityProfile): { layer: string; adversarial: number; random: number; ratio: number; neurons: number }[] {
  return p.layers.map((l) => ({ layer: l.layer, adversarial: l.relAdv, random: l.relRand, ratio: l.relAdv / l.relRand, neurons: l.neuronAdv.length }));
}

/** Every family side by side: per layer adversarial change / spread, then per layer adversarial / random ratio, then the PGD flip rate. */
export function familySensitivityRows(profiles: FamilyProfile[]): Record<string, string | number>[] {
  return profiles.map(({ family, profile: p }) => ({
    family,
    ...Object.fromEntries(p.layers.map((l) => [`${l.layer} adv ÷ spread`, l.spreadAdv])),
    ...Object.fromEntries(p.layers.map((l) => [`${l.layer} adv/rand`, l.relAdv / l.relRand])),
    'PGD flip rate': p.flipRate,
  }));
}
