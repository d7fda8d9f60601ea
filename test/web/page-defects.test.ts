/**
 * The defects of issue 15, each in Chromium: charts follow their data, bad numbers are shown
 * (not replaced), the page never blocks (long tasks), the seeds' case explained, and the small
 * ones (unknown scenario, damaged link, "1 replica", the exported name).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHash } from '../../web/src/url-state.js';
import { hasChromium, startPageFixture, updateCount, waitForUpdate, type PageFixture } from './page-fixture.js';

const has = hasChromium();

async function setField(page: Page, selector: string, value: string): Promise<void> {
  const before = await updateCount(page);
  await page.fill(selector, value);
  await waitForUpdate(page, before);
}

/** The x and y ranges a chart last drew with (`data-x-min`... on its figure). */
async function ranges(page: Page, titleContains: string): Promise<{ xMin: number; xMax: number; yMax: number }> {
  return page.evaluate((t) => {
    const fig = [...document.querySelectorAll<HTMLElement>('figure.chart')].find((f) => !f.closest('[hidden]') && (f.getAttribute('aria-label') ?? '').includes(t));
    if (!fig) throw new Error(`no visible chart titled '${t}'`);
    return { xMin: Number(fig.dataset['xMin']), xMax: Number(fig.dataset['xMax']), yMax: Number(fig.dataset['yMax']) };
  }, titleContains);
}

describe.skipIf(!has)('issue 15 in Chromium', () => {
  let fx: PageFixture;
  beforeAll(async () => {
    fx = await startPageFixture();
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
  });

  it('scenario charts follow their data: 40 min, then 24 h, then 30 min', async () => {
    const hash = await encodeHash({ view: 'scenario', scenario: { source: { kind: 'builtin', id: 'builtin:traffic-spike' }, duration: '40m' } });
    const { page, errors } = await fx.open(`index.html#${hash}`);
    await page.waitForSelector('[data-testid="summary-podHours"]');
    expect((await ranges(page, 'replicas and ready pods')).xMax).toBe(2400);
    let n = await updateCount(page);
    await page.selectOption('[data-field="source"]', 'builtin:diurnal');
    await waitForUpdate(page, n);
    await expect.poll(async () => (await ranges(page, 'replicas and ready pods')).xMax).toBe(86_400);
    expect((await ranges(page, 'offered load')).xMax).toBe(86_400);
    n = await updateCount(page);
    await page.fill('.scenario-controls [data-field="duration"]', '30m');
    await page.press('.scenario-controls [data-field="duration"]', 'Enter');
    await waitForUpdate(page, n);
    await expect.poll(async () => (await ranges(page, 'replicas and ready pods')).xMax).toBe(1800);
    expect(errors).toEqual([]);
  });

  it('calculator charts follow maxReplicas 3 -> 10', async () => {
    const { page, errors } = await fx.open();
    expect((await ranges(page, 'Desired against current replicas')).xMax).toBeLessThanOrEqual(3);
    await setField(page, '[data-field="maxReplicas"]', '10');
    const r = await ranges(page, 'Desired against current replicas');
    expect(r.xMax).toBe(10);
    expect(r.yMax).toBeGreaterThanOrEqual(10);
    expect((await ranges(page, 'Desired replicas against')).yMax).toBeGreaterThanOrEqual(10);
    expect(errors).toEqual([]);
  });
});
