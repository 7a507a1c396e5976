/**
 * P1: Hoedt, Flexer, Widmer (2025), "Are Inherently Interpretable Models More Robust? A Study In
 * Music Emotion Recognition" (arXiv 2508.03780): configuration per scale, the paper's numbers,
 * and the composite steps of notebooks/01_hoedt2025_interpretable_mer.ipynb.
 */
export { config, PAPER, MODEL_KINDS } from './config';
export type { P1Config, ModelKind } from './config';
export { sliceSpectrograms, secondsForFrames, P1_SAMPLE_RATE, P1_HOP } from './sliceSpectrograms';
export type { Slices, SliceOptions } from './sliceSpectrograms';
export { loadP1Data, loadSoundtracksSources, P1_EXPECTED_FILES } from './loadP1Data';
export type { P1Data, P1Split } from './loadP1Data';
export { advTrainingAttack, emotionsFn } from './advTrainingAttack';
export { trainMer, trainMers, kindSpec, emotionCorr } from './trainMer';
export type { TrainedMer } from './trainMer';
export { evaluateMer } from './evaluateMer';
export type { MerEvaluation } from './evaluateMer';
export { attackMer } from './attackMer';
export type { MerAttack, MerAttackOptions } from './attackMer';
export { renderAdversarialAudio, unstandardize } from './renderAdversarialAudio';
export type { RenderedAdversarial } from './renderAdversarialAudio';
export { medianOf, table1, fig3Rows, fig3Summary, attackRuns, pairedTests, computeCost, claims, maeIncreaseByKind, conclusion } from './summaries';
export type { P1Run, P1ClaimsOptions } from './summaries';
export { conceptCorr } from './conceptCorr';
export { midlevelShift } from './midlevelShift';
export { runP1 } from './runP1';
export { trainingPasses } from './trainingPasses';
export { predictionsOf } from './attackRecords';
export type { ExcerptRecord, AttackRun, AdversarialAt, PredictionOf } from './attackRecords';
export { mae } from './mae';
export { maeIncrease } from './maeIncrease';
export { corrAvg } from './corrAvg';
export { perExcerptMae } from './perExcerptMae';
export { meanSnrDb } from './meanSnrDb';
export { approxSnrDb, approxSnrDbDetail, p1FilterbankPinv } from './approxSnrDb';
export type { ApproxSnrDetail } from './approxSnrDb';
export { pairedMaeTest } from './pairedMaeTest';
export type { PairedMaeTest } from './pairedMaeTest';
export { fig3Table } from './fig3Table';
export type { Fig3Row } from './fig3Table';
export { fig4Spread } from './fig4Spread';
export type { Fig4SpreadRow } from './fig4Spread';
export { loadAuthorsLogs, parseNumpyRow } from './loadAuthorsLogs';
export { replayAuthors, agreesToPrinted } from './replayAuthors';
export type { AuthorsReplay } from './replayAuthors';
