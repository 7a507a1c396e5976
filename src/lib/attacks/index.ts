/**
 * Adversarial attacks: one shape for all, (model, x, y, options) => Promise<AttackResult>
 * (conventions #1, #2). Norms, projection, success checking and budget sweeps are shared.
 */
export type { AttackResult, Attack, Labels, Range, LossName, LossFn, LossSpec, SuccessFn } from './types';
export { linf, l2, resolveNorm } from './norms';
export type { Norm } from './norms';
export { perExampleLoss } from './losses';
export { isAdversarial } from './isAdversarial';
export type { IsAdversarialOptions } from './isAdversarial';
export { perturbationSizes } from './perturbationSizes';
export type { PerturbationSizes } from './perturbationSizes';
export { snrEps } from './snrEps';
export { pgd, pgdSync } from './pgd';
export { overBudgets, successByBudget } from './overBudgets';
export type { BudgetsResult, OverBudgetsOptions, SuccessByBudget } from './overBudgets';
export { pgdTrainingAttack, rampedEps } from './pgdTrainingAttack';
export type { PgdTrainingAttackOptions } from './pgdTrainingAttack';
export type { PgdOptions, PgdResult } from './pgd';
export { fgsm } from './fgsm';
export type { FgsmOptions } from './fgsm';
export { sweep } from './sweep';
export type { SweepResult } from './sweep';
export { cwL2 } from './cwL2';
export type { CwL2Options, CwL2Result } from './cwL2';
export { regressionAttack, regressionAttackSync, rowPearson } from './regressionAttack';
export type { RegressionAttackOptions, RegressionAttackResult } from './regressionAttack';
export { flipAttack } from './flipAttack';
export type { FlipAttackOptions, FlipAttackResult } from './flipAttack';
export { boundarySearch, BOUNDARY_EPSILONS } from './boundarySearch';
export type { BoundarySearchOptions, BoundarySearchResult } from './boundarySearch';
export { refineBoundary } from './refineBoundary';
export type { RefineBoundaryOptions, RefineBoundaryResult } from './refineBoundary';
