/**
 * models: architectures (seeded, width-configurable), custom layers, views on intermediate layers,
 * save/load in the TensorFlow.js format with a model card, and the train-once cache.
 */
export { mlp } from './mlp';
export type { MlpOptions } from './mlp';
export { smallCnn } from './smallCnn';
export type { SmallCnnOptions } from './smallCnn';
export { resNetSmall } from './resNetSmall';
export type { ResNetSmallOptions } from './resNetSmall';
export { merCnn, splitMer, emotionsView, MER_HEADS } from './merCnn';
export type { MerCnnOptions, MerHead } from './merCnn';
export { singingVoiceCnn } from './singingVoiceCnn';
export type { SingingVoiceCnnOptions } from './singingVoiceCnn';
export { layerView } from './layerView';
export { ZeroMeanConv2D } from './ZeroMeanConv2D';
export { SeededDropout } from './SeededDropout';
export { kernelInit, scaled } from './init';
export type { ArchitectureOptions } from './blocks';
export { fsHandler } from './fsHandler';
export { modelsDir } from './modelsDir';
export { saveModel, cleanStale } from './saveModel';
export type { SaveModelOptions } from './saveModel';
export { loadModel, CardMismatchError } from './loadModel';
export type { LoadModelOptions } from './loadModel';
export { getOrTrain, isCached, cacheConfig, TRAINING_GRADIENTS } from './getOrTrain';
export type { GetOrTrainOptions, GetOrTrainResult, TrainResult } from './getOrTrain';
export { readCard, configDiff, stableStringify } from './card';
export { modelDigests, DigestMismatchError } from './modelDigests';
export type { ModelDigests } from './modelDigests';
export type { ModelCard } from './card';
export { getOrTrainMany, defineTrainer } from './getOrTrainMany';
export type { ModelSpec, Trainer, GetOrTrainManyOptions, TrainedDone } from './getOrTrainMany';
