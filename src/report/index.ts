/**
 * Reports: charts (SVG via echarts, PNG via resvg), a self-contained HTML report, CSV and
 * kubectl-style tables. Inputs are plain data; callers map simulator or controller output onto them.
 */
export type { Marker, Panel, Series, Threshold, TimeChart, XYChart, XYSeries } from './chart-spec.js';
export { compressSteps, downsampleMinMax, downsampleSeries, type SampledSeries } from './downsample-min-max.js';
export { addAccessibleName, CHART_FONT_FAMILY } from './echarts-ssr.js';
export { escapeXml } from './escape.js';
export {
  renderHtmlReport,
  prefixIds,
  sanitizeSvg,
  type HtmlReportInput,
  type ReportChart,
  type ReportEvent,
  type ReportFinding,
  type ReportTable,
} from './html-report.js';
export { niceScale, type NiceScale } from './nice-scale.js';
export { svgToPng, type SvgToPngOptions } from './png.js';
export { MAX_POINTS_PER_SERIES, renderTimeChartSvg, renderXYChartSvg } from './svg-chart.js';
export {
  formatDuration,
  formatNumber,
  formatTable,
  toCsv,
  type Align,
  type Cell,
  type FormatTableOptions,
} from './tabular.js';
export { chooseTimeInterval, formatClock } from './time-axis.js';
