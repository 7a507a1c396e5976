/**
 * explain: attribution methods with one signature, (model, x, {target, baseline?, ...}) =>
 * Promise<Attribution> (conventions.md #3). `map` is shaped like x (caller disposes); path
 * methods report `gap` = sum(map) - (f(x)[target] - f(baseline)[target]) per example.
 */
export type { Attribution, AttributionMethod, TargetOptions, Baseline } from './common';
export { saliency } from './saliency';
export type { SaliencyOptions } from './saliency';
export { gradientXInput } from './gradientXInput';
export type { GradientXInputOptions } from './gradientXInput';
export { integratedGradients } from './integratedGradients';
export type { IntegratedGradientsOptions, PathAttribution } from './integratedGradients';
export { smoothGrad } from './smoothGrad';
export type { SmoothGradOptions, SmoothedAttribution } from './smoothGrad';
export { gradCam } from './gradCam';
export type { GradCamOptions, GradCamAttribution } from './gradCam';
export { occlusion } from './occlusion';
export type { OcclusionOptions, OcclusionAttribution } from './occlusion';
export { lime } from './lime';
export type { LimeOptions, LimeAttribution } from './lime';
export { kernelShap } from './kernelShap';
export type { KernelShapOptions, KernelShapAttribution } from './kernelShap';
export type { Segments, Off } from './coalitions';
export { imageGrid } from './imageGrid';
export { superpixels } from './superpixels';
export type { SuperpixelOptions } from './superpixels';
export { audioTimeFreqGrid } from './audioTimeFreqGrid';
export { bsm } from './bsm';
export type { BsmOptions } from './bsm';
export { big } from './big';
export type { BigOptions } from './big';
export { agi } from './agi';
export type { AgiOptions, AgiAttribution } from './agi';
