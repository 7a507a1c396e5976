/**
 * papers: one module per paper, each with its configuration at smoke, demo and paper scale and the
 * few composite steps only that paper needs; plus the scale knob every notebook reads.
 */
export { scale, byScale, SCALES } from './scale';
export type { Scale } from './scale';
export * as hoedt2025 from './hoedt2025';
export * as praher2021 from './praher2021';
export * as moshe2024 from './moshe2024';
export * as wang2022 from './wang2022';
