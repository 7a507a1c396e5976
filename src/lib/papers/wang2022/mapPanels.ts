/**
 * Panels for report.mapGridFigure: per example one row with the image (channel mean, grey) and
 * each method's map as sum_ch |a_ch|, scaled to [0, 1] per panel (the display convention of P4's
 * figures, arXiv 2103.11257). Pure: numbers in, panel specs out.
 *
 * @example
 *   const { maps, cols } = mapPanels(xData, [n, 32, 32, 3], { saliency: salData, bsm: bsmData }, { rows: [0, 1], labels: ['disc', 'cross'] });
 *   await report.showFigure(report.mapGridFigure({ maps, cols, title: 'Standard model' }), 'p4_maps_std');
 */
export interface MapPanel {
  title: string;
  z: number[][];
  colorscale?: string;
}

export interface MapPanelsOptions {
  /** Which examples (rows of the batch) to draw (default all). */
  rows?: number[];
  /** Label per drawn row, shown over its image. */
  labels?: string[];
}

export function mapPanels(
  image: Float32Array | number[],
  shape: number[],
  maps: Record<string, Float32Array | number[]>,
  options: MapPanelsOptions = {},
): { maps: MapPanel[]; cols: number } {
  if (shape.length !== 4) throw new Error(`mapPanels: shape must be [N, H, W, C], got [${shape}].`);
  const [n, h, w, c] = shape;
  const size = n * h * w * c;
  if (image.length !== size) throw new Error(`mapPanels: image has ${image.length} values, shape [${shape}] needs ${size}.`);
  for (const [k, v] of Object.entries(maps)) if (v.length !== size) throw new Error(`mapPanels: map "${k}" has ${v.length} values, expected ${size}.`);
  const rows = options.rows ?? Array.from({ length: n }, (_, i) => i);
  const plane = (data: Float32Array | number[], i: number, f: (v: number) => number, mean: boolean) => {
    const z: number[][] = [];
    let mx = 0;
    for (let r = 0; r < h; r++) {
      const row: number[] = [];
      for (let q = 0; q < w; q++) {
        let s = 0;
        for (let ch = 0; ch < c; ch++) s += f(data[((i * h + r) * w + q) * c + ch]);
        if (mean) s /= c;
        row.push(s);
        mx = Math.max(mx, s);
      }
      z.push(row);
    }
    return mean || mx === 0 ? z : z.map((row) => row.map((v) => v / mx));
  };
  const panels: MapPanel[] = [];
  rows.forEach((i, k) => {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`mapPanels: row ${i} is not in [0, ${n - 1}].`);
    panels.push({ title: options.labels?.[k] ?? `#${i}`, z: plane(image, i, (v) => v, true), colorscale: 'Greys' });
    for (const [name, data] of Object.entries(maps)) panels.push({ title: name, z: plane(data, i, Math.abs, false) });
  });
  return { maps: panels, cols: 1 + Object.keys(maps).length };
}
