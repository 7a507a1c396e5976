/**
 * P3 paper module (Moshe, Fidel, Bitton, Shabtai 2024, arXiv 2211.08686): configuration per scale,
 * data, the three model families, the activation-sensitivity profile, interpretability scores,
 * the family table with confidence intervals, paired comparisons and the claim verdicts.
 * Only the abstract was available: everything beyond the two claims is our reconstruction.
 */
export { CLAIMS, PAPER, config } from './config';
export type { P3Config, ImageDataset } from './config';
export { loadImageSets, loadTrainSet, paperDataDir, P3_DATA_FILES } from './loadImageSets';
export type { P3Data } from './loadImageSets';
export { family, families } from './families';
export type { Family, FamilyKind } from './families';
export { trainFamily, trainAll, modelName } from './trainFamily';
export type { TrainFamilyOptions, TrainedFamily } from './trainFamily';
export { activationSensitivityProfile, layerChange } from './activationSensitivityProfile';
export type { SensitivityProfileOptions, SensitivityProfile, LayerSensitivity } from './activationSensitivityProfile';
export { interpretabilityScores, explainer, meanBaseline, METHODS, METHOD_LABELS, METRICS, METRIC_META } from './interpretabilityScores';
export type { InterpretabilityScores, ExplainOptions, MethodName, MetricName } from './interpretabilityScores';
export { scoreRecords } from './scoreRecords';
export type { ScoreRecord } from './scoreRecords';
export { summariseFamilies, groupBy } from './summariseFamilies';
export type { FamilySummary } from './summariseFamilies';
export { compareFamilies, imageMeans } from './compareFamilies';
export type { Comparison, CompareFamiliesOptions } from './compareFamilies';
export { flagCollapsed } from './flagCollapsed';
export type { AccuracyRow, CollapseFlag, FlagCollapsedOptions } from './flagCollapsed';
export { claimVerdicts, claimSummary, metricVerdict, verdictOf } from './claimVerdicts';
export type { VerdictRow, MetricVerdict, ClaimSummaryOptions } from './claimVerdicts';
export { robustnessSweep } from './robustnessSweep';
export type { SweepRow } from './robustnessSweep';
export { synthExamplesFigure, sensitivityLayerFigure, sensitivityNeuronFigure, robustnessFigure, attributionGridFigure, familyTableWide, tradeoffFigure, metricsBarFigure } from './figures';
export { fitSensitivityRegularised, sensitivityPenalty, batchSpread, regulariserEta, warmLambda, acts, PENALTIES, ETAS } from './fitSensitivityRegularised';
export type { SensitivityRegularisedOptions, PenaltyKind, EtaKind } from './fitSensitivityRegularised';
export { lambdaSweep, chooseLambda } from './lambdaSweep';
export type { LambdaRow, LambdaSweepOptions } from './lambdaSweep';
export { sweepRegulariser, lambdaTable } from './sweepRegulariser';
export type { RegulariserSweep, RegulariserEffect } from './sweepRegulariser';
export { trainImageModels } from './trainImageModels';
export { familySensitivity, layerSensitivityRows, familySensitivityRows } from './familySensitivity';
export type { FamilyProfile } from './familySensitivity';
export { accuracyAndRobustness } from './accuracyAndRobustness';
export type { Costs, CostRow, RobustnessRow } from './accuracyAndRobustness';
export { scoreModels } from './scoreModels';
export type { ScoredModels } from './scoreModels';
export { planComparisons } from './planComparisons';
export type { ComparisonPlan } from './planComparisons';
export { cellVerdicts, claims } from './claims';
export { chosenLambdaText, regulariserText, conclusionText } from './conclusionText';
export type { ConclusionContext } from './conclusionText';
