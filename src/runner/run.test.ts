// run.json: what is written is what --resume and the reports read back, texts stored once.

import { mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { scenariosOrThrow } from '../dataset/load.ts';
import { registryOrThrow } from '../registry/load.ts';
import type { Suite } from '../suite/schema.ts';
import { root, tempDir } from '../testing/cli.ts';
import { planCells } from './plan.ts';
import type { CellResult } from './results.ts';
import { buildResults, newRunId, pointLatest, readRunMetaFile, relocateRun, spentInJournal, writeResultsFile, writeRunMeta, type RunMeta } from './run.ts';

const suite = { prompt: 'pipeline-design-architect', versions: 'all', models: [{ provider: 'openai', model: 'gpt-5.6-terra' }, { provider: 'anthropic', model: 'claude-sonnet-5-5' }], scenarios: 'all', samples: 5 } as Suite;
const scenarios = scenariosOrThrow(join(root, 'datasets/scenarios')).slice(0, 4);
const meta: RunMeta = { runId: 'r1', suiteFile: 'evals/x.yaml', suite, startedAt: '2026-11-27T10:00:00.000Z', versions: ['1.1.0', '1.2.0'], scenarios: scenarios.map((s) => s.id), cells: planCells(suite, registryOrThrow(join(root, 'prompts')), scenarios) };

it('reads back exactly what it wrote, keeping each system and user text once', () => {
  const dir = tempDir();
  writeRunMeta(dir, meta);
  const file = join(dir, 'run.json');
  expect(readRunMetaFile(file)).toEqual(meta);
  const full = JSON.stringify(meta).length;
  expect(statSync(file).size).toBeLessThan(full / 4);
  const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { texts: string[] };
  expect(onDisk.texts).toHaveLength(new Set(meta.cells.flatMap((c) => [c.request.system, c.request.user])).size);
});

it('reads a run.json written in full (older runs), and names a damaged one', () => {
  const dir = tempDir();
  const file = join(dir, 'run.json');
  writeFileSync(file, JSON.stringify(meta));
  expect(readRunMetaFile(file)).toEqual(meta);
  writeFileSync(file, JSON.stringify({ ...meta, texts: [], cells: [{ ...meta.cells[0], request: { ...meta.cells[0]!.request, system: 3, user: 0 } }] }));
  expect(() => readRunMetaFile(file)).toThrow(`${file}: /cells/0/request/system: text 3 is not in /texts; the file is damaged`);
  writeFileSync(file, '{"runId": ');
  expect(() => readRunMetaFile(file)).toThrow(new RegExp(`^${file}: not valid JSON`));
});

it('writes results.json as JSON with one cell per line', () => {
  const dir = tempDir();
  const file = join(dir, 'results.json');
  const cell = (id: string): CellResult => ({ id, promptId: 'p', version: '1.1.0', promptSha256: 'abc', scenario: 's', provider: 'openai', model: 'm', label: 'M', sample: 0, status: 'ok', stopReason: 'completed', usage: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 }, costUsd: 0.01, latencyMs: 5, storeKey: 'k', cached: false, score: 0.5, pass: false, grades: { sections: { pass: false, score: 0.5, reason: 'a "quoted" reason — €5' } }, finishedAt: '2026-11-27T10:00:00.000Z' });
  for (const cells of [[], [cell('a')], Array.from({ length: 1203 }, (_, i) => cell(`c${i}`))]) {
    const results = buildResults(meta, cells, 0, 'complete', 0.5);
    writeResultsFile(file, results);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual(results);
    expect(text.split('\n').filter((l) => l.startsWith('    {"id":'))).toHaveLength(cells.length);
    expect(text.startsWith('{\n  "runId": "r1",')).toBe(true);
  }
});

it('makes run ids that sort in the order the runs started, also within one second', () => {
  const t = Date.parse('2026-11-27T10:00:00.000Z');
  const ids = [0, 1, 2, 999, 1000, 61_000].map((ms) => newRunId(new Date(t + ms)));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
});

it('points latest at a run by replacing it (a link or a file holding the path), and leaves a real folder alone with a warning', () => {
  const dir = tempDir();
  const latest = join(dir, 'latest');
  const warnings: string[] = [];
  pointLatest(latest, 'runs/a', (w) => warnings.push(w));
  expect(readlinkSync(latest)).toBe('runs/a');
  pointLatest(latest, 'runs/b', (w) => warnings.push(w));
  expect(readlinkSync(latest)).toBe('runs/b');
  // Where symlinks were not allowed, an earlier run left a file holding the path: replaced too.
  writeFileSync(join(dir, 'latest-file'), 'runs/old\n');
  pointLatest(join(dir, 'latest-file'), 'runs/c', (w) => warnings.push(w));
  expect(readlinkSync(join(dir, 'latest-file'))).toBe('runs/c');
  expect(warnings).toEqual([]);
  mkdirSync(join(dir, 'folder'));
  pointLatest(join(dir, 'folder'), 'runs/d', (w) => warnings.push(w));
  expect(statSync(join(dir, 'folder')).isDirectory()).toBe(true);
  expect(warnings).toEqual([expect.stringMatching(/folder is a folder, not a link made by promptgate; left as it is/)]);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

it('relocates a resumed run to where it is now, each correction one warning', () => {
  const warnings: string[] = [];
  const recorded = { ...meta, suite: { ...suite, out: '/old/place/runs', store: '/old/place/store' } };
  const dir = tempDir();
  mkdirSync(join(dir, 'store'));
  const moved = relocateRun(recorded, join(dir, 'runs'), undefined, (w) => warnings.push(w));
  expect(moved.suite).toMatchObject({ out: join(dir, 'runs'), store: join(dir, 'store') });
  expect(warnings).toHaveLength(2);
  // Nothing moved, nothing said; an explicit --store wins.
  const same = relocateRun(moved, join(dir, 'runs'), '/elsewhere/store', (w) => warnings.push(w));
  expect(same.suite).toMatchObject({ out: join(dir, 'runs'), store: '/elsewhere/store' });
  expect(warnings).toHaveLength(2);
});

it('adds up the spend of every invocation from the journal: paid lines count, store hits do not', () => {
  const line = (costUsd: number | null, cached: boolean) => ({ costUsd, cached, usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 } }) as CellResult;
  expect(spentInJournal([line(0.1, false), line(0.2, true), line(0.05, false), line(null, false)])).toBeCloseTo(0.15, 9);
  // No usage reported: the worst case the cap reserved for it, not $0.
  const unreported = { ...line(null, false), id: 'x', usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, unreported: true } } as CellResult;
  expect(spentInJournal([line(0.1, false), unreported], (id) => (id === 'x' ? 0.09 : null))).toBeCloseTo(0.19, 9);
});
