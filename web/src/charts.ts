/**
 * Charts with uPlot: a canvas time-series library of ~50 kB that draws a day of 15 s syncs
 * (5,760 points × several series) in a few milliseconds and updates in place with `setData`,
 * which is what a redraw-on-every-keystroke page needs. The live legend shows the values at the
 * cursor; a tooltip lists every series and the event under the cursor; drag to zoom.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h, setChildren } from './dom.js';

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
  /** What happened there (an HPA event's message), shown in the tooltip under the cursor. */
  readonly message?: string;
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
  /** Offer "clip spikes" and "log scale" for the y axis (load, latency). */
  readonly yModes?: boolean;
  /** A range brush: a drag here zooms the other charts of the `syncKey` (this one keeps the whole run). */
  readonly brush?: boolean;
  /** Drawn in data coordinates: polygons under the series (a band), polylines over them (a path). */
  readonly shapes?: readonly Shape[];
}

/** A polygon (filled, under the series) or a polyline (over them), in data coordinates. */
export interface Shape {
  readonly kind: 'polygon' | 'polyline';
  readonly points: readonly (readonly [number, number])[];
  readonly color: string;
  readonly width?: number;
  readonly dash?: readonly number[];
  /** Arrow heads at each vertex of a polyline (the direction of an iteration). */
  readonly arrows?: boolean;
}

function shapesPlugin(get: () => readonly Shape[] | undefined): uPlot.Plugin {
  const draw = (u: uPlot, kind: Shape['kind']): void => {
    const shapes = get()?.filter((s) => s.kind === kind && s.points.length > 1);
    if (!shapes?.length) return;
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    for (const s of shapes) {
      const pts = s.points.map(([x, y]) => [u.valToPos(x, 'x', true), u.valToPos(y, 'y', true)] as const);
      ctx.beginPath();
      pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      if (kind === 'polygon') {
        ctx.closePath();
        ctx.fillStyle = s.color;
        ctx.fill();
        continue;
      }
      ctx.strokeStyle = s.color;
      ctx.lineWidth = (s.width ?? 1.5) * devicePixelRatio;
      ctx.setLineDash((s.dash ?? []).map((d) => d * devicePixelRatio));
      ctx.stroke();
      if (s.arrows) {
        ctx.setLineDash([]);
        ctx.fillStyle = s.color;
        const a = 6 * devicePixelRatio;
        for (let i = 1; i < pts.length; i++) {
          const [x0, y0] = pts[i - 1]!;
          const [x1, y1] = pts[i]!;
          const len = Math.hypot(x1 - x0, y1 - y0);
          if (len < 2 * a) continue;
          const ang = Math.atan2(y1 - y0, x1 - x0);
          const mx = (x0 + x1) / 2;
          const my = (y0 + y1) / 2;
          ctx.beginPath();
          ctx.moveTo(mx + a * Math.cos(ang), my + a * Math.sin(ang));
          ctx.lineTo(mx + a * Math.cos(ang + 2.5), my + a * Math.sin(ang + 2.5));
          ctx.lineTo(mx + a * Math.cos(ang - 2.5), my + a * Math.sin(ang - 2.5));
          ctx.closePath();
          ctx.fill();
        }
      }
    }
    ctx.restore();
  };
  return { hooks: { drawAxes: [(u: uPlot) => draw(u, 'polygon')], draw: [(u: uPlot) => draw(u, 'polyline')] } };
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

/** Charts sharing a `syncKey` also share their x zoom (zoom one, every one follows). */
const zoomGroups = new Map<string, Set<uPlot>>();
let propagating = false;

function shareZoom(key: string | undefined, u: uPlot): void {
  if (!key || propagating) return;
  const x = u.scales['x'];
  if (x?.min === undefined || x.max === undefined || x.min === null || x.max === null) return;
  propagating = true;
  try {
    for (const other of zoomGroups.get(key) ?? []) {
      if (other === u) continue;
      const o = other.scales['x'];
      if (o?.min !== x.min || o?.max !== x.max) other.setScale('x', { min: x.min, max: x.max });
    }
  } finally {
    propagating = false;
  }
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
          const { top, height, left, width } = u.bbox;
          const dpr = devicePixelRatio;
          ctx.save();
          // One path per look (colour, opacity, dash): thousands of events in a 30-day run draw
          // in a few strokes instead of one each.
          const groups = new Map<string, { m: Marker; xs: number[] }>();
          const xsOf: number[] = [];
          for (const m of markers) {
            const x = Math.round(u.valToPos(m.x, 'x', true));
            xsOf.push(x);
            if (x < left || x > left + width) continue;
            const key = `${m.color}|${m.alpha ?? 1}|${(m.dash ?? []).join(',')}`;
            let g = groups.get(key);
            if (!g) groups.set(key, (g = { m, xs: [] }));
            // One line per pixel column is all a screen can show (a month has thousands of events).
            if (g.xs[g.xs.length - 1] !== x) g.xs.push(x);
          }
          ctx.lineWidth = Math.max(1, dpr);
          for (const { m, xs } of groups.values()) {
            ctx.strokeStyle = m.color;
            ctx.globalAlpha = m.alpha ?? 1;
            ctx.setLineDash((m.dash ?? []).map((d) => d * dpr));
            ctx.beginPath();
            for (const x of xs) {
              ctx.moveTo(x + 0.5, top);
              ctx.lineTo(x + 0.5, top + height);
            }
            ctx.stroke();
            if (m.alpha !== undefined && m.alpha < 1) {
              // A solid tick at the top marks each faint line.
              ctx.globalAlpha = 1;
              ctx.setLineDash([]);
              ctx.lineWidth = 2 * dpr;
              ctx.beginPath();
              for (const x of xs) {
                ctx.moveTo(x + 0.5, top);
                ctx.lineTo(x + 0.5, top + 7 * dpr);
              }
              ctx.stroke();
              ctx.lineWidth = Math.max(1, dpr);
            }
          }
          // Labels that would overlap the previous one are left to the tooltip.
          ctx.globalAlpha = 1;
          ctx.font = `${11 * dpr}px system-ui, sans-serif`;
          let lastLabelEnd = -Infinity;
          markers.forEach((m, i) => {
            const x = xsOf[i]!;
            if (!m.label || x < left || x > left + width || x + 3 * dpr <= lastLabelEnd) return;
            ctx.fillStyle = m.color;
            ctx.fillText(m.label, x + 3 * dpr, top + 20 * dpr);
            lastLabelEnd = x + (m.label.length * 6.5 + 8) * dpr;
          });
          ctx.restore();
        },
      ],
    },
  };
}

