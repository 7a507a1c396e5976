export { scale, byScale, SCALES } from './scale';
export type { Scale } from './scale';
