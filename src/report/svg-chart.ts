/**
 * Charts as SVG strings, rendered with echarts on the server: stacked time panels sharing one time
 * axis (replicas, metric vs target, latency ...) and XY charts (desired vs current replicas).
 */
import type { Marker, Panel, Series, TimeChart } from './chart-spec.js';
import {
  extent,
  GRID_LINE_COLOR,
  LABEL_CHAR_PX,
  MARKER_COLORS,
  MUTED_COLOR,
  PALETTE,
  TEXT_COLOR,
  THRESHOLD_COLOR,
  tickLabels,
} from './chart-style.js';
import { downsampleSeries, type SampledSeries } from './downsample-min-max.js';
import { renderEchartsSvg } from './echarts-ssr.js';
import { niceScale, type NiceScale } from './nice-scale.js';
import { formatNumber } from './tabular.js';
import { chooseTimeInterval, formatClock } from './time-axis.js';

export { renderXYChartSvg } from './xy-chart-svg.js';

/** Points per series after downsampling; more than a chart has pixels across. */
export const MAX_POINTS_PER_SERIES = 2000;

const DEFAULT_WIDTH_PX = 1100;
const DEFAULT_PANEL_HEIGHT_PX = 200;
const HEADER_PX = 44;
const SUBTITLE_PX = 22;
const PANEL_TITLE_PX = 30;
const PANEL_GAP_PX = 14;
const FOOTER_PX = 52;
const GRID_RIGHT_PX = 24;
/** Approximate width of one character of the 10 px marker labels. */
const MARKER_CHAR_PX = 6;
/** Markers closer than this to the previous labelled one lose their label (the line stays). */
const MARKER_LABEL_SPACING_PX = 14;

function toData(s: SampledSeries): [number, number | null][] {
  return s.t.map((t, i) => {
    const y = s.y[i] as number;
    return [t, Number.isFinite(y) ? y : null];
  });
}

interface PreparedPanel {
  panel: Panel;
  sampled: SampledSeries[];
  scale: NiceScale;
  labels: string[];
}

function yScaleFor(panel: Panel, sampled: readonly SampledSeries[]): NiceScale {
  const data = extent(sampled.flatMap((s) => s.y));
  const thresholds = extent((panel.thresholds ?? []).map((th) => th.y));
  const integer = sampled.every((s) => s.y.every((v) => !Number.isFinite(v) || Number.isInteger(v)));
  const lo = panel.yMin ?? Math.min(0, data.lo, thresholds.lo);
  let hi = panel.yMax ?? Math.max(data.hi, thresholds.hi);
  if (!Number.isFinite(hi)) hi = Number.isFinite(lo) ? lo + 1 : 1;
  // Headroom so a line or threshold at the maximum does not run along the panel's top border.
  if (panel.yMax === undefined) hi += (hi - (Number.isFinite(lo) ? lo : 0)) * 0.05;
  const scale = niceScale(lo, hi, { targetTicks: 4, integer });
  return {
    min: panel.yMin ?? scale.min,
    max: panel.yMax ?? scale.max,
    interval: scale.interval,
  };
}

function prepare(panel: Panel): PreparedPanel {
  const sampled = panel.series.map((s: Series) =>
    downsampleSeries(s.t, s.y, { maxPoints: MAX_POINTS_PER_SERIES, step: s.step ?? false }),
  );
  const scale = yScaleFor(panel, sampled);
  return { panel, sampled, scale, labels: tickLabels(scale) };
}

