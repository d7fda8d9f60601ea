/** Server-side rendering of one echarts option to an accessible SVG string. */
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';
import { escapeXml } from './escape.js';

let echartsModule: typeof Echarts | undefined;

/** echarts, loaded on the first chart drawn (not when the CLI starts: it is most of its start-up time). */
function loadEcharts(): typeof Echarts {
  echartsModule ??= createRequire(import.meta.url)('echarts') as typeof Echarts;
  return echartsModule;
}

/**
 * Font stack used by every chart. echarts' SSR measures text with Helvetica/Arial-like widths, so
 * those come first; elsewhere (Linux, resvg) DejaVu Sans is used in its condensed face.
 */
export const CHART_FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

/** Options of {@link renderEchartsSvg}. */
export interface RenderEchartsOptions {
  widthPx: number;
  heightPx: number;
  /** Accessible name: becomes the SVG's `<title>` and `aria-label`. */
  title: string;
  /** Longer text alternative: becomes the SVG's `<desc>`. */
  description?: string;
}

/**
 * Renders an echarts option with the SSR SVG renderer (no DOM, no animation), disposes the chart,
 * and adds `role="img"`, `aria-label`, `<title>` and `<desc>` to the root element.
 */
export function renderEchartsSvg(option: Echarts.EChartsCoreOption, options: RenderEchartsOptions): string {
  const chart = loadEcharts().init(null, null, { renderer: 'svg', ssr: true, width: options.widthPx, height: options.heightPx });
  let svg: string;
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: CHART_FONT_FAMILY }, ...option });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  return addAccessibleName(condenseFallbackFont(svg), options.title, options.description);
}

/**
 * Asks for the condensed face of whatever font renders the text: Helvetica and Arial have none and
 * are unaffected, while DejaVu Sans (the Linux fallback) switches to DejaVu Sans Condensed, whose
 * widths match echarts' text measurements closely enough for legends not to overlap.
 */
function condenseFallbackFont(svg: string): string {
  return svg.replaceAll('font-family:', 'font-stretch:condensed;font-family:');
}

/**
 * Adds `role="img"`, `aria-label`, `<title>` and optionally `<desc>` to an SVG document's root,
 * keeping any of them that are already there.
 *
 * @throws {TypeError} when the text has no `<svg>` root element
 */
export function addAccessibleName(svg: string, title: string, description?: string): string {
  const open = /<svg\b[^>]*>/.exec(svg);
  if (!open) throw new TypeError(`Cannot label the SVG as it has no '<svg>' root element: it starts with '${svg.slice(0, 40)}'`);
  const label = escapeXml(title);
  const extra = [
    /\srole=/.test(open[0]) ? '' : ' role="img"',
    /\saria-label=/.test(open[0]) ? '' : ` aria-label="${label}"`,
  ].join('');
  const tag = open[0].replace(/^<svg\b/, `<svg${extra}`);
  const end = open.index + open[0].length;
  // An existing <title> (the first child) already names the image; keep it rather than add a second.
  const hasTitle = /^\s*<title[\s>]/.test(svg.slice(end));
  const titleTag = hasTitle ? '' : `<title>${label}</title>`;
  const desc = description === undefined || hasTitle ? '' : `<desc>${escapeXml(description)}</desc>`;
  return `${svg.slice(0, open.index)}${tag}${titleTag}${desc}${svg.slice(end)}`;
}