/** What forces a new uPlot (the series and axes it was built with); ranges are not part of it. */
function signature(spec: ChartSpec, yMode: YMode): string {
  return JSON.stringify([spec.series, spec.y2 !== undefined, spec.x.time, spec.x.integer, spec.y.integer, spec.height, spec.syncKey, yMode]);
}

/** How the y axis shows a spike: whole, clipped at the 99th percentile, or on a log scale. */
export type YMode = 'linear' | 'clip' | 'log';

/**
 * The y range for `[dmin, dmax]` of the data and the spec's bounds: `min` is the floor (default:
 * the data's minimum), `max` is a value the range always includes (e.g. maxReplicas), and 5 %
 * headroom when the floor is fixed.
 *
 * @example yRange(0, 7, { min: 0, max: 3 }) // -> [0, 7.35]
 */
export function yRange(dmin: number, dmax: number, bounds: { readonly min?: number | undefined; readonly max?: number | undefined }): [number, number] {
  const lo = bounds.min ?? (Number.isFinite(dmin) ? dmin : 0);
  let hi = Math.max(bounds.max ?? -Infinity, Number.isFinite(dmax) ? dmax : 1);
  if (hi <= lo) hi = lo + 1;
  return [lo, bounds.min === undefined ? hi : hi + (hi - lo) * 0.05];
}

/**
 * The x range of a chart: the spec's `min`/`max` when given, else the data's first and last x.
 * Recomputed on every update, so a chart follows its data (a 40-minute run, then a 30-day run).
 */
export function xRange(spec: ChartSpec, data: ChartData): [number, number] {
  const xs = data[0] ?? [];
  const first = xs[0] ?? 0;
  const last = xs[xs.length - 1] ?? 1;
  const lo = spec.x.min ?? first;
  let hi = spec.x.max ?? last;
  if (!(hi > lo)) hi = lo + 1;
  return [lo, hi];
}

/** The 99th percentile of the finite values of some columns (for the "clip" y mode). */
function percentile99(cols: readonly (readonly (number | null)[])[]): number {
  const all: number[] = [];
  for (const c of cols) for (const v of c) if (v !== null && Number.isFinite(v)) all.push(v);
  if (all.length === 0) return 1;
  all.sort((a, b) => a - b);
  return all[Math.min(all.length - 1, Math.floor(all.length * 0.99))]!;
}

