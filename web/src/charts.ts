/**
 * Charts with uPlot: a canvas time-series library of ~50 kB that draws a day of 15 s syncs
 * (5,760 points × several series) in a few milliseconds and updates in place with `setData`,
 * which is what a redraw-on-every-keystroke page needs. Its live legend doubles as the tooltip.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.js';

/** Series colours, chosen to stay apart for colour-blind readers (Okabe-Ito). */
export const COLORS = {
  blue: '#0072B2',
  green: '#009E73',
  orange: '#E69F00',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  sky: '#56B4E9',
  yellow: '#B8A100',
  grey: '#777777',
  black: '#222222',
} as const;

/** Colours for the n-th configuration of a compare chart. */
export const PALETTE = [COLORS.blue, COLORS.vermillion, COLORS.green, COLORS.purple, COLORS.orange, COLORS.sky, COLORS.black];

export interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  readonly width?: number;
  readonly dash?: readonly number[];
  /** Draw as steps (replica counts change at syncs). */
  readonly stepped?: boolean;
  /** The right-hand axis. */
  readonly right?: boolean;
  readonly fill?: string;
  /** Show each point (small data such as 1..maxReplicas). */
  readonly points?: boolean;
}

/** A vertical line on the x axis (an HPA event, the current value). */
export interface Marker {
  readonly x: number;
  readonly color: string;
  readonly dash?: readonly number[];
  readonly label?: string;
  /** Opacity of the line (default 1); a solid tick at the top marks it anyway. */
  readonly alpha?: number;
}

export interface ChartSpec {
  /** Accessible name of the chart (also its visible caption when `caption` is not given). */
  readonly title: string;
  readonly height?: number;
  /** `time`: x is seconds from the start, shown as h:mm. */
  readonly x: { readonly label: string; readonly time?: boolean; readonly integer?: boolean; readonly min?: number; readonly max?: number };
  readonly y: { readonly label: string; readonly min?: number; readonly integer?: boolean; readonly max?: number };
  readonly y2?: { readonly label: string; readonly min?: number };
  readonly series: readonly SeriesSpec[];
  readonly markers?: readonly Marker[];
  /** Charts with the same key share the cursor. */
  readonly syncKey?: string;
}

/** `[x, y1, y2, ...]`: columns, `null` for a gap. */
export type ChartData = (number | null)[][];

/**
 * Drops the rows where no series changes, which is lossless for step series (a replica count
 * changes a few hundred times a day, but is sampled at every sync): uPlot then draws a few hundred
 * steps instead of thousands. The first and last rows are kept so the x range stays whole.
 *
 * @example compressSteps([[0, 15, 30, 45], [2, 2, 3, 3]]) // -> [[0, 30, 45], [2, 3, 3]]
 */
export function compressSteps(data: ChartData): ChartData {
  const [x, ...ys] = data;
  if (!x || x.length < 3) return data;
  const keep: number[] = [0];
  for (let i = 1; i < x.length - 1; i++) {
    for (const y of ys) {
      if (y[i] !== y[i - 1]) {
        keep.push(i);
        break;
      }
    }
  }
  keep.push(x.length - 1);
  if (keep.length > x.length * 0.8) return data;
  return data.map((col) => keep.map((i) => col[i] ?? null));
}

/** A chart in the page, updated in place. */
export interface Chart {
  readonly element: HTMLElement;
  update(spec: ChartSpec, data: ChartData): void;
  destroy(): void;
}

/** Seconds as a clock offset: `0:05`, `1:30`, `24:00` (hours:minutes), or `m:ss` under 10 minutes spans. */
export function formatClock(seconds: number, spanSeconds: number): string {
  const s = Math.round(seconds);
  if (spanSeconds <= 600) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
}

const TIME_STEPS = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];

function timeSplits(min: number, max: number, widthPx: number): number[] {
  const want = Math.max(2, Math.floor(widthPx / 90));
  const step = TIME_STEPS.find((s) => (max - min) / s <= want) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(v);
  return out;
}

function integerSplits(min: number, max: number, heightPx: number): number[] {
  const want = Math.max(2, Math.floor(heightPx / 28));
  const span = Math.max(1, max - min);
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000].find((s) => span / s <= want) ?? Math.ceil(span / want);
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(v);
  return out;
}

function markersPlugin(get: () => readonly Marker[] | undefined): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const markers = get();
          if (!markers?.length) return;
          const { ctx } = u;
          const { top, height } = u.bbox;
          ctx.save();
          ctx.lineWidth = Math.max(1, devicePixelRatio);
          let labelRow = 0;
          for (const m of markers) {
            const x = Math.round(u.valToPos(m.x, 'x', true));
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            ctx.strokeStyle = m.color;
            ctx.globalAlpha = m.alpha ?? 1;
            ctx.setLineDash((m.dash ?? []).map((d) => d * devicePixelRatio));
            ctx.beginPath();
            ctx.moveTo(x + 0.5, top);
            ctx.lineTo(x + 0.5, top + height);
            ctx.stroke();
            if (m.alpha !== undefined && m.alpha < 1) {
              ctx.globalAlpha = 1;
              ctx.setLineDash([]);
              ctx.lineWidth = 2 * devicePixelRatio;
              ctx.beginPath();
              ctx.moveTo(x + 0.5, top);
              ctx.lineTo(x + 0.5, top + 7 * devicePixelRatio);
              ctx.stroke();
              ctx.lineWidth = Math.max(1, devicePixelRatio);
            }
            if (m.label) {
              ctx.fillStyle = m.color;
              ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
              ctx.fillText(m.label, x + 4 * devicePixelRatio, top + (12 + 13 * labelRow) * devicePixelRatio);
              labelRow += 1;
            }
          }
          ctx.restore();
        },
      ],
    },
  };
}

