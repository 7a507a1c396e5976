/** A plotly figure: traces and layout, plain JSON (built by the figure builders, saved and shown by export/figures). */
export interface FigureSpec {
  data: any[];
  layout: any;
}
