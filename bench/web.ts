/**
 * The page's update time in a real browser: builds the page, opens the scenario view on a
 * one-day scenario in Chromium, changes the scale-down stabilization window `runs` times, and
 * reads the page's own `performance.now()` figures (`window.__hpaLabTimings`): recompute (the
 * simulator) and redraw (charts, tables, until uPlot has drawn). Also times calculator edits.
 * `npx tsx bench/web.ts` prints the medians; the target is 50 ms per change.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildPage, startStaticServer } from '../src/web-server/index.js';
import type { Timing } from '../web/src/timings.js';
import { encodeHash } from '../web/src/url-state.js';

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Medians of one kind of update, in milliseconds. */
export interface WebBenchFigures {
  readonly view: string;
  readonly runs: number;
  readonly medianTotalMs: number;
  readonly medianRecomputeMs: number;
  readonly medianRedrawMs: number;
  readonly p90TotalMs: number;
}

/** What `benchWeb` measured. */
export interface WebBenchResult {
  /** One-day scenario: a parameter change (recompute + redraw). */
  readonly scenario: WebBenchFigures;
  /** Calculator: a typed value (engine + both plots). */
  readonly calculator: WebBenchFigures;
  readonly scenarioName: string;
  readonly simulatedSeconds: number;
}

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] ?? NaN;
};

function figures(view: string, samples: readonly Timing[]): WebBenchFigures {
  return {
    view,
    runs: samples.length,
    medianTotalMs: quantile(samples.map((s) => s.totalMs), 0.5),
    medianRecomputeMs: quantile(samples.map((s) => s.recomputeMs), 0.5),
    medianRedrawMs: quantile(samples.map((s) => s.redrawMs), 0.5),
    p90TotalMs: quantile(samples.map((s) => s.totalMs), 0.9),
  };
}

async function edit(page: Page, selector: string, value: string): Promise<Timing> {
  const before = await page.evaluate(() => window.__hpaLabTimings?.count ?? 0);
  await page.fill(selector, value);
  await page.waitForFunction((n) => (window.__hpaLabTimings?.count ?? 0) > n, before, { timeout: 60_000 });
  return page.evaluate(() => window.__hpaLabTimings!.last!);
}

/**
 * Measures the page in Chromium (`/usr/bin/chromium`).
 *
 * @throws {Error} when Chromium is not installed
 * @example (await benchWeb({ runs: 10 })).scenario.medianTotalMs // -> 38.2
 */
export async function benchWeb(options: { runs?: number; scenario?: string } = {}): Promise<WebBenchResult> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Cannot run the web benchmark: ${CHROMIUM_PATH} is not installed (apt-get install -y chromium)`);
  const runs = options.runs ?? 21;
  const scenarioId = options.scenario ?? 'builtin:diurnal';
  const dir = mkdtempSync(join(tmpdir(), 'hpa-lab-bench-web-'));
  const server = await startStaticServer({ root: await buildPage(join(dir, 'page')), port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const hash = await encodeHash({ view: 'scenario', scenario: { source: { kind: 'builtin', id: scenarioId }, duration: '1d' } });
    await page.goto(`${server.url}index.html#${hash}`);
    await page.waitForSelector('[data-testid="summary-podHours"]', { timeout: 60_000 });
    const window = '[data-field="scaleDown.stabilizationWindowSeconds"]';
    // Warm-up: the first runs pay for JIT compilation and chart creation.
    for (const v of ['240', '300', '180']) await edit(page, window, v);
    const scenarioSamples: Timing[] = [];
    for (let i = 0; i < runs; i++) scenarioSamples.push(await edit(page, window, String(60 + ((i * 37) % 540))));
    const simulatedSeconds = scenarioSamples[0]?.simulatedSeconds ?? 0;

    await page.click('#tab-calculator');
    const current = 'fieldset.metric[data-index="0"] [data-field="current"]';
    for (const v of ['500m', '700m']) await edit(page, current, v);
    const calcSamples: Timing[] = [];
    for (let i = 0; i < runs; i++) calcSamples.push(await edit(page, current, `${300 + ((i * 53) % 700)}m`));
    return { scenario: figures('scenario', scenarioSamples), calculator: figures('calculator', calcSamples), scenarioName: scenarioId, simulatedSeconds };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the figures as `npm run bench` does. */
export function formatWebBench(r: WebBenchResult): string {
  const line = (f: WebBenchFigures): string =>
    `${f.view.padEnd(11)} median ${f.medianTotalMs.toFixed(1).padStart(6)} ms  (recompute ${f.medianRecomputeMs.toFixed(1)} ms + redraw ${f.medianRedrawMs.toFixed(1)} ms; p90 ${f.p90TotalMs.toFixed(1)} ms; ${f.runs} changes)`;
  return [
    `## web page: recompute + redraw per parameter change (Chromium, performance.now() in the page)`,
    `${line(r.scenario)}  ${r.scenarioName}, ${r.simulatedSeconds / 3600} h simulated`,
    line(r.calculator),
    'target: < 50 ms per change for a one-day scenario',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? '21');
  console.log(formatWebBench(await benchWeb({ runs })));
}
