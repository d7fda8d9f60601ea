/**
 * One self-contained HTML file per run: inline CSS and SVG, no script, no external URL, so it can be
 * mailed, attached to a ticket or printed as is.
 */
import { addAccessibleName } from './echarts-ssr.js';
import { escapeXml } from './escape.js';
import { formatNumber } from './tabular.js';
import { formatClock } from './time-axis.js';

/** A chart already rendered to SVG (see `renderTimeChartSvg`). */
export interface ReportChart {
  title: string;
  svg: string;
}

/** A table of figures (pod-hours, latency percentiles, flaps ...). */
export interface ReportTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

/** Something the reader should act on, with the evidence and the fix. */
export interface ReportFinding {
  title: string;
  severity: 'info' | 'warning' | 'critical';
  evidence: string;
  fix: string;
}

/** An HPA event (`SuccessfulRescale`, `FailedGetPodsMetric` ...), `t` in seconds from the start. */
export interface ReportEvent {
  t: number;
  hpa?: string;
  type: string;
  reason: string;
  message: string;
}

/** Everything {@link renderHtmlReport} puts on the page. */
export interface HtmlReportInput {
  title: string;
  subtitle?: string;
  charts: ReportChart[];
  summaryTables: ReportTable[];
  findings: ReportFinding[];
  events: ReportEvent[];
  notes?: string[];
  /** Footer line, e.g. `hpa-lab 0.1.0`. */
  generatedBy?: string;
  /** Events listed at most; the rest are counted, not shown. Default 2000. */
  maxEvents?: number;
}

const SEVERITY_LABEL: Record<ReportFinding['severity'], string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Info',
};
const SEVERITY_ORDER: Record<ReportFinding['severity'], number> = { critical: 0, warning: 1, info: 2 };

