/**
 * The page's responsiveness in a real browser (Debian's Chromium through playwright-core):
 * - one-day scenario: a parameter change (the scale-down stabilization window) → recomputed
 *   (the simulator, in the page's worker) → painted (the next frame after the charts are drawn),
 *   as milliseconds and as frames of 16.7 ms; target ≤ 3 frames;
 * - calculator: a typed value → recomputed → painted; target ≤ 1 frame;
 * - a 30-day scenario: the longest main-thread task ('longtask' entries) from the change to its
 *   charts; target: none over 50 ms (input never waits).
 * `npm run bench -- web` prints the medians.
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

/** The frame budget at 60 Hz. */
export const FRAME_MS = 1000 / 60;

/** One measured change: from the input event to the frame after the draw. */
export interface ChangeSample {
  /** Input event → painted. */
  readonly totalMs: number;
  /** The page's own split (`window.__hpaLabTimings`): waiting for the numbers, then drawing. */
  readonly timing: Timing;
}

/** Medians of one kind of change. */
export interface WebBenchFigures {
  readonly view: string;
  readonly runs: number;
  readonly medianTotalMs: number;
  readonly medianFrames: number;
  readonly medianRecomputeMs: number;
  readonly medianRedrawMs: number;
  readonly p90TotalMs: number;
}

/** What `benchWeb` measured. */
export interface WebBenchResult {
  readonly scenario: WebBenchFigures;
  readonly calculator: WebBenchFigures;
  readonly scenarioName: string;
  readonly simulatedSeconds: number;
  /** 30-day scenario: the longest main-thread task from the change to its charts (ms), and how many were > 50 ms. */
  readonly month: { readonly maxLongTaskMs: number; readonly over50: number; readonly runMs: number };
}

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] ?? NaN;
};

function figures(view: string, samples: readonly ChangeSample[]): WebBenchFigures {
  const total = quantile(samples.map((s) => s.totalMs), 0.5);
  return {
    view,
    runs: samples.length,
    medianTotalMs: total,
    medianFrames: total / FRAME_MS,
    medianRecomputeMs: quantile(samples.map((s) => s.timing.recomputeMs), 0.5),
    medianRedrawMs: quantile(samples.map((s) => s.timing.redrawMs), 0.5),
    p90TotalMs: quantile(samples.map((s) => s.totalMs), 0.9),
  };
}

/** Sets a field's value in the page and times input event → recorded update → next frame painted. */
async function change(page: Page, selector: string, value: string, event: 'input' | 'change' = 'input'): Promise<ChangeSample> {
  return page.evaluate(
    ({ selector, value, event }) =>
      new Promise<ChangeSample>((resolve, reject) => {
        const el = document.querySelector<HTMLInputElement>(selector);
        if (!el) return reject(new Error(`no element ${selector}`));
        const timings = window.__hpaLabTimings!;
        const t0 = performance.now();
        timings.onRecord = (timing) => {
          timings.onRecord = undefined;
          // The frame that shows it: after the next animation frame has been produced.
          requestAnimationFrame(() => setTimeout(() => resolve({ totalMs: performance.now() - t0, timing }), 0));
        };
        el.value = value;
        el.dispatchEvent(new Event(event, { bubbles: true }));
      }),
    { selector, value, event },
  );
}

/**
 * Measures the page in Chromium (`/usr/bin/chromium`).
 *
 * @throws {Error} when Chromium is not installed
 * @example (await benchWeb({ runs: 10 })).calculator.medianFrames // -> 0.4
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
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    const hash = await encodeHash({ view: 'scenario', scenario: { source: { kind: 'builtin', id: scenarioId }, duration: '1d' } });
    await page.goto(`${server.url}index.html#${hash}`);
    await page.waitForSelector('[data-testid="summary-podHours"]', { timeout: 60_000 });
    const windowField = '.hpa-form [data-field="scaleDown.stabilizationWindowSeconds"]';
    // Warm-up: the first runs pay for JIT compilation and chart creation.
    for (const v of ['240', '300', '180']) await change(page, windowField, v);
    const scenarioSamples: ChangeSample[] = [];
    for (let i = 0; i < runs; i++) scenarioSamples.push(await change(page, windowField, String(60 + ((i * 37) % 540))));
    const simulatedSeconds = scenarioSamples[0]?.timing.simulatedSeconds ?? 0;

    // A month: the longest main-thread task while it runs and draws.
    await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.splice(0));
    const month = await change(page, '[data-field="duration"]', '30d', 'change');
    await page.waitForTimeout(500);
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.splice(0));

    await page.click('#tab-calculator');
    const current = 'fieldset.metric[data-index="0"] [data-field="current"]';
    for (const v of ['500m', '700m']) await change(page, current, v);
    const calcSamples: ChangeSample[] = [];
    for (let i = 0; i < runs; i++) calcSamples.push(await change(page, current, `${300 + ((i * 53) % 700)}m`));
    return {
      scenario: figures('scenario', scenarioSamples),
      calculator: figures('calculator', calcSamples),
      scenarioName: scenarioId,
      simulatedSeconds,
      month: { maxLongTaskMs: Math.max(0, ...tasks), over50: tasks.filter((d) => d > 50).length, runMs: month.totalMs },
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the figures as `npm run bench` does. */
export function formatWebBench(r: WebBenchResult): string {
  const line = (f: WebBenchFigures, target: number): string =>
    `${f.view.padEnd(11)} ${f.medianFrames.toFixed(2).padStart(5)} frames (target ≤ ${target}${f.medianFrames <= target ? '' : ', not met'}): median ${f.medianTotalMs.toFixed(1)} ms = recompute ${f.medianRecomputeMs.toFixed(1)} + draw ${f.medianRedrawMs.toFixed(1)} + paint; p90 ${f.p90TotalMs.toFixed(1)} ms; ${f.runs} changes`;
  return [
    `## web page: parameter change → recomputed → painted, in frames of ${FRAME_MS.toFixed(1)} ms (Chromium)`,
    `${line(r.scenario, 3)}  (${r.scenarioName}, ${r.simulatedSeconds / 3600} h)`,
    line(r.calculator, 1),
    `30-day    longest main-thread task ${r.month.maxLongTaskMs.toFixed(0)} ms, ${r.month.over50} over 50 ms (target: none); run + draw ${(r.month.runMs / 1000).toFixed(2)} s in the worker, with a progress bar`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? '21');
  console.log(formatWebBench(await benchWeb({ runs })));
}
