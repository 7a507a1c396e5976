/**
 * metrics: numbers about models and explanations. Every metric function carries `.meta`
 * ({ name, description, higherIsBetter, range?, paper? }) and returns a result holding the same
 * meta, the aggregate `value` and, where meaningful, `perExample` values (conventions.md #4).
 */
export type { MetricMeta, MetricResult, TensorLike, WithMeta } from './common';
export { summarise } from './common';
// Models
export { accuracy } from './accuracy';
export type { AccuracyOptions, Labels } from './accuracy';
export { robustAccuracy } from './robustAccuracy';
export type { RobustAccuracyOptions, RobustAccuracyResult, Adversarial } from './robustAccuracy';
export { binaryDetection } from './binaryDetection';
export type { BinaryDetectionOptions, BinaryDetectionResult } from './binaryDetection';
export { meanAbsoluteError } from './meanAbsoluteError';
export type { MaeResult } from './meanAbsoluteError';
export { maeIncrease } from './maeIncrease';
export type { MaeIncreaseOptions, MaeIncreaseResult } from './maeIncrease';
export { averageCorrelation } from './averageCorrelation';
export type { AverageCorrelationOptions, AverageCorrelationResult } from './averageCorrelation';
export { snrDb } from './snrDb';
// Explanations
export { energyInMask } from './energyInMask';
export type { EnergyInMaskOptions } from './energyInMask';
export { pointingGame } from './pointingGame';
export type { PointingGameOptions } from './pointingGame';
export { boxMask } from './boxMask';
export type { Box } from './boxMask';
export { sparseness } from './sparseness';
export { maxSensitivity } from './maxSensitivity';
export type { MaxSensitivityOptions, ExplainFn, ExplanationOutput } from './maxSensitivity';
export { deletionCurve } from './deletionCurve';
export { insertionCurve } from './insertionCurve';
export type { FeatureCurveOptions, FeatureCurveResult } from './featureCurve';
export { cosineSimilarity } from './cosineSimilarity';
// LIME veracity (P2)
export { segmentEnergy } from './segmentEnergy';
export type { SegmentEnergyOptions } from './segmentEnergy';
export { topKIndices } from './segments';
export type { Segmentation } from './segments';
export { segmentFlipRate } from './segmentFlipRate';
export type { FlipCriterion, FlipOptions, SegmentFlipResult } from './segmentFlipRate';
export { limeFlipRate } from './limeFlipRate';
export type { LimeFlipRateOptions } from './limeFlipRate';
export { energyFlipRate } from './energyFlipRate';
export type { EnergyFlipRateOptions } from './energyFlipRate';
export { topKOverlap } from './topKOverlap';
export type { TopKOverlapOptions } from './topKOverlap';
export { detectionCount } from './detectionCount';
export type { DetectionCountOptions, DetectionCountResult } from './detectionCount';
export { limeVeracityCurve } from './limeVeracityCurve';
export type { LimeVeracityCurveOptions, LimeVeracityCurveResult } from './limeVeracityCurve';
