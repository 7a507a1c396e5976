/**
 * P4: Wang, Fredrikson & Datta (ICML 2022), "Robust Models Are More Interpretable Because
 * Attributions Look Normal" (arXiv 2103.11257). Configuration per scale, the paper's claims and
 * defaults, and the composite steps of notebooks/04_wang2022_boundary_attributions.ipynb.
 */
export { config, PAPER, PAPER_BOUNDARY_EPSILONS } from './config';
export type { P4Config, LadderConfig, MaskingConfig, BoundaryConfig } from './config';
export { loadP4Data } from './loadP4Data';
export type { P4Data } from './loadP4Data';
export { trainClassifier, stepSchedule, warmupEps } from './trainClassifier';
export type { TrainClassifierOptions, TrainClassifierResult } from './trainClassifier';
export { trainLadder } from './trainLadder';
export type { Rung, TrainLadderOptions } from './trainLadder';
export { searchBoundaries } from './searchBoundaries';
export type { BoundaryStep } from './searchBoundaries';
export { boundarySummary } from './boundarySummary';
export type { BoundarySummary } from './boundarySummary';
export { zeroGradientShare } from './zeroGradientShare';
export type { ZeroGradientShareOptions, ZeroGradientShareResult } from './zeroGradientShare';
export { lineSearchDistance } from './lineSearchDistance';
export type { LineSearchDistanceOptions, LineSearchDistanceResult } from './lineSearchDistance';
export { maskingChecks, mostRobustPassing } from './maskingChecks';
export type { MaskingChecksOptions, MaskingChecksResult, MaskingRow, MaskingRung } from './maskingChecks';
export { boundaryNormal } from './boundaryNormal';
export type { BoundaryNormalOptions } from './boundaryNormal';
export { gradientNormalAlignment } from './gradientNormalAlignment';
export type { AlignmentOptions, AlignmentResult } from './gradientNormalAlignment';
export { alignmentStep, meanCI } from './alignmentStep';
export { gradientStability } from './gradientStability';
export { closestSuccess } from './closestSuccess';
export type { GradientStabilityOptions, GradientStabilityResult } from './gradientStability';
export type { AlignmentStep } from './alignmentStep';
export { igBaseline, gaussianBlur, IG_BASELINES } from './igBaseline';
export type { IgBaselineKind, IgBaselineOptions } from './igBaseline';
export { attributionMaps, disposeMaps, P4_METHODS } from './attributionMaps';
export type { AttributionMapsOptions, AttributionMapsResult, P4Method } from './attributionMaps';
export { attributeLadder, BOUNDARY_METHODS } from './attributeLadder';
export type { AttributionStep } from './attributeLadder';
export { localisation, synthBoxes } from './localisation';
export type { LocalisationRow, LocalisationResult, LocalisationOptions } from './localisation';
export { baselineSensitivity } from './baselineSensitivity';
export type { BaselineStep } from './baselineSensitivity';
export { cifarComparison } from './cifarComparison';
export type { CifarStep } from './cifarComparison';
export { mapPanels } from './mapPanels';
export type { MapPanel, MapPanelsOptions } from './mapPanels';
export { distanceFigure, alignmentFigure, localisationFigure, mapsFigure } from './figures';
export { claims } from './claims';
export type { P4Evidence, ClaimsOptions } from './claims';
export { conclusionText } from './conclusionText';
export { collectEvidence } from './collectEvidence';
export { attributionAgreement, rowCosines } from './attributionAgreement';
export type { AttributionAgreement } from './attributionAgreement';
export { classCounts, ladderTable } from './tables';
