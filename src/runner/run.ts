// A run on disk: reports/runs/<run-id>/ holds run.json (what was planned, written first, so a
// run can be resumed), journal.jsonl (each finished cell, appended at once) and results.json
// (written at the end, also after Ctrl-C). reports/latest points at the newest run.

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gradersVersion } from '../../graders/version.ts';
import type { Scenario } from '../dataset/schema.ts';
import { UsageError } from '../errors.ts';
import { readJsonFile } from '../files.ts';
import { writeAtomic } from '../registry/lock.ts';
import type { Suite } from '../suite/schema.ts';
import { withoutEvidence } from './grade-cache.ts';
import type { Grading } from './grading.ts';
import type { Cell } from './plan.ts';
import { buildAggregates, type CellResult, type Results } from './results.ts';

export interface RunMeta {
  runId: string;
  suiteFile: string;
  suite: Suite;
  startedAt: string;
  versions: string[];
  scenarios: string[];
  cells: Cell[];
}

/**
 * A run id: the start time to the millisecond, then 4 random hex digits. To the millisecond so
 * that ids sort in the order the runs started (`ls reports/runs`) — since start-up takes a tenth
 * of a second, two runs often start within the same second.
 */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(2).toString('hex')}`;
}

export function runDir(out: string, runId: string): string {
  return join(out, runId);
}

/**
 * run.json keeps each distinct system and user text once, in `texts`, and each cell's request
 * names them by index: 10,000 cells of one ~10 KB prompt took 57 MB written out in full (and
 * twice that in memory while being written), the same run ~5 MB this way.
 */
interface RunMetaFile extends Omit<RunMeta, 'cells'> {
  texts: string[];
  cells: Array<Omit<Cell, 'request'> & { request: Omit<Cell['request'], 'system' | 'user'> & { system: number | string; user: number | string } }>;
}

export function writeRunMeta(dir: string, meta: RunMeta): void {
  const index = new Map<string, number>();
  const ref = (text: string) => index.get(text) ?? index.set(text, index.size).get(text)!;
  const cells = meta.cells.map((c) => ({ ...c, request: { ...c.request, system: ref(c.request.system), user: ref(c.request.user) } }));
  const file: RunMetaFile = { ...meta, texts: [...index.keys()], cells };
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, 'run.json'), `${JSON.stringify(file)}\n`);
}

/** A run.json as written by writeRunMeta (or in full, as runs before it wrote them). */
export function readRunMetaFile(file: string): RunMeta {
  const data = readJsonFile(file) as RunMetaFile;
  const text = (t: number | string, field: string) => {
    if (typeof t === 'string') return t;
    const found = data.texts?.[t];
    if (found === undefined) throw new UsageError(`${file}: ${field}: text ${t} is not in /texts; the file is damaged`);
    return found;
  };
  const { texts: _, ...meta } = data;
  return { ...meta, cells: data.cells.map((c, i) => ({ ...c, request: { ...c.request, system: text(c.request.system, `/cells/${i}/request/system`), user: text(c.request.user, `/cells/${i}/request/user`) } })) };
}

export function readRunMeta(out: string, runId: string): RunMeta {
  const file = join(runDir(out, runId), 'run.json');
  if (!existsSync(file)) throw new UsageError(`--resume ${runId}: no run at ${file}`);
  return readRunMetaFile(file);
}

/** The hand-written reference answers for the run's scenarios, graded like model output (and cached). */
export async function referenceResults(scenarios: Scenario[], referencesDir: string, grading: Grading, promptId: string): Promise<CellResult[]> {
  const cells = scenarios.map(async (scenario): Promise<CellResult[]> => {
    const file = join(referencesDir, `${scenario.id}.md`);
    if (!existsSync(file)) return [];
    const graded = await grading.grade(readFileSync(file, 'utf8'), scenario);
    return [
      {
        id: `reference|${scenario.id}`,
        promptId,
        version: 'reference',
        promptSha256: null,
        scenario: scenario.id,
        provider: 'reference' as const,
        model: 'hand-written',
        label: 'Hand-written reference',
        sample: 0,
        status: 'ok' as const,
        stopReason: null,
        usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
        costUsd: 0,
        latencyMs: null,
        storeKey: null,
        cached: true,
        score: graded.score,
        pass: graded.pass,
        grades: withoutEvidence(graded),
        finishedAt: new Date().toISOString(),
      },
    ];
  });
  return (await Promise.all(cells)).flat();
}

export function buildResults(meta: RunMeta, cells: CellResult[], pending: number, status: Results['status'], spentUsd: number): Results {
  const count = (s: CellResult['status']) => cells.filter((c) => c.status === s).length;
  return {
    runId: meta.runId,
    status,
    suite: {
      file: meta.suiteFile,
      ...(meta.suite.description !== undefined && { description: meta.suite.description }),
      prompt: meta.suite.prompt,
      samples: meta.suite.samples,
      models: meta.suite.models.map((m) => `${m.provider}:${m.model}`),
      versions: meta.versions,
      scenarios: meta.scenarios,
    },
    gradersVersion: gradersVersion(),
    startedAt: meta.startedAt,
    finishedAt: new Date().toISOString(),
    totals: {
      planned: meta.cells.length,
      finished: cells.filter((c) => c.provider !== 'reference').length,
      pending,
      ok: count('ok'),
      truncated: count('truncated'),
      refused: count('refused'),
      errors: count('error'),
      cached: cells.filter((c) => c.cached && c.provider !== 'reference').length,
      costUsd: Math.round(spentUsd * 1e6) / 1e6,
      unpricedCells: cells.filter((c) => c.costUsd === null).length,
    },
    cells,
    ...buildAggregates(cells),
  };
}

/** Write results.json and point reports/latest at the run. */
export function writeResults(out: string, results: Results): string {
  const dir = runDir(out, results.runId);
  const file = join(dir, 'results.json');
  writeResultsFile(file, results);
  const latest = join(out, '..', 'latest');
  rmSync(latest, { force: true });
  try {
    symlinkSync(relative(join(out, '..'), dir), latest);
  } catch {
    writeFileSync(latest, `${relative(join(out, '..'), dir)}\n`);
  }
  return file;
}

/**
 * results.json as indented JSON with one cell per line: readable, grep-able and diff-able per
 * cell, and written in pieces — a 10,000-cell run is ~20 MB, which as one string (pretty-printed
 * throughout, it was 32 MB) doubled the memory the whole run needed. Atomic: temp file + rename.
 */
export function writeResultsFile(file: string, results: Results): void {
  // Everything but the cells, pretty-printed, with a placeholder where the cells go.
  const [before, after] = JSON.stringify({ ...results, cells: CELLS_HERE }, null, 2).split(JSON.stringify(CELLS_HERE)) as [string, string];
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${before}[`);
    const { cells } = results;
    for (let i = 0; i < cells.length; i += 500) {
      writeSync(fd, cells.slice(i, i + 500).map((c, j) => `${i + j ? ',' : ''}\n    ${JSON.stringify(c)}`).join(''));
    }
    writeSync(fd, `${cells.length ? '\n  ' : ''}]${after}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

const CELLS_HERE = '\u0000cells\u0000';
