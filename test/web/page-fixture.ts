/**
 * Shared setup of the browser tests: the page built with Vite into a temporary folder, served on
 * 127.0.0.1:0, and Debian's Chromium driven by playwright-core. Tests skip (with the reason
 * printed) when `/usr/bin/chromium` is absent.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildPage, startStaticServer, type StaticServer } from '../../src/web-server/index.js';
import type {} from '../../web/src/timings.js'; // window.__hpaLabTimings

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Whether Chromium is installed; prints why the browser tests skip when it is not. */
export function hasChromium(): boolean {
  const has = existsSync(CHROMIUM_PATH);
  if (!has) console.warn(`Skipping the browser tests: ${CHROMIUM_PATH} is not installed (apt-get install -y chromium)`);
  return has;
}

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots for people to look at (git-ignored). */
export const ARTIFACTS = join(REPO, 'artifacts', 'web');

/** The built page, served, and a browser. */
export interface PageFixture {
  /** The built page's folder. */
  readonly pageDir: string;
  readonly server: StaticServer;
  readonly browser: Browser;
  /** Opens the page at `path` (e.g. `index.html#s=...`), recording console errors. */
  open(path?: string, viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Builds, serves and launches (call in `beforeAll`). */
export async function startPageFixture(): Promise<PageFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'hpa-lab-web-'));
  await buildPage(join(dir, 'page'));
  const server = await startStaticServer({ root: join(dir, 'page'), port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
  const pages: Page[] = [];
  return {
    pageDir: join(dir, 'page'),
    server,
    browser,
    async open(path = 'index.html', viewport = { width: 1280, height: 800 }) {
      const page = await browser.newPage({ viewport });
      pages.push(page);
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(path.startsWith('file://') ? path : `${server.url}${path}`);
      await page.waitForSelector('html[data-ready="true"]');
      return { page, errors };
    },
    async close() {
      for (const p of pages) await p.close().catch(() => undefined);
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Updates finished so far (`window.__hpaLabTimings.count`). */
export async function updateCount(page: Page): Promise<number> {
  return page.evaluate(() => window.__hpaLabTimings?.count ?? 0);
}

/** Waits until more than `after` updates have finished and the page is idle. */
export async function waitForUpdate(page: Page, after: number): Promise<void> {
  await page.waitForFunction((n) => (window.__hpaLabTimings?.count ?? 0) > n, after, { timeout: 30_000 });
}

/** Saves a full-page screenshot under `artifacts/web/` and returns its path. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean; path?: string } = {}): Promise<string> {
  const path = options.path ?? join(ARTIFACTS, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  // A focused field scrolls the page, and the sticky header then lands mid-image.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}