/**
 * At most `maxPoints` rows: each bucket of rows keeps its first row and the rows holding each
 * series' minimum and maximum, so spikes survive (what a chart one screen wide can show anyway).
 * Step series must be compressed with `compressSteps` first, which is lossless.
 */
export function decimate(data: ChartData, maxPoints: number): ChartData {
  const x = data[0];
  if (!x || x.length <= maxPoints) return data;
  const buckets = Math.max(1, Math.floor(maxPoints / (2 * Math.max(1, data.length - 1) + 1)));
  const size = x.length / buckets;
  const keep: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(x.length, Math.floor((b + 1) * size));
    const rows = new Set<number>([from]);
    for (let k = 1; k < data.length; k++) {
      const col = data[k]!;
      let lo = -1;
      let hi = -1;
      for (let i = from; i < to; i++) {
        const v = col[i];
        if (v === null || v === undefined) continue;
        if (lo < 0 || v < col[lo]!) lo = i;
        if (hi < 0 || v > col[hi]!) hi = i;
      }
      if (lo >= 0) rows.add(lo);
      if (hi >= 0) rows.add(hi);
    }
    keep.push(...[...rows].sort((a, b) => a - b));
  }
  if (keep[keep.length - 1] !== x.length - 1) keep.push(x.length - 1);
  return data.map((col) => keep.map((i) => col[i] ?? null));
}

/** Rows a chart draws at most: about two per pixel of its width (spikes kept by `decimate`). */
const maxPoints = (widthPx: number): number => Math.max(1200, Math.round(2 * widthPx));

function options(get: () => ChartSpec, width: number, yMode: YMode, tip: HTMLElement, clipAt: () => number): uPlot.Options {
  const spec = get();
  const height = spec.height ?? 220;
  const span = (u: uPlot): number => (u.scales['x']?.max ?? 0) - (u.scales['x']?.min ?? 0);
  const axisStroke = '#444';
  const grid = { stroke: '#e3e3e3', width: 1 };
  const axisSize = (u: uPlot, values: string[] | null): number => {
    const longest = Math.max(0, ...(values ?? []).map((v) => v.length));
    void u;
    return Math.max(40, 18 + longest * 7.5);
  };
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
      size: axisSize,
      ...(spec.y.integer && yMode !== 'log' ? { splits: (u: uPlot, _i: number, min: number, max: number) => integerSplits(min, max, u.bbox.height / devicePixelRatio) } : {}),
    },
  ];
  if (spec.y2) axes.push({ label: spec.y2.label, stroke: axisStroke, side: 1, scale: 'y2', grid: { show: false }, size: axisSize });
  const fmtValue = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
  return {
    width,
    height,
    legend: { live: true },
    cursor: {
      ...(spec.syncKey ? { sync: { key: spec.syncKey } } : {}),
      points: { size: 6 },
      drag: { x: true, y: false, setScale: !spec.brush },
    },
    scales: {
      x: {
        time: false,
        // uPlot asks with the data's first and last x when it auto-ranges (then the spec's range
        // applies) and with the selection when the user zooms (then that is the range).
        range: (u, dmin, dmax) => {
          const xs = u.data[0] ?? [];
          const auto = dmin === null || dmax === null || (dmin === xs[0] && dmax === xs[xs.length - 1]);
          return auto ? xRange(get(), u.data as ChartData) : [dmin, dmax];
        },
      },
      y:
        yMode === 'log'
          ? { distr: 3, log: 10, range: (_u, dmin, dmax) => [Math.max(1e-3, dmin > 0 ? dmin / 1.5 : 0.1), Math.max(1, dmax * 1.5)] }
          : { range: (_u, dmin, dmax) => yRange(dmin, yMode === 'clip' ? Math.min(dmax, clipAt()) : dmax, { min: get().y.min, max: get().y.max }) },
      ...(spec.y2 ? { y2: { range: (_u: uPlot, dmin: number, dmax: number) => yRange(dmin, dmax, { min: get().y2?.min }) } } : {}),
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
          value: (_u: uPlot, v: number | null) => fmtValue(v),
        }),
      ),
    ],
    plugins: [shapesPlugin(() => get().shapes), markersPlugin(() => get().markers), tooltipPlugin(get, tip, fmtValue)],
  };
}

/**
 * One tooltip at the cursor listing every series at that x, and the message of the event marker
 * nearest the cursor (within 6 px).
 */
