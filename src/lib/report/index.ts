export { displayBundle, inNotebook, markdown, escapeHtml } from './display';
export { figuresDir, projectRoot } from './paths';
export { frame, showTable, toCsv, toHtml, toText, danfo } from './table';
export { lineFigure, scatterFigure, boxFigure, barFigure, heatmapFigure, mapGridFigure, showFigure } from './figures';
export type { FigureSpec } from './figures';
export { saveFigure, renderPng, closeBrowser, chromiumPath } from './export';
export { audioPlayer, audioHtml } from './audio';
export { progress, progressLine } from './progress';
export type { Progress } from './progress';
