/**
 * Plain-data chart descriptions. The report module knows nothing about the simulator: callers map
 * their results onto these shapes, and `svg-chart.ts` turns them into SVG.
 *
 * Times are seconds from the start of the run; the time axis formats them as `h:mm:ss`
 * (or `1d 06:00` for runs longer than two days).
 */

/** One line on a time panel. `t` and `y` have the same length; `t` is ascending, in seconds. */
export interface Series {
  name: string;
  /** Seconds from the start of the run, ascending. */
  t: ArrayLike<number>;
  /** Values; `NaN` marks a gap (no reading). */
  y: ArrayLike<number>;
  /** Draw as a staircase: each value holds until the next sample (replica counts). */
  step?: boolean;
  dashed?: boolean;
  /** Fill the area under the line. */
  area?: boolean;
  /** CSS colour; a palette colour is used when absent. */
  color?: string;
}

/** A vertical line at an instant, labelled (a rescale, a warning event). */
export interface Marker {
  /** Seconds from the start of the run. */
  t: number;
  label: string;
  kind?: 'up' | 'down' | 'warning' | 'info';
}

/** A horizontal dashed line (metric target, maxReplicas). */
export interface Threshold {
  y: number;
  label: string;
}

/** One stacked panel of a time chart, with its own y axis. */
export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
  markers?: Marker[];
  yMin?: number;
  yMax?: number;
  thresholds?: Threshold[];
}

/** Several panels stacked vertically, sharing one time axis. */
export interface TimeChart {
  title: string;
  subtitle?: string;
  /** Label under the shared time axis; default `'time'`. */
  xLabel?: string;
  panels: Panel[];
  /** Default 1100. */
  widthPx?: number;
  /** Plot height of each panel; default 200. */
  heightPerPanelPx?: number;
}

/** One line on an XY chart. */
export interface XYSeries {
  name: string;
  x: number[];
  y: number[];
  step?: boolean;
  dashed?: boolean;
}

/** A plain XY chart, e.g. desired vs current replicas (the blog's Figures 4 and 5). */
export interface XYChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: XYSeries[];
  /** Draw the dashed line y = x across the x range. */
  identityLine?: boolean;
  /** A sentence under the plot. */
  caption?: string;
  /** Default 720. */
  widthPx?: number;
  /** Default 480. */
  heightPx?: number;
}
