// report.html in a real browser (Debian's Chromium through playwright-core), opened from disk as
// a user would: no console errors, no network request of any kind, charts that are real SVGs with
// a size, sortable tables, a drill-down that opens with evidence highlighted, and XSS payloads in a
// model's output and a grader's reason that stay text. Under CI=true a Chromium that cannot start
// fails the run; elsewhere these tests are skipped with a message saying how to install it.

import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/cli.ts';
import { CHROMIUM, launchChromium, type Chromium } from './chromium.ts';
import { syntheticRun, XSS, type SyntheticRun } from '../../bench/report/fixture.ts';
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
    // PROMPTGATE_SHOTS keeps the screenshots somewhere to look at (the default is a temp folder).
    shots = process.env.PROMPTGATE_SHOTS ?? tempDir();
    mkdirSync(shots, { recursive: true });
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
  }, 180_000);

  afterAll(async () => {
    if (!(launched instanceof Error)) await launched.close();
  });

  it('Chromium starts', () => {
    if (launched instanceof Error) throw new Error(`Chromium (${CHROMIUM}) cannot start, and CI=true makes that a failure: ${launched.message}`);
  });

  it('draws the two charts as SVGs with a size', async () => {
    for (const id of ['score-chart', 'cost-chart']) {
      const chart = page.locator(`#${id}`);
      expect(await chart.evaluate((e) => e.tagName.toLowerCase())).toBe('svg');
      const box = await chart.boundingBox();
      expect(box?.width, id).toBeGreaterThan(100);
      expect(box?.height, id).toBeGreaterThan(100);
    }
    expect(await page.locator('#score-chart path.whisker').count()).toBe(5);
    expect(await page.locator('#cost-chart circle').count()).toBe(4);
  });

  it('shows the output matrix: a row per scenario, a column per version × model and the references, failing graders in the cells', async () => {
    expect(await page.locator('#output-matrix tbody tr').count()).toBe(16);
    const heads = await page.locator('#output-matrix thead th').allTextContents();
    expect(heads.map((h) => h.replace(/\s+/g, ' ').trim())).toEqual(['scenario', '1.1.0Claude Sonnet 5.5', '1.1.0GPT-5.6 Terra', '1.2.0Claude Sonnet 5.5', '1.2.0GPT-5.6 Terra', 'Hand-writtenreference']);
    expect(await page.locator('#output-matrix tbody td.out').count()).toBe(16 * 5);
    const states = await page.locator('#output-matrix td.out').evaluateAll((tds) => tds.map((td) => td.className));
    expect(states.some((c) => c.includes('pass'))).toBe(true);
    expect(states.some((c) => c.includes('fail') || c.includes('mixed'))).toBe(true);
    expect(await page.locator('#output-matrix .failing span').count()).toBeGreaterThan(10);
    const row = page.locator('#output-matrix tbody tr').nth(2);
    const scenario = (await row.locator('th').textContent())!.trim();
    await row.locator('button.out').nth(3).click();
    await expect.poll(() => page.locator('#drill-title').textContent()).toMatch(new RegExp(`^1\\.2\\.0 · GPT-5\\.6 Terra · ${scenario} · sample \\d$`));
    await page.locator('#drill-close').click();
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
    expect(await page.locator('#drill-grades tbody tr').count()).toBe(await page.locator('#grader-table tbody tr').count());
    // Code blocks and diagrams are their own scrolling boxes, one list item per line.
    expect(await page.locator('#drill-doc li.block ol.code li').count()).toBeGreaterThan(5);
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

  it('puts two versions side by side with a line diff and the verdicts aligned above, and two models of one version', async () => {
    await page.locator('button[data-sxs-preset="versions"]').click();
    await expect.poll(() => page.locator('#sxs-diff .t').count()).toBeGreaterThan(20);
    expect(await page.locator('#sxs-left-head').textContent()).toMatch(/^1\.1\.0 · Claude Sonnet 5\.5 · (pass|FAIL) \d\.\d\d$/);
    expect(await page.locator('#sxs-right-head').textContent()).toMatch(/^1\.2\.0 · Claude Sonnet 5\.5 · (pass|FAIL) \d\.\d\d$/);
    expect(await page.locator('#sxs-grades tbody tr').count()).toBe(await page.locator('#grader-table tbody tr').count());
    expect(await page.locator('#sxs-diff .del, #sxs-diff .add').count()).toBeGreaterThan(0);
    // The verdict columns sit above the two documents: left over left, right over right.
    const [grades, diff] = [await page.locator('#sxs-grades').boundingBox(), await page.locator('#sxs-diff').boundingBox()];
    expect(grades!.y + grades!.height).toBeLessThanOrEqual(diff!.y + 1);
    const [l, r] = [await page.locator('#sxs-diff .t').nth(0).boundingBox(), await page.locator('#sxs-diff .t').nth(1).boundingBox()];
    expect(l!.x + l!.width).toBeLessThanOrEqual(r!.x);
    expect(Math.abs(l!.y - r!.y)).toBeLessThan(1);
    await page.locator('button[data-sxs-preset="models"]').click();
    await expect.poll(() => page.locator('#sxs-left-head').textContent()).toMatch(/^1\.2\.0 · Claude Sonnet 5\.5/);
    expect(await page.locator('#sxs-right-head').textContent()).toMatch(/^1\.2\.0 · GPT-5\.6 Terra/);
    await page.screenshot({ path: join(shots, 'side-by-side.png') });
  });

  it('shows a document carrying XSS payloads side by side as text', async () => {
    const [, scenario, model, sample] = run.xssCell!.split('|') as [string, string, string, string];
    await page.locator('#sxs-scenario').selectOption(scenario);
    await page.locator('#sxs-sample').selectOption(sample);
    const right = await page.locator(`#sxs-right option[data-version="1.2.0"][data-model="${model}"]`).getAttribute('value');
    await page.locator('#sxs-right').selectOption(right!);
    await expect.poll(() => page.locator('#sxs-diff').textContent()).toContain(XSS[2]);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(await page.locator('#sxs-diff script, #sxs-diff img, #sxs-diff svg').count()).toBe(0);
  });

  for (const width of [1280, 800]) {
    it(`at ${width} px: no horizontal page overflow, tables in their own box, chart labels that do not overlap, round ticks`, async () => {
      const p = await (launched as Chromium).context.newPage();
      try {
        await p.setViewportSize({ width, height: 900 });
        await p.goto(url, { waitUntil: 'load' });
        await p.waitForSelector('html[data-ready="1"]');
        const m = (await p.evaluate(LAYOUT)) as Layout;
        expect(m.scrollWidth, 'page width').toBeLessThanOrEqual(width);
        expect(m.overflowing, 'sections wider than the page').toEqual([]);
        // The graders table fits the page at 1280 px; narrower, it scrolls in its own box.
        if (width === 1280) expect(m.graderTable).toBeLessThanOrEqual(m.graderBox);
        expect(m.overlaps, 'overlapping chart labels').toEqual([]);
        expect(m.costTicks.length).toBeGreaterThanOrEqual(3);
        expect(roundSteps(m.costTicks), `ticks ${m.costTicks.join(' ')}`).toBe(true);
        expect(roundSteps(m.scoreTicks), `ticks ${m.scoreTicks.join(' ')}`).toBe(true);
        await p.screenshot({ path: join(shots, `report-${width}.png`) });
        await p.screenshot({ path: join(shots, `report-${width}-full.png`), fullPage: true });
        // The document view: diagrams and code keep their lines (one line box each, scrolling
        // sideways in their block); prose wraps.
        await p.locator('#output-matrix button.out').first().click();
        await expect.poll(() => p.locator('#drill-doc li').count()).toBeGreaterThan(50);
        const d = (await p.evaluate(DOC)) as DocLayout;
        expect(d.codeLines).toBeGreaterThan(5);
        expect(d.wrappedCode, 'code or diagram lines wrapped').toEqual([]);
        if (width === 800) expect(d.scrollingBlocks, 'a wide diagram scrolls in its block').toBeGreaterThan(0);
        expect(d.wrappedProse, 'long prose lines wrap').toBeGreaterThan(0);
        expect((await p.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(width);
        const block = p.locator('#drill-doc li.block').first();
        await block.scrollIntoViewIfNeeded();
        await p.screenshot({ path: join(shots, `drill-${width}.png`) });
        await p.locator('#drill-close').click();
        await p.locator('button[data-sxs-preset="versions"]').click();
        await expect.poll(() => p.locator('#sxs-diff .t').count()).toBeGreaterThan(20);
        await p.locator('#side-by-side').scrollIntoViewIfNeeded();
        expect((await p.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(width);
        await p.screenshot({ path: join(shots, `side-by-side-${width}.png`) });
        await p.locator('#output-matrix').scrollIntoViewIfNeeded();
        await p.screenshot({ path: join(shots, `outputs-${width}.png`) });
      } finally {
        await p.close();
      }
    });
  }

  it('saves a screenshot of the whole page', async () => {
    const file = join(shots, 'report.png');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(shots, 'report-top.png') });
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(50_000);
    console.log(`report screenshots: ${file} and ${join(shots, 'drill-down.png')}`);
  });
});

interface Layout {
  scrollWidth: number;
  overflowing: string[];
  graderTable: number;
  graderBox: number;
  overlaps: string[];
  costTicks: number[];
  scoreTicks: number[];
}

// Measured in the page (a string: a serialised function would carry the TypeScript loader's helpers).
const LAYOUT = `(() => {
  const de = document.documentElement;
  const w = (sel) => { const e = document.querySelector(sel); return e ? e.getBoundingClientRect().width : 0; };
  const overlaps = [];
  for (const svg of document.querySelectorAll('svg[id]')) {
    const boxes = [...svg.querySelectorAll('text')].map((t) => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i][1], b = boxes[j][1];
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left), y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 0.5 && y > 0.5) overlaps.push(svg.id + ': "' + boxes[i][0] + '" × "' + boxes[j][0] + '"');
    }
  }
  const num = (t) => Number(t.textContent.replace('$', ''));
  return {
    scrollWidth: de.scrollWidth,
    overflowing: [...document.querySelectorAll('main > *, main section')].filter((e) => e.getBoundingClientRect().right > de.clientWidth + 0.5).map((e) => e.id || e.tagName),
    graderTable: w('#grader-table'),
    graderBox: w('#graders .scroll'),
    overlaps,
    costTicks: [...document.querySelectorAll('#cost-chart text.tick')].filter((t) => t.textContent.startsWith('$')).map(num),
    scoreTicks: [...document.querySelectorAll('#cost-chart text.tick')].filter((t) => !t.textContent.startsWith('$')).map(num),
  };
})()`;

interface DocLayout {
  codeLines: number;
  wrappedCode: string[];
  scrollingBlocks: number;
  wrappedProse: number;
}

const DOC = `(() => {
  const code = [...document.querySelectorAll('#drill-doc ol.code li')];
  const line = parseFloat(getComputedStyle(code[0] || document.body).lineHeight) || 18;
  return {
    codeLines: code.length,
    wrappedCode: code.filter((li) => getComputedStyle(li).whiteSpace !== 'pre' || li.getBoundingClientRect().height > line * 1.5).map((li) => li.id + ': ' + li.textContent.slice(0, 40)),
    scrollingBlocks: [...document.querySelectorAll('#drill-doc li.block')].filter((b) => b.scrollWidth > b.clientWidth + 1).length,
    wrappedProse: [...document.querySelectorAll('#drill-doc > li[data-n]')].filter((li) => li.getBoundingClientRect().height > line * 1.5).length,
  };
})()`;

/** Evenly spaced ticks whose step is 1, 2 or 5 times a power of ten (0.02, 0.05, 0.1…). */
function roundSteps(ticks: number[]): boolean {
  if (ticks.length < 2) return false;
  const step = ticks[1]! - ticks[0]!;
  const even = ticks.every((t, i) => Math.abs(t - ticks[0]! - i * step) < step * 1e-6);
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return even && [1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6);
}
