/**
 * P2 (Praher, Prinz, Flexer & Widmer, ISMIR 2021, arXiv 2107.09045): does LIME find the regions
 * that really caused a singing voice detector's decision? Configuration per scale, the paper's
 * numbers, and the composite steps only this paper needs: songs and excerpts with frame labels,
 * the detector in its three domains, training and evaluation, the authors' whole-song adversaries in
 * both directions and domains, LIME's veracity test, planted-truth masked attacks, and drawn "horses".
 */
export { config, PAPER } from './config';
export type { P2Config } from './config';
export { SAMPLE_RATE, HOP, N_FFT, N_MELS, EXCERPT_FRAMES, EXCERPT_SAMPLES, makeSong, labelsForSpans, songsFromJamendo, songsFromSynth } from './songs';
export type { SvdSong } from './songs';
export { pickExcerpts, excerptBatch, excerptMagnitudes, excerptWaves, excerptLabels, centreRange } from './excerpts';
export type { ExcerptRef, PickOptions } from './excerpts';
export { loadSvdCorpus, svdCorpusDir, parseLab, SVD_LAYOUT } from './loadSvdCorpus';
export { prepareData } from './prepareData';
export type { P2Data } from './prepareData';
export { detectorDomains } from './detector';
export type { DetectorDomains } from './detector';
export { trainDetector, fitSongStandardizer, AUTHORS_LR_DECAY } from './trainDetector';
export { augmentExcerpts } from './augmentExcerpts';
export type { AugmentOptions } from './augmentExcerpts';
export type { TrainDetectorOptions } from './trainDetector';
export { evaluateDetector } from './evaluateDetector';
export { craftAdversaries, disposeAdversaries, DIRECTIONS } from './craftAdversaries';
export type { Adversaries, AttackDomain, CraftOptions, Direction } from './craftAdversaries';
export { GRID, N_SEGMENTS, LIME_OFFS, gridTensor, segmentName, paintSegments, excerptImage, limeExplain, limeOffValue, logMelPair, logMelEnergy, limeOnAdversaries, veracity } from './limeVeracity';
export type { LimeSet, LimeOff, LimeRunOptions, VeracityResult } from './limeVeracity';
export { segmentMasks, poolSegments, pooledIntegratedGradients } from './plantedTruth';
export { drawShape, shapeMask, SHAPES } from './drawShape';
export type { DrawOptions, ShapeKind } from './drawShape';
export { table1, table2, curveRows, pooledCurve, claims, marginVerdict, MARGIN, MIN_ADVERSARIES, MIN_GROUP } from './summaries';
export type { VeracitySets, ClaimInputs } from './summaries';
export { pAdvMedians, howFarToTrust } from './trustNote';
export { veracityStudy, subsetStudy, fidelityByCorrectness, plantedStudy, horseStudy } from './studies';
export type { VeracityStudy, SpanRow, SubsetRow, PlantedRow, HorseRow } from './studies';
export { attackSong, pickAdversaries, chooseSpans, framePSing, disposeSongAttack } from './songAttack';
export type { SongAttack, SongAttackOptions } from './songAttack';
export { losoDetector, detectorFor, detectorCacheConfig } from './losoDetector';
export type { LosoFold, LosoResult } from './losoDetector';
