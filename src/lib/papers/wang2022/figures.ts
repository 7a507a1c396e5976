/**
 * The P4 notebook's figures as pure functions from computed numbers to plotly specs (report's
 * builders): boundary distances per rung, alignment against robustness, localisation per method,
 * and map grids.
 *
 * @example
 *   await report.showFigure(alignmentFigure(a.rows), 'p4_alignment');
 */
import { barFigure, boxFigure, lineFigure, mapGridFigure } from '../../report';
import type { FigureSpec } from '../../report';
import { mapPanels } from './mapPanels';

type Row = Record<string, string | number>;

/** Box plot of the refined boundary distances over found points, one box per rung. */
export function distanceFigure(rungs: { name: string }[], searches: { found: boolean[]; l2: number[] }[]): FigureSpec {
  return boxFigure({
    groups: rungs.map((r, i) => ({ name: r.name, values: searches[i].l2.filter((_, j) => searches[i].found[j]) })),
    title: 'Distance to the nearest boundary point (found points only)', yTitle: "||x - x''||_2 (refined)", xTitle: 'model',
  });
}

/** Mean cosines with 95% CIs against the training budget (rows of alignmentStep; the authors' BSM form and the matched-radius control when the rows have them). */
export function alignmentFigure(rows: Row[]): FigureSpec {
  const col = (k: string) => rows.map((r) => Number(r[k]));
  return lineFigure({
    x: col('trainEps'),
    series: [
      { name: "cos(grad, normal at x'')", y: col('cosNormal'), yLow: col('lo'), yHigh: col('hi') },
      { name: "cos(grad, x - x'')", y: col('cosDirection'), yLow: col('dirLo'), yHigh: col('dirHi') },
      ...(rows.every((r) => 'cosTheirBsm' in r) ? [{ name: "cos(grad, grad at x') (the authors' BSM point)", y: col('cosTheirBsm'), yLow: col('theirBsmLo'), yHigh: col('theirBsmHi') }] : []),
      ...(rows.every((r) => 'cosMatched' in r) ? [{ name: 'control: cos(grad, grad at x + r u), one r', y: col('cosMatched'), yLow: col('matchedLo'), yHigh: col('matchedHi') }] : []),
    ],
    title: 'Gradient / boundary-normal alignment against robustness', xTitle: 'L2 training budget (0 = standard)', yTitle: 'cosine (mean, 95% CI)',
  });
}

/** Energy in the box per method, one bar series per rung, error bars = half the 95% CI (rows of attributeLadder). */
export function localisationFigure(rows: Row[], methods: string[]): FigureSpec {
  const models = [...new Set(rows.map((r) => String(r.model)))];
  const get = (m: string, k: string) => rows.find((r) => r.model === m && r.method === k);
  return barFigure({
    categories: methods,
    series: models.map((m) => ({
      name: m,
      values: methods.map((k) => Number(get(m, k)?.energyInBox ?? NaN)),
      error: methods.map((k) => (Number(get(m, k)?.energyHi ?? NaN) - Number(get(m, k)?.energyLo ?? NaN)) / 2),
    })),
    title: 'Attribution energy inside the object box (mean, 95% CI half-width)', yTitle: 'energy in box', xTitle: 'method',
  });
}

/** A grid: per shown image its picture and each method's map (mapPanels). */
export function mapsFigure(image: Float32Array, shape: number[], maps: Record<string, Float32Array>, rows: number[], labels: string[], title: string): FigureSpec {
  const g = mapPanels(image, shape, maps, { rows, labels });
  return mapGridFigure({ maps: g.maps, cols: g.cols, title, cellSize: 110 });
}
