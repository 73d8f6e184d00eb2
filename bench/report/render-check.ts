// The report's size and render-time check, to run by hand (not a timed unit test, whose timing
// would depend on whatever else the machine is doing):
//
//   npx tsx bench/report/render-check.ts [--rounds 5] [--compare]
//
// Builds a synthetic 2-version × 16-scenario × 2-model × 3-sample run whose 192 documents are all
// different (full-length calibration documents with their numbers and word order changed, so the
// compression is no better than on real outputs), writes its reports, and opens report.html from
// disk in Chromium several times, each in a fresh page. Prints the figures, and exits 1 when the
// median time to a ready page reaches 2 s or the HTML reaches 5 MB (the limits).

import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { tempDir } from '../../src/testing/cli.ts';
import { launchChromium } from '../../src/report/chromium.ts';
import { syntheticRun } from './fixture.ts';
import { writeReports } from '../../src/report/write.ts';

const LIMIT_MS = 2000;
const LIMIT_BYTES = 5 * 1024 * 1024;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, compare: { type: 'boolean' } } });
const rounds = Number(values.rounds);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let t = performance.now();
const run = syntheticRun({ root: tempDir(), distinct: true });
const older = values.compare ? syntheticRun({ root: tempDir(), runId: '2026-11-01T09-00-00Z-older', versions: ['1.1.0'], shift: -0.2, distinct: true, extras: false }) : null;
const buildMs = performance.now() - t;
t = performance.now();
const paths = await writeReports(run.dir, older ? { compare: { runDir: older.dir } } : {});
const writeMs = performance.now() - t;
const size = (f: string) => statSync(f).size;

const chromium = await launchChromium();
const loads: { ready: number; dcl: number; load: number; drill: number }[] = [];
try {
  for (let i = 0; i < rounds; i++) {
    const page = await chromium.context.newPage();
    const start = Date.now();
    await page.goto(pathToFileURL(paths.html).href, { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="1"]');
    const ready = Date.now() - start;
    const nav = (await page.evaluate(`(() => { const n = performance.getEntriesByType('navigation')[0]; return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd }; })()`)) as { dcl: number; load: number };
    // The first drill-down pays for inflating every document: measure it too.
    const t0 = Date.now();
    await page.locator('#cell-table button.open').first().click();
    await page.waitForFunction(`document.querySelectorAll('#drill-doc li').length > 10`);
    loads.push({ ready, ...nav, drill: Date.now() - t0 });
    await page.close();
  }
} finally {
  await chromium.close();
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
const readyMs = median(loads.map((l) => l.ready));
console.log(`synthetic run: 2 versions × 16 scenarios × 2 models × 3 samples = 192 cells (+4 references), every document different${older ? '; compared with a 96-cell run' : ''}`);
console.log(`built in ${(buildMs / 1000).toFixed(1)} s; writeReports took ${(writeMs / 1000).toFixed(2)} s (most of it re-grading the documents for their evidence lines)`);
console.log(`report.html ${mb(size(paths.html))} · report.md ${size(paths.md).toLocaleString('en')} bytes · junit.xml ${mb(size(paths.junit))}`);
console.log(`Chromium, ${rounds} fresh page loads from disk (median; all rounds below):`);
console.log(`  navigation → page ready (script done): ${readyMs} ms   [${loads.map((l) => l.ready).join(', ')}]`);
console.log(`  DOMContentLoaded: ${median(loads.map((l) => l.dcl)).toFixed(0)} ms · load event: ${median(loads.map((l) => l.load)).toFixed(0)} ms`);
console.log(`  first drill-down (inflate all documents, render one): ${median(loads.map((l) => l.drill))} ms`);
const ok = readyMs < LIMIT_MS && size(paths.html) < LIMIT_BYTES;
console.log(ok ? `OK: under ${LIMIT_MS} ms and ${mb(LIMIT_BYTES)}` : `OVER THE LIMIT: ${LIMIT_MS} ms / ${mb(LIMIT_BYTES)}`);
process.exitCode = ok ? 0 : 1;
