/**
 * The page in a real browser (Debian's Chromium through playwright-core): the blog's numbers in
 * the calculator, a stabilization window changing the scenario's summary, a scenario opened from
 * a link, the compare and share views, no console errors, and a screenshot of each view.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageHashForFile } from '../../src/web-server/index.js';
import { encodeHash } from '../../web/src/url-state.js';
import { hasChromium, REPO, screenshot, startPageFixture, updateCount, waitForUpdate, type PageFixture } from './page-fixture.js';

const has = hasChromium();

async function setField(page: Page, selector: string, value: string): Promise<void> {
  const before = await updateCount(page);
  await page.fill(selector, value);
  await waitForUpdate(page, before);
}

const metric = (i: number, field: string): string => `fieldset.metric[data-index="${i}"] [data-field="${field}"]`;

describe.skipIf(!has)('the visualizer page in Chromium', () => {
  let fx: PageFixture;
  beforeAll(async () => {
    fx = await startPageFixture();
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
  });

  it('calculator: CPU 600m of a 500m request at 90% takes 1 replica to 2, a staircase', async () => {
    const { page, errors } = await fx.open();
    // Down to one metric, then the blog's CPU numbers typed in.
    await page.getByRole('button', { name: 'Remove metric 2' }).click();
    await setField(page, '[data-field="replicas"]', '1');
    await setField(page, '[data-field="minReplicas"]', '1');
    await setField(page, '[data-field="maxReplicas"]', '3');
    await page.selectOption(metric(0, 'kind'), 'Resource');
    await setField(page, metric(0, 'name'), 'cpu');
    await setField(page, metric(0, 'request'), '500m');
    await setField(page, metric(0, 'target'), '90');
    await setField(page, metric(0, 'current'), '600m');
    expect(await page.textContent('[data-testid="desired"]')).toBe('2');
    expect(await page.textContent('[data-testid="action"]')).toContain('1 → 2');
    expect(await page.textContent('[data-testid="pattern"]')).toContain('staircase');
    expect(await page.textContent('[data-testid="caption"]')).toContain('f(x) = x + 1');
    await screenshot(page, 'calculator');
    expect(errors).toEqual([]);
  });

  it('calculator: memory 1100Mi of a 1350Mi request at 90% with 3 replicas is a fixed point', async () => {
    const { page, errors } = await fx.open();
    await page.getByRole('button', { name: 'Remove metric 1' }).click();
    await setField(page, '[data-field="replicas"]', '3');
    await setField(page, metric(0, 'name'), 'memory');
    await setField(page, metric(0, 'request'), '1350Mi');
    await setField(page, metric(0, 'target'), '90');
    await setField(page, metric(0, 'current'), '1100Mi');
    expect(await page.textContent('[data-testid="desired"]')).toBe('3');
    expect(await page.textContent('[data-testid="pattern"]')).toContain('fixed point');
    expect(await page.textContent('[data-testid="caption"]')).toContain('never scales down');
    expect(errors).toEqual([]);
  });

  it('calculator: with both metrics the larger proposal wins and the steps explain it', async () => {
    const { page, errors } = await fx.open();
    expect(await page.textContent('[data-testid="desired"]')).toBe('2');
    expect(await page.textContent('tr.winner th')).toContain('cpu');
    expect(await page.textContent('[data-testid="steps"]')).toContain('Largest proposal wins: 2');
    // The README's picture: kept in git, so written only when missing or asked for.
    const docs = join(REPO, 'docs', 'screenshot.png');
    if (!existsSync(docs) || process.env['HPA_LAB_UPDATE_SCREENSHOT'] === '1') await screenshot(page, 'readme', { path: docs, fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    await screenshot(page, 'calculator-390');
    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
  });

  it('scenario: changing the scale-down stabilization window changes the summary', async () => {
    const hash = await encodeHash({ view: 'scenario', scenario: { source: { kind: 'builtin', id: 'builtin:traffic-spike' } } });
    const { page, errors } = await fx.open(`index.html#${hash}`);
    await page.waitForSelector('[data-testid="summary-podHours"]');
    const before = await page.textContent('[data-testid="summary"]');
    const downs = await page.textContent('[data-testid="summary-scaleDowns"]');
    await setField(page, '[data-field="scaleDown.stabilizationWindowSeconds"]', '0');
    await expect.poll(() => page.textContent('[data-testid="summary"]')).not.toBe(before);
    expect(await page.textContent('[data-testid="summary-scaleDowns"]')).not.toBe(downs);
    await screenshot(page, 'scenario');
    // The edit is in the link: reloading it reproduces the edited summary.
    await page.waitForTimeout(400);
    const after = await page.textContent('[data-testid="summary"]');
    const { page: again, errors: errors2 } = await fx.open(new URL(page.url()).pathname.slice(1) + new URL(page.url()).hash);
    await again.waitForSelector('[data-testid="summary-podHours"]');
    expect(await again.textContent('[data-testid="summary"]')).toBe(after);
    expect(await again.inputValue('[data-field="scaleDown.stabilizationWindowSeconds"]')).toBe('0');
    await again.setViewportSize({ width: 390, height: 844 });
    await again.waitForTimeout(200);
    await screenshot(again, 'scenario-390');
    expect(await again.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect([...errors, ...errors2]).toEqual([]);
  });

  it('scenario: a scenario file in the link opens with its own name and HPA', async () => {
    const text = [
      'name: linked-scenario',
      'description: opened from a link',
      'duration: 30m',
      'hpas:',
      '  - manifest:',
      '      apiVersion: autoscaling/v2',
      '      kind: HorizontalPodAutoscaler',
      '      metadata: { name: linked }',
      '      spec:',
      '        scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: linked }',
      '        minReplicas: 1',
      '        maxReplicas: 7',
      '        metrics:',
      '          - type: Pods',
      '            pods: { metric: { name: asr_active_requests }, target: { type: AverageValue, averageValue: "5" } }',
      'traffic: { type: traffic-spike }',
      '',
    ].join('\n');
    const hash = await encodeHash({ view: 'scenario', scenario: { source: { kind: 'file', name: 'linked.yaml', text } } });
    const { page, errors } = await fx.open(`index.html#${hash}`);
    await page.waitForSelector('[data-testid="summary-peakReplicas"]');
    expect(await page.textContent('.view-scenario .results .lede')).toContain('opened from a link');
    expect(await page.textContent('[data-testid="summary-peakReplicas"]')).toMatch(/of 7/);
    expect(await page.inputValue('[data-field="maxReplicas"]')).toBe('7');
    expect(errors).toEqual([]);
  });

  it('compare: a file from hpa-lab serve opens with its variants side by side', async () => {
    const file = join(REPO, 'examples/scenarios/compare-stabilization.yaml');
    if (!existsSync(file)) throw new Error(`missing example ${file}`);
    const hash = await pageHashForFile(file, { view: 'compare' });
    const { page, errors } = await fx.open(`index.html#${hash}`);
    await page.waitForSelector('[data-testid="compare-table"] table');
    const headers = await page.$$eval('[data-testid="compare-table"] thead th', (ths) => ths.map((t) => t.textContent?.trim()));
    expect(headers.slice(1)).toEqual(expect.arrayContaining(['current', 'window-120s', 'target-3', 'target-10']));
    // Adding a configuration adds a column.
    const n = await updateCount(page);
    await page.getByRole('button', { name: '+ faster scale-down (120 s window)' }).click();
    await waitForUpdate(page, n);
    expect(await page.$$eval('[data-testid="compare-table"] thead th', (ths) => ths.length)).toBe(headers.length + 1);
    await screenshot(page, 'compare');
    expect(errors).toEqual([]);
  });

  it('share: the link reproduces the view and the HPA exports as YAML and Helm values', async () => {
    const hash = await encodeHash({ view: 'share', scenario: { source: { kind: 'builtin', id: 'builtin:traffic-spike' } } });
    const { page, errors } = await fx.open(`index.html#${hash}`);
    await expect.poll(() => page.inputValue('[data-testid="share-link"]')).toContain('#s=');
    const manifest = await page.inputValue('[data-testid="export-manifest"]');
    expect(manifest).toContain('apiVersion: autoscaling/v2');
    expect(manifest).toContain('asr_active_requests');
    const helm = await page.inputValue('[data-testid="export-helm"]');
    expect(helm).toContain('targetActiveRequests: 5');
    expect(helm).toContain('lightningAsr:');
    await screenshot(page, 'share');
    // The calculator's cpu/memory HPA has no place in the seeds' chart: said, not thrown.
    await page.selectOption('[data-testid="export-choice"]', 'calculator');
    expect(await page.inputValue('[data-testid="export-manifest"]')).toContain('averageUtilization: 90');
    expect(await page.textContent('.view-share')).toContain('Not expressible in the chart');
    const link = await page.inputValue('[data-testid="share-link"]');
    const { page: again, errors: errors2 } = await fx.open(link.replace(fx.server.url, ''));
    expect(await again.getAttribute('#tab-share', 'aria-selected')).toBe('true');
    expect([...errors, ...errors2]).toEqual([]);
  });

  it('tabs are keyboard operable and each view has an accessible name', async () => {
    const { page, errors } = await fx.open();
    await page.focus('#tab-calculator');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-scenario', 'aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-scenario');
    await page.keyboard.press('End');
    expect(await page.getAttribute('#tab-share', 'aria-selected')).toBe('true');
    // Every form control has a label.
    const unlabelled = await page.$$eval('input, select, textarea', (els) =>
      els
        .filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label') && (e as HTMLInputElement).type !== 'hidden')
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the built page also works opened from disk (file://), without a server', async () => {
    const { page, errors } = await fx.open(`file://${join(fx.pageDir, 'index.html')}`);
    expect(await page.textContent('[data-testid="desired"]')).toBe('2');
    // The worker is bundled inline (a blob URL), so it starts from file:// too.
    expect(await page.getAttribute('html', 'data-compute')).toBe('worker');
    expect(errors).toEqual([]);
  });

  it("the README's scenario picture: a diurnal day with its events, tooltip at the evening peak", async () => {
    const hash = await encodeHash({ view: 'scenario', scenario: { source: { kind: 'builtin', id: 'builtin:diurnal' } } });
    const { page, errors } = await fx.open(`index.html#${hash}`, { width: 1280, height: 1100 });
    await page.waitForSelector('[data-testid="summary-podHours"]');
    const docs = join(REPO, 'docs', 'screenshot-scenario.png');
    if (!existsSync(docs) || process.env['HPA_LAB_UPDATE_SCREENSHOT'] === '1') {
      await page.evaluate(() => window.scrollTo(0, 0));
      const box = (await page.locator('figure.chart .u-over').first().boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.78, box.y + box.height * 0.45);
      await page.waitForTimeout(150);
      await page.screenshot({ path: docs, fullPage: false });
    }
    expect(existsSync(docs)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('records recompute and redraw times for a one-day scenario', async () => {
    const hash = await encodeHash({ view: 'scenario', scenario: { source: { kind: 'builtin', id: 'builtin:diurnal' }, duration: '1d' } });
    const { page, errors } = await fx.open(`index.html#${hash}`);
    await page.waitForSelector('[data-testid="summary-podHours"]');
    await setField(page, '[data-field="scaleDown.stabilizationWindowSeconds"]', '120');
    const last = await page.evaluate(() => window.__hpaLabTimings?.last);
    expect(last?.view).toBe('scenario');
    expect(last?.simulatedSeconds).toBe(86_400);
    expect(last?.recomputeMs).toBeGreaterThan(0);
    expect(last?.redrawMs).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
