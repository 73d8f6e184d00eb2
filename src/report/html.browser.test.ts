// report.html in a real browser (Debian's Chromium through playwright-core), opened from disk as
// a user would: no console errors, no network request of any kind, charts that are real SVGs with
// a size, sortable tables, a drill-down that opens with evidence highlighted, and XSS payloads in a
// model's output and a grader's reason that stay text. Under CI=true a Chromium that cannot start
// fails the run; elsewhere these tests are skipped with a message saying how to install it.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/cli.ts';
import { CHROMIUM, launchChromium } from './chromium.ts';
import { syntheticRun, XSS, type SyntheticRun } from './fixture.ts';
import { writeReports } from './write.ts';

const ci = process.env.CI === 'true';
const launched = await launchChromium().catch((error: Error) => error);
const unavailable = launched instanceof Error;
if (unavailable && !ci) console.warn(`SKIPPED: the report.html browser tests: Chromium (${CHROMIUM}) cannot start (${launched.message.split('\n')[0]}); install it with: apt-get install -y chromium`);

describe.skipIf(unavailable && !ci)('report.html in Chromium', () => {
  let run: SyntheticRun;
  let url: string;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];
  const dialogs: string[] = [];
  let shots: string;

  beforeAll(async () => {
    if (launched instanceof Error) return;
    run = syntheticRun({ root: tempDir() });
    const { html } = await writeReports(run.dir);
    url = pathToFileURL(html).href;
    shots = tempDir();
    page = await launched.context.newPage();
    page.on('request', (r) => {
      if (r.url() !== url && !r.url().startsWith(`${url}#`)) requests.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="1"]');
  }, 90_000);

  afterAll(async () => {
    if (!(launched instanceof Error)) await launched.close();
  });

  it('Chromium starts', () => {
    if (launched instanceof Error) throw new Error(`Chromium (${CHROMIUM}) cannot start, and CI=true makes that a failure: ${launched.message}`);
  });

  it('draws the three charts as SVGs with a size', async () => {
    for (const id of ['score-chart', 'heat-map', 'cost-chart']) {
      const chart = page.locator(`#${id}`);
      expect(await chart.evaluate((e) => e.tagName.toLowerCase())).toBe('svg');
      const box = await chart.boundingBox();
      expect(box?.width, id).toBeGreaterThan(100);
      expect(box?.height, id).toBeGreaterThan(100);
    }
    expect(await page.locator('#heat-map g.heat').count()).toBe(16 * 5);
    expect(await page.locator('#score-chart path.whisker').count()).toBe(5);
  });

  it('sorts a table by a column, both ways', async () => {
    const scores = () => page.locator('#cell-table tbody tr td:nth-child(6)').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-v'))));
    const header = page.locator('#cell-table thead th', { hasText: 'score' });
    await header.click();
    const up = await scores();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.click();
    const down = await scores();
    expect(down).toEqual([...up].sort((a, b) => b - a));
    expect(down[0]).toBeGreaterThan(down.at(-1)!);
    const models = page.locator('#matrix-table thead th', { hasText: 'model' });
    await models.click();
    const labels = await page.locator('#matrix-table tbody td:nth-child(3)').allTextContents();
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
  });

  it('opens the drill-down: the document with line numbers, its grades, evidence lines highlighted', async () => {
    await page.locator('#cell-table tbody tr:not([hidden]) button.open').first().click();
    await expect.poll(() => page.locator('dialog#drill[open]').count()).toBe(1);
    await expect.poll(() => page.locator('#drill-doc li').count()).toBeGreaterThan(50);
    expect(await page.locator('#drill-grades tbody tr').count()).toBe(15);
    expect(await page.locator('#drill-doc li.hit').count()).toBeGreaterThan(3);
    await page.locator('#drill-grades tbody tr', { has: page.locator('button') }).first().click();
    expect(await page.locator('#drill-doc li.focus').count()).toBeGreaterThan(0);
    expect(page.url()).toContain('#cell=');
    await page.screenshot({ path: join(shots, 'drill-down.png') });
    await page.locator('#drill-close').click();
    expect(await page.locator('dialog#drill[open]').count()).toBe(0);
  });

  it('opens both documents of a flip', async () => {
    const flip = page.locator('#flip-table tbody tr').first();
    await flip.locator('button', { hasText: 'before' }).click();
    await expect.poll(() => page.locator('#drill-title').textContent()).toMatch(/^1\.1\.0 · /);
    await page.locator('#drill-close').click();
    await flip.locator('button', { hasText: 'after' }).click();
    await expect.poll(() => page.locator('#drill-title').textContent()).toMatch(/^1\.2\.0 · /);
    await page.locator('#drill-close').click();
  });

  it('shows XSS payloads in an output and in a reason as text, and runs none of them', async () => {
    await page.evaluate(`location.hash = ${JSON.stringify(`#cell=${encodeURIComponent(run.xssCell!)}`)}`);
    await expect.poll(() => page.locator('#drill-doc li').count()).toBeGreaterThan(50);
    const lines = await page.locator('#drill-doc li').allTextContents();
    for (const payload of XSS) expect(lines).toContain(payload);
    expect(await page.locator('#drill-grades').textContent()).toContain(XSS[1]);
    await page.waitForTimeout(300);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(await page.evaluate('document.scripts.length')).toBe(2);
    expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
    expect(await page.locator('#drill-doc svg').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.locator('#drill-close').click();
  });

  it('filters the cell list', async () => {
    await page.locator('#cell-filter').fill('error');
    expect(await page.locator('#cell-count').textContent()).toMatch(/^[1-9]\d* cells$/);
    await page.locator('#cell-filter').fill('');
    expect(await page.locator('#cell-count').textContent()).toBe('196 cells');
  });

  it('made no network request and logged no error', async () => {
    expect(requests).toEqual([]);
    expect(await page.evaluate(`performance.getEntriesByType('resource').length`)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('saves a screenshot of the whole page', async () => {
    const file = join(shots, 'report.png');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(shots, 'report-top.png') });
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(50_000);
    console.log(`report screenshots: ${file} and ${join(shots, 'drill-down.png')}`);
  });
});