function signature(spec: ChartSpec): string {
  return JSON.stringify([spec.series, spec.y2 !== undefined, spec.x.time, spec.height, spec.syncKey]);
}

function options(spec: ChartSpec, width: number, getMarkers: () => readonly Marker[] | undefined): uPlot.Options {
  const height = spec.height ?? 220;
  const span = (u: uPlot): number => (u.scales['x']?.max ?? 0) - (u.scales['x']?.min ?? 0);
  const axisStroke = '#444';
  const grid = { stroke: '#e3e3e3', width: 1 };
  const axes: uPlot.Axis[] = [
    {
      label: spec.x.label,
      stroke: axisStroke,
      grid,
      ...(spec.x.time
        ? {
            splits: (u: uPlot, _i: number, min: number, max: number) => timeSplits(min, max, u.bbox.width / devicePixelRatio),
            values: (u: uPlot, splits: number[]) => splits.map((v) => formatClock(v, span(u))),
          }
        : spec.x.integer
          ? { splits: (u: uPlot, _i: number, min: number, max: number) => integerSplits(min, max, u.bbox.width / devicePixelRatio / 2) }
          : {}),
    },
    {
      label: spec.y.label,
      stroke: axisStroke,
      grid,
      size: 56,
      ...(spec.y.integer ? { splits: (u: uPlot, _i: number, min: number, max: number) => integerSplits(min, max, u.bbox.height / devicePixelRatio) } : {}),
    },
  ];
  if (spec.y2) axes.push({ label: spec.y2.label, stroke: axisStroke, side: 1, scale: 'y2', grid: { show: false }, size: 56 });
  const range = (min?: number, max?: number): uPlot.Scale.Range => (_u, dmin, dmax) => {
    const lo = min ?? (Number.isFinite(dmin) ? dmin : 0);
    let hi = Math.max(max ?? -Infinity, Number.isFinite(dmax) ? dmax : 1);
    if (hi <= lo) hi = lo + 1;
    return [lo, min === undefined ? hi : hi + (hi - lo) * 0.05];
  };
  return {
    width,
    height,
    legend: { live: true },
    cursor: { ...(spec.syncKey ? { sync: { key: spec.syncKey } } : {}), points: { size: 6 } },
    scales: {
      x: { time: false, ...(spec.x.min !== undefined && spec.x.max !== undefined ? { range: [spec.x.min, spec.x.max] as uPlot.Range.MinMax } : {}) },
      y: { range: range(spec.y.min, spec.y.max) },
      ...(spec.y2 ? { y2: { range: range(spec.y2.min) } } : {}),
    },
    axes,
    series: [
      { label: spec.x.label, ...(spec.x.time ? { value: (u: uPlot, v: number | null) => (v === null ? '–' : formatClock(v, span(u) > 600 ? 3600 : 600)) } : {}) },
      ...spec.series.map(
        (s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.75,
          ...(s.dash ? { dash: [...s.dash] } : {}),
          ...(s.fill ? { fill: s.fill } : {}),
          ...(s.right ? { scale: 'y2' } : {}),
          ...(s.stepped ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
          points: s.points ? { show: true, size: 7, fill: s.color } : { show: false },
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(2)),
        }),
      ),
    ],
    plugins: [markersPlugin(getMarkers)],
  };
}

/**
 * Creates a chart inside `parent`: a figure with the canvas, the live legend and an accessible
 * name. It follows the parent's width.
 */
export function createChart(parent: HTMLElement, spec: ChartSpec, rawData: ChartData): Chart {
  const prepare = (sp: ChartSpec, d: ChartData): ChartData => (sp.series.length > 0 && sp.series.every((x) => x.stepped) ? compressSteps(d) : d);
  const data = prepare(spec, rawData);
  const body = h('div', { class: 'chart-body' });
  const element = h('figure', { class: 'chart', role: 'group', 'aria-label': spec.title }, h('figcaption', { class: 'chart-title' }, spec.title), body);
  parent.append(element);
  let current = spec;
  let sig = signature(spec);
  const widthOf = (): number => Math.max(240, Math.floor(body.clientWidth || parent.clientWidth || 600));
  let plot = new uPlot(options(spec, widthOf(), () => current.markers), data as uPlot.AlignedData, body);
  plot.root.querySelector('canvas')?.setAttribute('aria-hidden', 'true');
  let lastWidth = widthOf();
  const observer = new ResizeObserver(() => {
    const w = widthOf();
    if (Math.abs(w - lastWidth) >= 2) {
      lastWidth = w;
      plot.setSize({ width: w, height: current.height ?? 220 });
    }
  });
  observer.observe(body);
  return {
    element,
    update(next, rawNext) {
      const nextData = prepare(next, rawNext);
      current = next;
      element.setAttribute('aria-label', next.title);
      element.querySelector('figcaption')!.textContent = next.title;
      const nextSig = signature(next);
      if (nextSig !== sig) {
        sig = nextSig;
        plot.destroy();
        plot = new uPlot(options(next, widthOf(), () => current.markers), nextData as uPlot.AlignedData, body);
        return;
      }
      const fixedX = next.x.min !== undefined && next.x.max !== undefined;
      plot.setData(nextData as uPlot.AlignedData, !fixedX);
      if (fixedX) plot.setScale('x', { min: next.x.min, max: next.x.max });
    },
    destroy() {
      observer.disconnect();
      plot.destroy();
      element.remove();
    },
  };
}
