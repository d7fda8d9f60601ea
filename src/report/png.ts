/** SVG to PNG, for charts embedded where SVG is not welcome (chat, issues, slides). */
import { createRequire } from 'node:module';
import type * as ResvgModule from '@resvg/resvg-js';

let resvgModule: typeof ResvgModule | undefined;

/** resvg (a native addon), loaded on the first PNG drawn, not when the CLI starts. */
function loadResvg(): typeof ResvgModule {
  resvgModule ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof ResvgModule;
  return resvgModule;
}

/** Options of {@link svgToPng}. */
export interface SvgToPngOptions {
  /** Output width in pixels, height scaled to match; default the SVG's own width. */
  widthPx?: number;
}

/**
 * Rasterises an SVG document with resvg, using the fonts installed on the machine (text falls back
 * to DejaVu Sans, the font most Linux images ship).
 *
 * @throws {RangeError} when `widthPx` is not a positive integer
 * @throws {Error} from resvg when the SVG does not parse
 * @example
 * svgToPng(renderTimeChartSvg(chart), { widthPx: 2200 }); // -> <Buffer 89 50 4e 47 ...>
 */
export function svgToPng(svg: string, options: SvgToPngOptions = {}): Buffer {
  const { widthPx } = options;
  if (widthPx !== undefined && !(Number.isInteger(widthPx) && widthPx > 0)) {
    throw new RangeError(`Cannot render PNG as 'widthPx' must be a positive integer: current value is ${widthPx}`);
  }
  const resvg = new (loadResvg().Resvg)(svg, {
    fitTo: widthPx === undefined ? { mode: 'original' } : { mode: 'width', value: widthPx },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
