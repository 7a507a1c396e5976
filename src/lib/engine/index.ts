export { ready, backendName, describe, requestedBackend, BACKENDS } from './backend';
export type { BackendName } from './backend';
export { Rng, seedFor } from './random';
export { asFn, checkOptions, assertFinite } from './model';
export type { Model, ModelFn } from './model';
export { modelPool, startModelPool, workerCount, modelArtifacts, ModelPool } from './parallel';
export type { ModelPoolOptions, PoolOutput, PoolModelArtifacts } from './parallel';