const CSS = `
:root { color-scheme: light; --fg: #1f2937; --muted: #4b5563; --line: #d1d5db; --bg-alt: #f9fafb;
  --info: #1d4ed8; --warning: #92400e; --critical: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--fg); background: #fff; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 6px; }
.subtitle { color: var(--muted); margin: 0; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 20px; list-style: none; padding: 0; margin: 16px 0 0; }
a { color: var(--info); }
.finding { border: 1px solid var(--line); border-left: 6px solid var(--info); border-radius: 4px; padding: 12px 16px; margin: 0 0 12px; }
.finding.warning { border-left-color: #d97706; }
.finding.critical { border-left-color: var(--critical); }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em;
  padding: 1px 8px; border-radius: 10px; margin-right: 8px; vertical-align: 2px; color: #fff; background: var(--info); }
.warning .badge { background: var(--warning); }
.critical .badge { background: var(--critical); }
.finding p { margin: 4px 0; white-space: pre-line; }
figure { margin: 0 0 24px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 4px; }
table { border-collapse: collapse; margin: 0 0 20px; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 12px 4px 0; text-align: left; vertical-align: top; }
th { border-bottom-width: 2px; white-space: nowrap; }
td.num, th.num { text-align: right; }
td.time { white-space: nowrap; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
tr.warning td { background: #fffbeb; }
.events td.message { word-break: break-word; }
.omitted, .empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 0.85rem; padding: 24px; border-top: 1px solid var(--line); margin-top: 32px; }
@media print {
  body { font-size: 11pt; }
  nav { display: none; }
  header, main, footer { max-width: none; padding: 0; }
  figure, .finding, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

/** A link to another document (anything but a `#fragment` or an inline `data:` URI). */
const EXTERNAL_REF = /\s(?:xlink:)?href\s*=\s*(["'])(?!\s*(?:#|data:))[^"']*\1/gi;

/**
 * Makes an SVG safe to inline in the report: drops any XML declaration, doctype, comments,
 * `<script>`, `<foreignObject>`, event-handler attributes, `@import` and links to other documents,
 * and gives the root an accessible name when it has none. Meant for the charts this module renders,
 * not as a general-purpose sanitiser for hostile SVG.
 *
 * @throws {TypeError} when the text has no `<svg>` root element
 */
export function sanitizeSvg(svg: string, options: { title: string; idPrefix?: string }): string {
  const { title, idPrefix } = options;
  const cleaned = svg
    .replace(/<\?xml[^>]*\?>/gi, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<script\b[\s\S]*?(?:<\/script\s*>|$)/gi, '')
    .replace(/<foreignObject\b[\s\S]*?(?:<\/foreignObject\s*>|$)/gi, '')
    .replace(/\son[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/@import[^;]*;?/gi, '')
    .replace(EXTERNAL_REF, '')
    .trim();
  if (!cleaned.startsWith('<svg')) {
    throw new TypeError(`Cannot embed chart '${title}' as its 'svg' does not start with '<svg': it starts with '${cleaned.slice(0, 40)}'`);
  }
  const labelled = addAccessibleName(cleaned, title);
  return idPrefix === undefined ? labelled : prefixIds(labelled, idPrefix);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Prefixes every `id` (and the `url(#id)` / `href="#id"` references to it) and echarts' generated
 * `zrN-cls-M` class names. Several inline SVGs share one HTML document, and echarts names the
 * clip paths and classes of every chart alike (`zr0-c0`), so without this the second chart would be
 * clipped by the first chart's clip path.
 */
export function prefixIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid\s*=\s*"([^"]+)"/g)) ids.add(m[1] as string);
  let out = svg.replace(/\b(zr\d+-cls-\d+)\b/g, `${prefix}$1`);
  if (ids.size === 0) return out;
  const alternatives = [...ids].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  out = out.replace(new RegExp(`(\\sid\\s*=\\s*")(${alternatives})"`, 'g'), `$1${prefix}$2"`);
  out = out.replace(new RegExp(`url\\(\\s*(['"]?)#(${alternatives})\\1\\s*\\)`, 'g'), `url($1#${prefix}$2$1)`);
  out = out.replace(new RegExp(`(href\\s*=\\s*")#(${alternatives})"`, 'g'), `$1#${prefix}$2"`);
  return out;
}

function cell(value: string | number, tag: 'td' | 'th' = 'td'): string {
  if (typeof value === 'number') return `<${tag} class="num">${escapeXml(formatNumber(value))}</${tag}>`;
  return `<${tag}>${escapeXml(value)}</${tag}>`;
}

function renderTable(table: ReportTable): string {
  const numeric = table.columns.map((_, c) => {
    const values = table.rows.map((r) => r[c]).filter((v) => v !== undefined && v !== '');
    return values.length > 0 && values.every((v) => typeof v === 'number');
  });
  const head = table.columns
    .map((c, i) => `<th scope="col"${numeric[i] ? ' class="num"' : ''}>${escapeXml(c)}</th>`)
    .join('');
  const body = table.rows.map((row) => `<tr>${row.map((v) => cell(v)).join('')}</tr>`).join('\n');
  return `<table>\n<caption>${escapeXml(table.title)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function renderFindings(findings: readonly ReportFinding[]): string {
  if (findings.length === 0) return '<p class="empty">No findings.</p>';
  return [...findings]
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
    .map(
      (f) => `<article class="finding ${f.severity}">
<h3><span class="badge">${SEVERITY_LABEL[f.severity]}</span>${escapeXml(f.title)}</h3>
<p><strong>Evidence:</strong> ${escapeXml(f.evidence)}</p>
<p><strong>Fix:</strong> ${escapeXml(f.fix)}</p>
</article>`,
    )
    .join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function renderEvents(events: readonly ReportEvent[], maxEvents: number): string {
  if (events.length === 0) return '<p class="empty">No events.</p>';
  const span = Math.max(0, ...events.map((e) => (Number.isFinite(e.t) ? e.t : 0)));
  const withHpa = events.some((e) => e.hpa !== undefined);
  const shown = events.slice(0, maxEvents);
  const head = ['Time', ...(withHpa ? ['HPA'] : []), 'Type', 'Reason', 'Message']
    .map((c) => `<th scope="col">${c}</th>`)
    .join('');
  const rows = shown.map((e) => {
    const cells = [
      `<td class="time">${escapeXml(formatClock(e.t, { spanSeconds: span }))}</td>`,
      ...(withHpa ? [`<td>${escapeXml(e.hpa ?? '')}</td>`] : []),
      `<td>${escapeXml(e.type)}</td>`,
      `<td>${escapeXml(e.reason)}</td>`,
      `<td class="message">${escapeXml(e.message)}</td>`,
    ];
    return `<tr${e.type === 'Warning' ? ' class="warning"' : ''}>${cells.join('')}</tr>`;
  });
  const omitted = events.length - shown.length;
  const note = omitted > 0 ? `\n<p class="omitted">${plural(omitted, 'more event')} not shown (${events.length} in total).</p>` : '';
  return `<table class="events">\n<caption>${plural(events.length, 'event')}, time from the start of the run</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>${note}`;
}

/**
 * Renders a complete, self-contained HTML report: title, findings (most severe first), summary
 * tables, charts as inline SVG, the event list and notes. All text is escaped; chart SVGs are
 * sanitised and labelled for screen readers. The output depends only on the input (no timestamp).
 *
 * @throws {TypeError} when a chart's `svg` has no `<svg>` root element
 * @example
 * renderHtmlReport({ title: 'asr spike', charts: [], summaryTables: [], findings: [], events: [] });
 * // -> '<!doctype html>\n<html lang="en">...'
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const maxEvents = input.maxEvents ?? 2000;
  const sections: { id: string; heading: string; body: string }[] = [
    { id: 'findings', heading: 'Findings', body: renderFindings(input.findings) },
  ];
  if (input.summaryTables.length > 0) {
    sections.push({ id: 'summary', heading: 'Summary', body: input.summaryTables.map(renderTable).join('\n') });
  }
  if (input.charts.length > 0) {
    const figures = input.charts.map(
      (c, i) => `<figure>\n${sanitizeSvg(c.svg, { title: c.title, idPrefix: `chart${i + 1}-` })}\n<figcaption>${escapeXml(c.title)}</figcaption>\n</figure>`,
    );
    sections.push({ id: 'charts', heading: 'Charts', body: figures.join('\n') });
  }
  sections.push({ id: 'events', heading: 'Events', body: renderEvents(input.events, maxEvents) });
  if (input.notes && input.notes.length > 0) {
    sections.push({
      id: 'notes',
      heading: 'Notes',
      body: `<ul>\n${input.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('\n')}\n</ul>`,
    });
  }
  const nav = sections.map((s) => `<li><a href="#${s.id}">${s.heading}</a></li>`).join('');
  const main = sections
    .map((s) => `<section id="${s.id}" aria-labelledby="${s.id}-h">\n<h2 id="${s.id}-h">${s.heading}</h2>\n${s.body}\n</section>`)
    .join('\n');
  const subtitle = input.subtitle ? `\n<p class="subtitle">${escapeXml(input.subtitle)}</p>` : '';
  const footer = input.generatedBy ? `\n<footer>Generated by ${escapeXml(input.generatedBy)}</footer>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeXml(input.title)}</h1>${subtitle}
<nav aria-label="Contents"><ol>${nav}</ol></nav>
</header>
<main>
${main}
</main>${footer}
</body>
</html>
`;
}