function tooltipPlugin(get: () => ChartSpec, tip: HTMLElement, fmtValue: (v: number | null | undefined) => string): uPlot.Plugin {
  return {
    hooks: {
      setCursor: [
        (u: uPlot) => {
          const { left, top, idx } = u.cursor;
          // Only the chart under the pointer shows it (the others follow with their cursor line).
          if (!u.over.matches(':hover') || left === undefined || top === undefined || left < 0 || idx === null || idx === undefined) {
            tip.hidden = true;
            return;
          }
          const spec = get();
          const x = u.data[0][idx]!;
          const span = (u.scales['x']?.max ?? 0) - (u.scales['x']?.min ?? 0);
          const head = spec.x.time ? formatClock(x, span > 600 ? 3600 : 600) : `${spec.x.label} ${fmtValue(x)}`;
          const rows = spec.series.map((s, k) => {
            const v = (u.data[k + 1] as (number | null)[] | undefined)?.[idx];
            return h('div', { class: 'tip-row' }, h('span', { class: 'swatch', style: `background:${s.color}` }), `${s.label}: `, h('b', null, fmtValue(v)));
          });
          const cursorX = u.posToVal(left, 'x');
          const pxPerX = u.bbox.width / devicePixelRatio / Math.max(1e-9, span);
          const near = (spec.markers ?? []).filter((m) => m.message && Math.abs(m.x - cursorX) * pxPerX <= 6).slice(0, 3);
          tip.replaceChildren(h('div', { class: 'tip-head' }, head), ...rows, ...near.map((m) => h('div', { class: 'tip-event', style: `border-color:${m.color}` }, m.message)));
          tip.hidden = false;
          const w = u.over.clientWidth;
          tip.style.left = `${Math.min(left + 14, Math.max(0, w - 240))}px`;
          tip.style.top = `${Math.max(0, top + 10)}px`;
        },
      ],
    },
  };
}

/**
 * Creates a chart inside `parent`: a figure with the canvas, the live legend (values at the
 * cursor), a tooltip, drag-to-zoom with a reset button, a y-mode choice when the chart asks for
 * one, and the data as a table in a `<details>` (the accessible alternative). It follows the
 * parent's width, and recomputes its x and y ranges on every update.
 */
