/**
 * P4: Wang, Fredrikson & Datta (ICML 2022), "Robust Models Are More Interpretable Because
 * Attributions Look Normal" (arXiv 2103.11257). Configuration per scale and the composite steps of
 * notebooks/04_wang2022_boundary_attributions.ipynb.
 */
export { config, CLAIMS, PAPER_BOUNDARY_EPSILONS } from './config';
export type { P4Config, LadderConfig } from './config';
export { pgdL2Attack } from './pgdL2Attack';
export type { PgdL2AttackOptions } from './pgdL2Attack';
export { trainClassifier } from './trainClassifier';
export type { TrainClassifierOptions, TrainClassifierResult } from './trainClassifier';
export { boundaryNormal } from './boundaryNormal';
export type { BoundaryNormalOptions } from './boundaryNormal';
export { gradientNormalAlignment } from './gradientNormalAlignment';
export type { AlignmentOptions, AlignmentResult } from './gradientNormalAlignment';
export { igBaseline, gaussianBlur, IG_BASELINES } from './igBaseline';
export type { IgBaselineKind, IgBaselineOptions } from './igBaseline';
export { attributionMaps, disposeMaps, P4_METHODS } from './attributionMaps';
export type { AttributionMapsOptions, AttributionMapsResult, P4Method } from './attributionMaps';
export { localisation, synthBoxes } from './localisation';
export type { LocalisationRow, LocalisationResult, LocalisationOptions } from './localisation';
export { mapPanels } from './mapPanels';
export type { MapPanel, MapPanelsOptions } from './mapPanels';
export { conclusions } from './conclusions';
export type { ConclusionRow, P4Evidence } from './conclusions';
export { boundarySummary } from './boundarySummary';
export type { BoundarySummary } from './boundarySummary';
export { trainLadder } from './trainLadder';
export type { Rung, TrainLadderOptions } from './trainLadder';
export { refineBoundary } from './refineBoundary';
