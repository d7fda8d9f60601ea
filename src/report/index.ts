/**
 * Reports: charts (SVG via echarts, PNG via resvg), a self-contained HTML report, CSV and
 * kubectl-style tables. Inputs are plain data; callers map simulator or controller output onto them.
 */
export type { Marker, Panel, Series, TimeChart } from './chart-spec.js';
export { renderHtmlReport, type ReportTable } from './html-report.js';
export { svgToPng } from './png.js';
export { renderTimeChartSvg } from './svg-chart.js';
export { formatDuration, formatTable, toCsv, type Cell } from './tabular.js';
