// A run on disk: reports/runs/<run-id>/ holds run.json (what was planned, written first, so a
// run can be resumed), journal.jsonl (each finished cell, appended at once) and results.json
// (written at the end, also after Ctrl-C). reports/latest points at the newest run.
//
// Every file is written to a temp file and renamed into place, and a write that fails removes
// its temp file. reports/latest is replaced the same way (a new link, renamed over the old), so
// two runs finishing together never see it missing; a `latest` that is a real folder is left
// alone with a warning. A resumed run is taken from where its folder is NOW (relocateRun).

import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gradersVersion } from '../../graders/version.ts';
import type { Scenario } from '../dataset/schema.ts';
import { UsageError } from '../errors.ts';
import { readJsonFile } from '../files.ts';
import { redactSecrets } from '../redact.ts';
import type { Suite } from '../suite/schema.ts';
import { projectPath } from '../project/paths.ts';
import { withoutEvidence } from './grade-cache.ts';
import type { Grading } from './grading.ts';
import type { Cell } from './plan.ts';
import type { ShardInfo } from './shard.ts';
import { buildAggregates, cellCounts, type CellResult, type Results } from './results.ts';
import { injectedFault, removeQuietly } from './write-failure.ts';

export interface RunMeta {
  runId: string;
  suiteFile: string;
  suite: Suite;
  startedAt: string;
  versions: string[];
  scenarios: string[];
  cells: Cell[];
  /** Set when this run is one share of a plan (eval --shard): see shard.ts. */
  shard?: ShardInfo;
  /** Set on a run that `promptgate merge` made: the shard runs it was made of. */
  mergedFrom?: string[];
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
  const target = join(dir, 'run.json');
  const tmp = tempName(target);
  try {
    writeFileSync(tmp, `${JSON.stringify(file)}\n`);
    renameSync(tmp, target);
  } catch (error) {
    removeQuietly(tmp);
    throw error;
  }
}

