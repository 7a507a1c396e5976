/**
 * The three model families P3 compares, trained with the same budget (epochs, batch size, lr,
 * architecture, data order): standard; adversarially trained (PGD, Madry et al. 2018, arXiv
 * 1706.06083, and TRADES, Zhang et al. 2019, arXiv 1901.08573); regularised by activation
 * sensitivity (our reconstruction of arXiv 2211.08686, one model per lambda):
 *   standard  min CE(f(x), y)
 *   pgd       min CE(f(x + delta*), y),  delta* = PGD_eps(x)
 *   trades    min CE(f(x), y) + beta KL(f(x) || f(x')),  x' = argmax_{B_eps(x)} KL
 *   as        min CE(f(x), y) + lambda sum_l mean_i ||a_l(x_i + eta_i) - a_l(x_i)||_2 / s_l,  eta = PGD_eps(x) on CE
 *             (fitSensitivityRegularised; layers, steps and penalty from the configuration)
 *
 * @example
 *   families(config('demo')) // [{key:'standard'}, {key:'pgd'}, {key:'trades'}, {key:'as-0.01', lambda: 0.01}, ...]
 */
import { P3Config } from './config';

export type FamilyKind = 'standard' | 'pgd' | 'trades' | 'as';

export interface Family {
  /** Stable id, used in model names: 'standard', 'pgd', 'trades', 'as-0.03'. */
  key: string;
  kind: FamilyKind;
  /** Display label: 'standard', 'PGD-AT', 'TRADES', 'AS λ=0.03'. */
  label: string;
  /** The coarse group the claims talk about: standard, robust (adversarially trained) or regularised. */
  group: 'standard' | 'robust' | 'regularised';
  lambda?: number;
}

export function family(kind: FamilyKind, lambda?: number): Family {
  switch (kind) {
    case 'standard': return { key: 'standard', kind, label: 'standard', group: 'standard' };
    case 'pgd': return { key: 'pgd', kind, label: 'PGD-AT', group: 'robust' };
    case 'trades': return { key: 'trades', kind, label: 'TRADES', group: 'robust' };
    case 'as':
      if (!(typeof lambda === 'number' && lambda > 0)) throw new Error(`family: the 'as' family needs lambda > 0, got ${lambda}.`);
      return { key: `as-${lambda}`, kind, label: `AS λ=${lambda}`, group: 'regularised', lambda };
    default: throw new Error(`family: unknown kind "${kind}" (standard, pgd, trades, as).`);
  }
}

/** Every family of a configuration: standard, PGD-AT, TRADES, then one AS model per lambda. */
export function families(cfg: P3Config, lambdas: number[] = cfg.train.lambdas): Family[] {
  return [family('standard'), family('pgd'), family('trades'), ...lambdas.map((l) => family('as', l))];
}
