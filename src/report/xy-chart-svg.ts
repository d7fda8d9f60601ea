/** The XY chart: desired vs current replicas, as in the blog's Figures 4 and 5. */
import type { XYChart } from './chart-spec.js';
import {
  extent,
  GRID_LINE_COLOR,
  LABEL_CHAR_PX,
  MUTED_COLOR,
  PALETTE,
  TEXT_COLOR,
  THRESHOLD_COLOR,
  tickLabels,
} from './chart-style.js';
import { renderEchartsSvg } from './echarts-ssr.js';
import { niceScale } from './nice-scale.js';
import { formatNumber } from './tabular.js';

/**
 * Renders an XY chart as an SVG document, e.g. desired vs current replicas with the identity line
 * y = x (the blog's Figures 4 and 5: above the line the HPA keeps scaling up, on it it never
 * scales down).
 *
 * @throws {RangeError} when a series' `x` and `y` differ in length
 */
export function renderXYChartSvg(chart: XYChart): string {
  const widthPx = chart.widthPx ?? 720;
  const heightPx = chart.heightPx ?? 480;
  for (const s of chart.series) {
    if (s.x.length !== s.y.length) {
      throw new RangeError(`Cannot render series '${s.name}' as 'x' and 'y' differ in length: ${s.x.length} and ${s.y.length}`);
    }
  }
  const xs = extent(chart.series.flatMap((s) => s.x));
  const ys = extent(chart.series.flatMap((s) => s.y));
  const isInt = (v: number): boolean => !Number.isFinite(v) || Number.isInteger(v);
  const xInteger = chart.series.every((s) => s.x.every(isInt));
  const yInteger = chart.series.every((s) => s.y.every(isInt));
  const identity = chart.identityLine === true && Number.isFinite(xs.lo);
  const xScale = niceScale(Math.min(0, xs.lo), xs.hi, { integer: xInteger });
  const yHi = identity ? Math.max(ys.hi, xs.hi) : ys.hi;
  const yScale = niceScale(Math.min(0, ys.lo), yHi + (yHi - Math.min(0, ys.lo)) * 0.05, { integer: yInteger });
  const labelChars = Math.max(3, ...tickLabels(yScale).map((l) => l.length));
  const gridLeftPx = 34 + labelChars * LABEL_CHAR_PX;
  const bottomPx = chart.caption ? 92 : 56;

  const series: object[] = chart.series.map((s, j) => ({
    type: 'line',
    name: s.name,
    data: s.x.map((x, i) => [x, Number.isFinite(s.y[i]) ? s.y[i] : null]),
    step: s.step === true ? 'end' : false,
    showSymbol: s.x.length <= 60,
    symbolSize: 6,
    color: PALETTE[j % PALETTE.length],
    lineStyle: { width: 2, type: s.dashed === true ? [6, 4] : 'solid' },
  }));
  if (identity) {
    series.push({
      type: 'line',
      name: 'y = x',
      data: [
        [xScale.min, xScale.min],
        [xScale.max, xScale.max],
      ],
      showSymbol: false,
      symbol: 'none',
      color: THRESHOLD_COLOR,
      lineStyle: { width: 1.2, type: [6, 4] },
    });
  }
  const legendNames = series.map((s) => (s as { name: string }).name);
  // The identity line has no points, so its legend entry shows only the dashed line.
  const legendData = legendNames.map((name, i) =>
    identity && i === legendNames.length - 1 ? { name, itemStyle: { opacity: 0 } } : { name },
  );

  return renderEchartsSvg(
    {
      title: {
        text: chart.title,
        left: 16,
        top: 10,
        textStyle: { fontSize: 16, fontWeight: 'bold', color: TEXT_COLOR },
      },
      legend: { data: legendData, top: 40, itemGap: 16, left: gridLeftPx, textStyle: { color: TEXT_COLOR, fontSize: 12 } },
      grid: { left: gridLeftPx, right: 28, top: 76, bottom: bottomPx },
      xAxis: {
        type: 'value',
        min: xScale.min,
        max: xScale.max,
        interval: xScale.interval,
        name: chart.xLabel,
        nameLocation: 'middle',
        nameGap: 30,
        nameTextStyle: { color: MUTED_COLOR, fontSize: 12 },
        axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v, { compact: true }) },
        splitLine: { show: true, lineStyle: { color: GRID_LINE_COLOR } },
      },
      yAxis: {
        type: 'value',
        min: yScale.min,
        max: yScale.max,
        interval: yScale.interval,
        name: chart.yLabel,
        nameLocation: 'middle',
        nameGap: gridLeftPx - 22,
        nameTextStyle: { color: MUTED_COLOR, fontSize: 12 },
        axisLine: { show: true, lineStyle: { color: '#9ca3af' } },
        axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v, { compact: true }) },
        splitLine: { show: true, lineStyle: { color: GRID_LINE_COLOR } },
      },
      ...(chart.caption
        ? {
            graphic: [
              {
                type: 'text',
                left: 16,
                bottom: 12,
                style: { text: chart.caption, fill: MUTED_COLOR, fontSize: 12, width: widthPx - 32, overflow: 'break' },
              },
            ],
          }
        : {}),
      series,
    },
    {
      widthPx,
      heightPx,
      title: chart.title,
      description: [`${chart.yLabel} against ${chart.xLabel}: ${legendNames.join(', ')}`, chart.caption]
        .filter(Boolean)
        .join('. '),
    },
  );
}