const tempName = (file: string) => `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;

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

/**
 * A scenario's hand-written reference answer: the prompt's own (<references>/<prompt-id>/<id>.md)
 * when it has one, else the one every prompt shares (<references>/<id>.md).
 */
export function referenceFile(referencesDir: string, promptId: string, scenarioId: string): string {
  const own = join(referencesDir, promptId, `${scenarioId}.md`);
  return existsSync(own) ? own : join(referencesDir, `${scenarioId}.md`);
}

/** The hand-written reference answers for the run's scenarios, graded like model output (and cached). */
export async function referenceResults(scenarios: Scenario[], referencesDir: string, grading: Grading, promptId: string): Promise<CellResult[]> {
  const cells = scenarios.map(async (scenario): Promise<CellResult[]> => {
    const file = referenceFile(referencesDir, promptId, scenario.id);
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

/**
 * Where a resumed run lives now, and the paths in its run.json corrected to match: a runs folder
 * that was moved (or given with --out) is used as it is, never the path recorded at the start,
 * and a store that moved along with it is found beside it. Each correction is one warning.
 */
export function relocateRun(meta: RunMeta, out: string, storeOption: string | undefined, warn: (message: string) => void): RunMeta {
  const recordedOut = meta.suite.out ?? DEFAULT_OUT;
  const suite = { ...meta.suite };
  if (resolve(recordedOut) !== resolve(out)) {
    warn(`run ${meta.runId} was written to ${recordedOut}; it is now in ${out}: continuing there`);
    suite.out = out;
  }
  const recordedStore = meta.suite.store ?? DEFAULT_STORE;
  if (storeOption !== undefined) suite.store = storeOption;
  else if (!existsSync(recordedStore)) {
    // The store moved with the runs folder: the same place relative to it.
    const moved = resolve(out, relative(resolve(recordedOut), resolve(recordedStore)));
    if (suite.out !== meta.suite.out && existsSync(moved)) {
      warn(`store ${recordedStore} is not there; using ${moved}, where it is relative to the moved runs folder`);
      suite.store = moved;
    } else {
      warn(`store ${recordedStore} is not there: cells not in the journal will be requested again (pass --store DIR if it moved)`);
    }
  }
  return { ...meta, suite };
}

// The project's folders (src/project/): reports/runs and .promptgate/store unless its config says otherwise.
export const DEFAULT_OUT = projectPath('runs');
export const DEFAULT_STORE = projectPath('store');

/**
 * What a run has spent in all its invocations, from its journal: each line is one finished cell
 * as one invocation recorded it, so the lines' costs (answers paid, not served from the store)
 * add up to the spend — a cell retried after an error has two lines, two payments. An answer
 * whose usage the provider did not report counts its worst case (`worstCase`), as the cap did
 * when it was paid for.
 */
export function spentInJournal(records: CellResult[], worstCase: (id: string) => number | null = () => null): number {
  return records.reduce((sum, r) => sum + (r.cached ? 0 : (r.costUsd ?? (r.usage.unreported ? (worstCase(r.id) ?? 0) : 0))), 0);
}

export function buildResults(meta: RunMeta, cells: CellResult[], pending: number, status: Results['status'], spentUsd: number): Results {
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
      ...cellCounts(cells),
      pending,
      costUsd: Math.round(spentUsd * 1e6) / 1e6,
      unpricedCells: cells.filter((c) => c.costUsd === null).length,
    },
    cells,
    ...buildAggregates(cells),
  };
}

/** Write results.json and point reports/latest at the run (a problem with `latest` is a warning). */
export function writeResults(out: string, results: Results, warn: (message: string) => void = () => {}): string {
  const dir = runDir(out, results.runId);
  const file = join(dir, 'results.json');
  writeResultsFile(file, results);
  pointLatest(join(out, '..', 'latest'), relative(join(out, '..'), dir), warn);
  return file;
}

/**
 * Point `latest` at `target` atomically: a new link (or, where symlinks are not allowed, a file
 * holding the path) under a temp name, renamed over the old one. Concurrent runs each rename
 * theirs; the last one wins, and no reader ever finds `latest` missing.
 */
export function pointLatest(latest: string, target: string, warn: (message: string) => void): void {
  let isFolder = false;
  try {
    isFolder = lstatSync(latest).isDirectory();
  } catch {
    // not there yet
  }
  if (isFolder) return warn(`${latest} is a folder, not a link made by promptgate; left as it is (remove it to have it point at the newest run)`);
  const tmp = tempName(latest);
  try {
    try {
      symlinkSync(target, tmp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
      writeFileSync(tmp, `${target}\n`);
    }
    renameSync(tmp, latest);
  } catch (error) {
    removeQuietly(tmp);
    warn(`${latest}: could not point it at the newest run (${(error as Error).message}); results.json is written`);
  }
}

/**
 * results.json as indented JSON with one cell per line: readable, grep-able and diff-able per
 * cell, and written in pieces — a 10,000-cell run is ~20 MB, which as one string (pretty-printed
 * throughout, it was 32 MB) doubled the memory the whole run needed. Atomic: temp file + rename.
 */
export function writeResultsFile(file: string, results: Results): void {
  // Everything but the cells, pretty-printed, with a placeholder where the cells go.
  const [before, after] = JSON.stringify({ ...results, cells: CELLS_HERE }, null, 2).split(JSON.stringify(CELLS_HERE)) as [string, string];
  const tmp = tempName(file);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, `${before}[`);
      injectedFault('results', tmp);
      const { cells } = results;
      for (let i = 0; i < cells.length; i += 500) {
        writeAll(fd, cells.slice(i, i + 500).map((c, j) => `${i + j ? ',' : ''}\n    ${JSON.stringify(c)}`).join(''));
      }
      writeAll(fd, `${cells.length ? '\n  ' : ''}]${after}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    removeQuietly(tmp);
    throw error;
  }
}

/** writeSync until all of it is written (a nearly full disk can take part of a write). */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(redactSecrets(text)); // no key value reaches the disk (redact.ts)
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
}

const CELLS_HERE = '\u0000cells\u0000';