/** Marker lines, one per pixel column and kind, labelled where labels do not collide. */
function markerLines(
  markers: readonly Marker[],
  axis: { tMin: number; tMax: number; plotWidthPx: number; plotHeightPx: number },
): object[] {
  const { tMin, tMax, plotWidthPx, plotHeightPx } = axis;
  // Labels run up along their line: keep them inside the panel's height.
  const maxLabelChars = Math.max(4, Math.floor((plotHeightPx - 12) / MARKER_CHAR_PX));
  const pxPerSecond = tMax > tMin ? plotWidthPx / (tMax - tMin) : 0;
  const sorted = [...markers].filter((m) => m.t >= tMin && m.t <= tMax).sort((a, b) => a.t - b.t);
  const seen = new Set<string>();
  let lastLabelPx = -Infinity;
  const lines: object[] = [];
  for (const m of sorted) {
    const kind = m.kind ?? 'info';
    const px = (m.t - tMin) * pxPerSecond;
    const key = `${kind}:${Math.round(px)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const showLabel = px - lastLabelPx >= MARKER_LABEL_SPACING_PX && m.label !== '';
    const label = m.label.length > maxLabelChars ? `${m.label.slice(0, maxLabelChars - 1)}…` : m.label;
    if (showLabel) lastLabelPx = px;
    lines.push({
      xAxis: m.t,
      name: m.label,
      lineStyle: { color: MARKER_COLORS[kind], type: 'solid', width: 1, opacity: 0.55 },
      label: {
        show: showLabel,
        formatter: () => label,
        position: 'insideEndTop',
        color: MARKER_COLORS[kind],
        fontSize: 10,
        distance: 2,
        opacity: 1,
        backgroundColor: 'rgba(255,255,255,0.85)',
        padding: [1, 2],
      },
    });
  }
  return lines;
}

function thresholdLines(panel: Panel, scale: NiceScale): object[] {
  return (panel.thresholds ?? [])
    .filter((th) => th.y >= scale.min && th.y <= scale.max)
    .map((th) => ({
      yAxis: th.y,
      name: th.label,
      lineStyle: { color: THRESHOLD_COLOR, type: [6, 4], width: 1.2 },
      label: {
        show: true,
        formatter: () => th.label,
        position: 'insideEndTop',
        color: MUTED_COLOR,
        fontSize: 11,
        backgroundColor: 'rgba(255,255,255,0.8)',
        padding: [1, 3],
      },
    }));
}

function describeTimeChart(chart: TimeChart): string {
  const panels = chart.panels.map((p) => `${p.title} (${p.yLabel}): ${p.series.map((s) => s.name).join(', ')}`);
  return [chart.subtitle, `Panels over ${chart.xLabel ?? 'time'}: ${panels.join('; ')}`].filter(Boolean).join('. ');
}

/**
 * Renders stacked panels that share one time axis as an SVG document. Each panel has its own y
 * axis, legend, dashed threshold lines (metric target, maxReplicas) and vertical event markers;
 * series longer than {@link MAX_POINTS_PER_SERIES} are downsampled first (step series exactly).
 *
 * @throws {RangeError} when the chart has no panels or a series' `t` and `y` differ in length
 * @example
 * renderTimeChartSvg({ title: 'asr', panels: [{ title: 'Replicas', yLabel: 'pods',
 *   series: [{ name: 'current', t: [0, 15, 30], y: [1, 2, 2], step: true }] }] });
 * // -> '<svg role="img" aria-label="asr" width="1100" ...'
 */
export function renderTimeChartSvg(chart: TimeChart): string {
  if (chart.panels.length === 0) {
    throw new RangeError(`Cannot render chart '${chart.title}' as 'panels' is empty: give at least one panel`);
  }
  const widthPx = chart.widthPx ?? DEFAULT_WIDTH_PX;
  const panelHeightPx = chart.heightPerPanelPx ?? DEFAULT_PANEL_HEIGHT_PX;
  const prepared = chart.panels.map(prepare);

  const times = extent(prepared.flatMap((p) => p.sampled.flatMap((s) => [s.t[0] ?? NaN, s.t[s.t.length - 1] ?? NaN])));
  const tMin = Number.isFinite(times.lo) ? Math.min(0, times.lo) : 0;
  const tMax = Number.isFinite(times.hi) && times.hi > tMin ? times.hi : tMin + 60;
  const labelChars = Math.max(3, ...prepared.flatMap((p) => p.labels.map((l) => l.length)));
  const gridLeftPx = 34 + labelChars * LABEL_CHAR_PX;
  const plotWidthPx = widthPx - gridLeftPx - GRID_RIGHT_PX;
  const interval = chooseTimeInterval(tMax - tMin, Math.max(2, Math.floor(plotWidthPx / 90)));
  const axisMin = Math.floor(tMin / interval) * interval;
  const spanSeconds = tMax - axisMin;

  const headerPx = HEADER_PX + (chart.subtitle ? SUBTITLE_PX : 0);
  const blockPx = PANEL_TITLE_PX + panelHeightPx + PANEL_GAP_PX;
  const heightPx = headerPx + prepared.length * blockPx - PANEL_GAP_PX + FOOTER_PX;
  const last = prepared.length - 1;

  const titles: object[] = [
    {
      text: chart.title,
      subtext: chart.subtitle ?? '',
      left: 16,
      top: 10,
      textStyle: { fontSize: 17, fontWeight: 'bold', color: TEXT_COLOR },
      subtextStyle: { fontSize: 12, color: MUTED_COLOR },
      itemGap: 6,
    },
  ];
  const grids: object[] = [];
  const xAxes: object[] = [];
  const yAxes: object[] = [];
  const legends: object[] = [];
  const series: object[] = [];

  prepared.forEach(({ panel, sampled, scale }, i) => {
    const gridTop = headerPx + i * blockPx + PANEL_TITLE_PX;
    titles.push({
      text: panel.title,
      left: gridLeftPx,
      top: gridTop - PANEL_TITLE_PX + 6,
      textStyle: { fontSize: 13, fontWeight: 'bold', color: TEXT_COLOR },
    });
    grids.push({ left: gridLeftPx, right: GRID_RIGHT_PX, top: gridTop, height: panelHeightPx, containLabel: false });
    xAxes.push({
      type: 'value',
      gridIndex: i,
      min: axisMin,
      max: tMax,
      interval,
      name: i === last ? (chart.xLabel ?? 'time') : '',
      nameLocation: 'middle',
      nameGap: 30,
      nameTextStyle: { color: MUTED_COLOR, fontSize: 12 },
      axisLine: { lineStyle: { color: '#9ca3af' } },
      axisTick: { show: true },
      axisLabel: {
        show: i === last,
        color: MUTED_COLOR,
        fontSize: 11,
        showMaxLabel: tMax % interval === 0,
        formatter: (v: number) => formatClock(v, { spanSeconds }),
      },
      splitLine: { show: true, lineStyle: { color: GRID_LINE_COLOR } },
    });
    yAxes.push({
      type: 'value',
      gridIndex: i,
      min: scale.min,
      max: scale.max,
      interval: scale.interval,
      name: panel.yLabel,
      nameLocation: 'middle',
      nameGap: gridLeftPx - 22,
      nameTextStyle: { color: MUTED_COLOR, fontSize: 12 },
      axisLine: { show: true, lineStyle: { color: '#9ca3af' } },
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v, { compact: true }) },
      splitLine: { show: true, lineStyle: { color: GRID_LINE_COLOR } },
    });
    legends.push({
      data: panel.series.map((s) => s.name),
      right: GRID_RIGHT_PX,
      top: gridTop - PANEL_TITLE_PX + 6,
      itemWidth: 22,
      itemHeight: 10,
      itemGap: 16,
      itemStyle: { opacity: 0 },
      textStyle: { color: TEXT_COLOR, fontSize: 12 },
    });

    const marks = [
      ...thresholdLines(panel, scale),
      ...markerLines(panel.markers ?? [], { tMin: axisMin, tMax, plotWidthPx, plotHeightPx: panelHeightPx }),
    ];
    const markLine = marks.length === 0 ? undefined : { symbol: ['none', 'none'], silent: true, animation: false, data: marks };

    sampled.forEach((s, j) => {
      const spec = panel.series[j] as Series;
      const color = spec.color ?? PALETTE[j % PALETTE.length];
      series.push({
        type: 'line',
        name: spec.name,
        xAxisIndex: i,
        yAxisIndex: i,
        data: toData(s),
        step: spec.step === true ? 'end' : false,
        showSymbol: false,
        symbol: 'none',
        connectNulls: false,
        color,
        lineStyle: { width: 1.6, type: spec.dashed === true ? [6, 4] : 'solid', color },
        ...(spec.area === true ? { areaStyle: { opacity: 0.15, color } } : {}),
        ...(j === 0 && markLine ? { markLine } : {}),
      });
    });
    if (sampled.length === 0 && markLine) {
      series.push({ type: 'line', name: '', xAxisIndex: i, yAxisIndex: i, data: [], markLine });
    }
  });

  return renderEchartsSvg(
    {
      title: titles,
      grid: grids,
      xAxis: xAxes,
      yAxis: yAxes,
      legend: legends,
      series,
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
    },
    { widthPx, heightPx, title: chart.title, description: describeTimeChart(chart) },
  );
}
