/** Colours, sizes and small helpers shared by the time and XY charts. */
import type { Marker } from './chart-spec.js';
import type { NiceScale } from './nice-scale.js';
import { formatNumber } from './tabular.js';

/** Series colours (Tableau 10), assigned in order within each panel. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#bab0ac'];
export const MARKER_COLORS: Record<NonNullable<Marker['kind']>, string> = {
  up: '#2e7d32',
  down: '#1565c0',
  warning: '#d97706',
  info: '#6b7280',
};
export const TEXT_COLOR = '#1f2937';
export const MUTED_COLOR = '#4b5563';
export const GRID_LINE_COLOR = '#e5e7eb';
export const THRESHOLD_COLOR = '#6b7280';
/** Approximate width of one character of the 11 px axis labels. */
export const LABEL_CHAR_PX = 7;

/** Smallest and largest finite value; `Infinity` / `-Infinity` when there is none. */
export function extent(values: Iterable<number>): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { lo, hi };
}

/** The tick labels of a y axis, as the chart prints them. */
export function tickLabels(scale: NiceScale): string[] {
  const labels: string[] = [];
  const count = Math.round((scale.max - scale.min) / scale.interval);
  for (let i = 0; i <= count && i <= 100; i++) {
    labels.push(formatNumber(scale.min + i * scale.interval, { compact: true }));
  }
  return labels;
}
