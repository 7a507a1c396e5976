/**
 * train: one seeded training loop (history, callbacks, early stopping) and its variants:
 * standard, adversarial (attack supplied by the caller), TRADES, activation-sensitivity regularised;
 * all losses in losses.ts.
 */
export { fit } from './fit';
export { fitAdversarial, craft } from './fitAdversarial';
export type { AttackFn, FitAdversarialOptions } from './fitAdversarial';
export { fitTrades } from './fitTrades';
export type { FitTradesOptions } from './fitTrades';
export { tradesPerturb } from './tradesPerturb';
export type { TradesPerturbOptions } from './tradesPerturb';
export { fitActivationSensitivity } from './fitActivationSensitivity';
export type { FitActivationSensitivityOptions } from './fitActivationSensitivity';
export { activationSensitivityLoss, activationView, sensitivityEta } from './activationSensitivityLoss';
export type { ActivationSensitivityOptions } from './activationSensitivityLoss';
export { evaluate, predictBatched, accuracyFor, isClassification } from './evaluate';
export type { Dataset, MetricFn, EvaluateOptions } from './evaluate';
export { runLoop, FIT_KEYS } from './loop';
export { checkValues, firstNonFinite } from './checkData';
export type { FitOptions, FitResult, EpochRecord, Progress, EarlyStopping, StepContext, StepOut, StepFn } from './loop';
export {
  softmaxCE, bce, bceLogits, mse, merLoss, klDivergence, tradesLoss, activationSensitivity, resolveLoss, oneHotLike, LOSS_NAMES,
} from './losses';
export type { LossFn, LossName } from './losses';
