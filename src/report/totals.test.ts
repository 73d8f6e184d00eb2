// Numbers that must add up, on small synthetic runs: results.json's totals (the references are
// not cells of the run), a comparison with a run that has other scenarios (only the shared ones
// are compared, and the report says how many), and a run in which no model ran (no keys): the
// report and eval's summary say so, name what to set and what the plan costs, and show the
// references instead of empty charts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildResults, readRunMetaFile, writeResults } from '../runner/run.ts';
import type { Results } from '../runner/results.ts';
import { tempDir } from '../testing/cli.ts';
import { buildReport } from './build.ts';
import { syntheticRun, type SyntheticRun } from '../../bench/report/fixture.ts';
import { loadRun } from './load.ts';
import { noModelSummary } from './plan.ts';
import { writeReports } from './write.ts';

let run: SyntheticRun;
beforeAll(() => {
  run = syntheticRun({ root: tempDir(), scenarios: 6, samples: 2 });
}, 60_000);

const resultsOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;

describe('totals', () => {
  it('finished = ok + truncated + refused + errors, and the references are counted apart', () => {
    const r = resultsOf(run.dir);
    const t = r.totals;
    const references = r.cells.filter((c) => c.provider === 'reference').length;
    expect(references).toBeGreaterThan(0);
    expect(t.finished).toBe(r.cells.length - references);
    expect(t.ok + t.truncated + t.refused + t.errors).toBe(t.finished);
    expect(t.ok).toBe(r.cells.filter((c) => c.provider !== 'reference' && c.status === 'ok').length);
  });

  it('a report counts from the cells, so an older results.json that counted references in ok still adds up', () => {
    const data = loadRun(run.dir);
    const inflated = { ...data, results: { ...data.results, totals: { ...data.results.totals, ok: data.results.totals.ok + 4 } } };
    const t = buildReport(inflated).run.totals;
    expect(t.ok + t.truncated + t.refused + t.errors).toBe(t.finished);
  });
});

describe('--compare with a run that has other scenarios', () => {
  it('compares only the shared scenarios and says how many, in the verdicts, grader deltas and charts', async () => {
    const older = syntheticRun({ root: tempDir(), runId: '2026-11-01T09-00-00Z-older', versions: ['1.1.0'], scenarios: 4, samples: 2, shift: -0.2, extras: false });
    const model = buildReport(loadRun(run.dir), loadRun(older.dir));
    expect(model.sharedScenarios).toBe(4);
    expect(model.notes.join('\n')).toMatch(/The runs share 4 scenario\(s\) \(this run has 6, run 2026-11-01T09-00-00Z-older 4\)/);
    for (const p of model.pairs) expect(p.scenarios).toBe(4);
    const shared = new Set(resultsOf(older.dir).suite.scenarios);
    for (const g of [...model.pairGroups, ...model.comparedGroups]) for (const c of g.cells) expect(shared.has(c.scenario)).toBe(true);
    // This run's own tables keep all six.
    expect(new Set(model.groups.flatMap((g) => g.cells.map((c) => c.scenario))).size).toBe(6);
    const { md } = await writeReports(run.dir, { compare: { runDir: older.dir } });
    const text = readFileSync(md, 'utf8');
    expect(text).toMatch(/\(4 scenarios; cost per cell \$0\.\d+ vs \$0\.\d+\)/);
  }, 60_000);
});

describe('a run in which no model ran (no API keys)', () => {
  let dir: string;
  let results: Results;
  beforeAll(() => {
    // A run as eval leaves it without keys: its plan in run.json, only the references graded.
    const nk = syntheticRun({ root: tempDir(), runId: '2026-11-21T09-00-00Z-nokeys', scenarios: 8, samples: 2 });
    const meta = readRunMetaFile(join(nk.dir, 'run.json'));
    results = buildResults(meta, resultsOf(nk.dir).cells.filter((c) => c.provider === 'reference'), meta.cells.length, 'incomplete', 0);
    writeResults(nk.runsDir, results);
    dir = nk.dir;
  }, 60_000);

  it('says so first, with the variable to set per model and the plan\'s cost, and shows the references', async () => {
    const written = await writeReports(dir);
    const md = readFileSync(written.md, 'utf8');
    const html = readFileSync(written.html, 'utf8');
    const headings = md.split('\n').filter((l) => l.startsWith('### '));
    expect(headings).toEqual(['### No model ran: how to run them', '### What a passing document looks like']);
    expect(md).toMatch(/None of the 64 planned cells was requested, because no API key was set/);
    expect(md).toMatch(/\| Claude Sonnet 5\.5 \| set ANTHROPIC_API_KEY \| 32 \| ≤ \$\d+\.\d+ \|/);
    expect(md).toMatch(/\| GPT-5\.6 Terra \| set OPENAI_API_KEY \| 32 \| ≤ \$\d+\.\d+ \|/);
    expect(md).toMatch(/The whole plan costs at most \$\d+\.\d\d\./);
    expect(html).toContain('No cell ran (64 planned), so none was truncated, refused or failed.');
    expect(html + md).not.toContain('every cell finished normally');
    // No empty charts or model tables in the page; the references open in the drill-down.
    expect(html).not.toMatch(/<svg id="(score|cost)-chart"/);
    expect(html).not.toContain('id="grader-table"');
    expect(html).toMatch(/<section id="not-run" class="first-run">/);
    expect(html.indexOf('No model ran')).toBeLessThan(html.indexOf('<dl class="facts">'));
    const table = html.slice(html.indexOf('id="reference-table"'), html.indexOf('</table>', html.indexOf('id="reference-table"')));
    expect([...table.matchAll(/<button type="button" class="open" data-cell="reference\|/g)].length).toBe(results.cells.length);
  }, 60_000);

  it('eval\'s summary says the same on the terminal', () => {
    const text = noModelSummary(readRunMetaFile(join(dir, 'run.json')), results);
    expect(text).toMatch(/^No model ran: none of the 64 planned cells was requested \(no API key was set for any model\)/);
    expect(text).toMatch(/Claude Sonnet 5\.5 +set ANTHROPIC_API_KEY +32 +≤\$\d+\.\d\d/);
    expect(text).toContain('What a passing document looks like');
    expect(results.cells.length).toBe(3);
    for (const c of results.cells) expect(text).toContain(c.scenario);
    expect(noModelSummary(readRunMetaFile(join(dir, 'run.json')), resultsOf(syntheticRun({ root: tempDir(), scenarios: 2, samples: 1, extras: false }).dir))).toBe('');
  });
});