export function createChart(parent: HTMLElement, spec: ChartSpec, rawData: ChartData): Chart {
  // The width as last measured (reading clientWidth on every update would force a layout).
  let knownWidth = parent.clientWidth || 900;
  const prepare = (sp: ChartSpec, d: ChartData): ChartData => decimate(sp.series.length > 0 && sp.series.every((x) => x.stepped) ? compressSteps(d) : d, maxPoints(knownWidth));
  let current = spec;
  let raw = rawData;
  let data = prepare(spec, rawData);
  let yMode: YMode = 'linear';
  const body = h('div', { class: 'chart-body' });
  const tip = h('div', { class: 'chart-tip', hidden: true, 'aria-hidden': 'true' });
  const reset = h('button', { type: 'button', class: 'link-button small', hidden: true, onclick: () => resetZoom() }, 'Reset zoom');
  const modeSelect = h(
    'select',
    { class: 'y-mode', 'aria-label': `${spec.title}: y axis`, onchange: () => setMode(modeSelect.value as YMode) },
    h('option', { value: 'linear' }, 'y: whole range'),
    h('option', { value: 'clip' }, 'y: clip spikes (p99)'),
    h('option', { value: 'log' }, 'y: log scale'),
  );
  const tools = h('div', { class: 'chart-tools' }, reset, spec.yModes ? modeSelect : null);
  const tableSlot = h('div', { class: 'table-wrap' });
  const tableDetails = h('details', { class: 'chart-table', ontoggle: () => tableDetails.open && drawTable() }, h('summary', null, 'Data as a table'), tableSlot);
  const caption = h('figcaption', { class: 'chart-title' }, spec.title);
  const element = h('figure', { class: 'chart', role: 'group', 'aria-label': spec.title }, h('div', { class: 'chart-head' }, caption, tools), body, tableDetails);
  parent.append(element);
  let sig = signature(spec, yMode);
  const widthOf = (): number => Math.max(240, Math.floor(body.clientWidth || parent.clientWidth || 600));
  const clipAt = (): number => percentile99(data.slice(1).filter((_, k) => !current.series[k]?.right));
  let zoomed = false;
  let shareNext = false;
  const record = (u: uPlot): void => {
    const x = u.scales['x'];
    const y = u.scales['y'];
    element.dataset['xMin'] = String(x?.min ?? '');
    element.dataset['xMax'] = String(x?.max ?? '');
    element.dataset['yMax'] = String(y?.max ?? '');
    const [lo, hi] = xRange(current, u.data as ChartData);
    zoomed = (x?.min ?? lo) > lo + 1e-9 || (x?.max ?? hi) < hi - 1e-9;
    reset.hidden = !zoomed;
  };
  const make = (): uPlot => {
    const o = options(() => current, widthOf(), yMode, tip, clipAt);
    o.hooks = {
      draw: [record],
      ready: [record],
      // A zoom made here (a drag, "Reset zoom") applies to the charts of the same syncKey.
      // The selection comes before uPlot applies the zoom: share it once the x scale is set.
      setScale: [
        (u: uPlot, key: string) => {
          if (key !== 'x' || !shareNext) return;
          shareNext = false;
          shareZoom(current.syncKey, u);
        },
      ],
      setSelect: [
        (u: uPlot) => {
          if (!current.brush) {
            if (u.select.width >= 2) shareNext = true;
            return;
          }
          if (u.select.width < 2 || !current.syncKey) return;
          const min = u.posToVal(u.select.left, 'x');
          const max = u.posToVal(u.select.left + u.select.width, 'x');
          for (const other of zoomGroups.get(current.syncKey) ?? []) other.setScale('x', { min, max });
        },
      ],
    };
    const p = new uPlot(o, data as uPlot.AlignedData, body);
    if (current.syncKey && !current.brush) {
      let g = zoomGroups.get(current.syncKey);
      if (!g) zoomGroups.set(current.syncKey, (g = new Set()));
      g.add(p);
    }
    p.over.append(tip);
    p.root.querySelector('canvas')?.setAttribute('aria-hidden', 'true');
    p.over.addEventListener('mouseleave', () => (tip.hidden = true));
    record(p);
    return p;
  };
  let plot = make();
  const resetZoom = (): void => {
    const [lo, hi] = xRange(current, data);
    shareNext = true;
    plot.setScale('x', { min: lo, max: hi });
  };
  const drop = (p: uPlot): void => {
    for (const g of zoomGroups.values()) g.delete(p);
    p.destroy();
  };
  const setMode = (m: YMode): void => {
    yMode = m;
    sig = signature(current, yMode);
    drop(plot);
    plot = make();
  };
  function drawTable(): void {
    const rows = decimate(raw, 400);
    const x = rows[0] ?? [];
    const span = (x[x.length - 1] ?? 0) - (x[0] ?? 0);
    setChildren(
      tableSlot,
      h(
        'table',
        { class: 'data' },
        h('caption', { class: 'sr-only' }, current.title),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, current.x.label), ...current.series.map((s) => h('th', { scope: 'col' }, s.label)))),
        h(
          'tbody',
          null,
          ...x.map((xv, i) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row' }, xv === null ? '–' : current.x.time ? formatClock(xv, span > 600 ? 3600 : 600) : String(xv)),
              ...current.series.map((_, k) => {
                const v = rows[k + 1]?.[i];
                return h('td', null, v === null || v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(2));
              }),
            ),
          ),
        ),
      ),
      x.length < (raw[0]?.length ?? 0) ? h('p', { class: 'hint' }, `${x.length} of ${raw[0]?.length ?? 0} rows (each stretch keeps its first row and each series’ lowest and highest).`) : null,
    );
  }
  let lastWidth = widthOf();
  const observer = new ResizeObserver(() => {
    const w = widthOf();
    if (Math.abs(w - lastWidth) >= 2) {
      lastWidth = w;
      knownWidth = w;
      plot.setSize({ width: w, height: current.height ?? 220 });
    }
  });
  observer.observe(body);
  return {
    element,
    update(next, rawNext) {
      current = next;
      raw = rawNext;
      data = prepare(next, rawNext);
      element.setAttribute('aria-label', next.title);
      caption.textContent = next.title;
      const nextSig = signature(next, yMode);
      if (nextSig !== sig) {
        sig = nextSig;
        drop(plot);
        plot = make();
      } else {
        // Ranges follow the data: setData with rescaling runs the range functions again.
        plot.setData(data as uPlot.AlignedData, true);
      }
      if (tableDetails.open) drawTable();
    },
    destroy() {
      observer.disconnect();
      drop(plot);
      element.remove();
    },
  };
}
