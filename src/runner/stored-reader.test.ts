// Stored cells read on other threads (stored-reader.ts) finish exactly as when the main thread
// reads them: the same results, pending cells, spend and warnings, over a store that holds every
// kind of entry (graded, not graded, paid for by this run, changed on disk, missing, a later
// turn). A reader that cannot run costs speed, never a cell. Speed: `npm run bench`, (e1).

import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { gradersVersion } from '../../graders/version.ts';
import { resolveScenario } from '../dataset/load.ts';
import { allTurns } from '../dataset/turns.ts';
import type { Scenario } from '../dataset/schema.ts';
import { registryOrThrow } from '../registry/load.ts';
import type { Suite } from '../suite/schema.ts';
import { root, tempDir } from '../testing/cli.ts';
import { execute } from './execute.ts';
import { FsGradeCache, gradeKey, policyJson } from './grade-cache.ts';
import { WorkerFailed } from './grade-pool.ts';
import { gradeOutput } from './grade-worker.ts';
import { planCells } from './plan.ts';
import { DEFAULT_RETRY } from './retry.ts';
import { FsStore, MemoryStore } from './store.ts';
import { StoredReader, storedReaderFor } from './stored-reader.ts';

const RUN = 'run-under-test';
const suite = { prompt: 'pipeline-design-architect', versions: 'all', models: [{ provider: 'openai', model: 'gpt-5.6-terra' }], scenarios: 'all', samples: 4 } as Suite;
const picked = [resolveScenario('ecommerce-hybrid'), resolveScenario('logistics-fleet-tracking')];
const scenarios = new Map(allTurns(picked).map((s) => [s.id, s as Scenario]));
const cells = planCells(suite, registryOrThrow(join(root, 'prompts')).filter((v) => v.meta.id === suite.prompt), picked);
const completion = (text: string, i: number) => ({ text, stopReason: 'end' as const, rawStopReason: 'completed', usage: { input: 100 + i, output: 200 + i, cacheRead: i % 3, cacheWrite: 0 }, model: 'gpt-5.6-terra', latencyMs: 10 + i });

/** A store and grade cache holding every kind of entry; returns the store folder. */
function fill(): string {
  const dir = join(tempDir(), 'store');
  const store = new FsStore(dir);
  const grades = new FsGradeCache(join(dir, 'grades'), gradersVersion());
  let single = 0;
  for (const [i, cell] of cells.entries()) {
    const kind = cell.chain?.length ? 'graded' : (['missing', 'graded', 'ungraded', 'paid-here', 'changed', 'empty'] as const)[single++ % 6];
    if (kind === 'missing') continue;
    const text = kind === 'empty' ? '' : `# Pipeline ${i}\n\n## Architecture\n\nA ${i % 2 ? 'batch' : 'stream'} pipeline, cell ${i}.\n`;
    store.putSync({ key: cell.storeKey, provider: 'openai', model: 'gpt-5.6-terra', sample: cell.sample, completion: completion(text, i), storedAt: '2026-12-03T10:00:00Z', ...(kind === 'paid-here' && { runId: RUN }) });
    if (kind === 'changed') {
      const file = join(dir, cell.storeKey.slice(0, 2), `${cell.storeKey}.json`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(`cell ${i}.`, `cell ${i}!`));
    }
    if (kind === 'ungraded' || kind === 'changed') continue;
    // A later turn is graded with the turn before's answer: the main thread's business (not cached here).
    const job = { text, scenario: scenarios.get(cell.scenario)!, policy: DEFAULT_POLICY };
    if (!cell.chain?.length) grades.put(gradeKey({ ...job, gradersVersion: gradersVersion() }), gradeOutput(job));
  }
  grades.close();
  return dir;
}

/** Runs the cells as execute() does for eval; `readers` a thread count, or a reader made with the run's warn. */
async function run(dir: string, readers: number | ((warn: (m: string) => void) => StoredReader)) {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m.replaceAll(dir, '<store>'));
  const store = new FsStore(dir, warn);
  const execution = await execute({
    cells,
    providers: new Map([['openai:gpt-5.6-terra', null]]),
    store,
    scenarios,
    policy: DEFAULT_POLICY,
    retry: DEFAULT_RETRY,
    stop: new AbortController().signal,
    signal: new AbortController().signal,
    record: () => {},
    runId: RUN,
    workers: 0,
    readers: typeof readers === 'number' ? readers : readers(warn),
    warn,
  });
  const results = execution.results.map(({ finishedAt: _, ...r }) => r).sort((a, b) => a.id.localeCompare(b.id));
  // Each said at least once (a reader thread says a message once; the main thread each time it reads).
  return { results, pending: execution.pending.map((c) => c.id).sort(), spent: execution.spentUsd, warnings: [...new Set(warnings)].sort() };
}

describe('stored cells read on other threads', () => {
  it('finish exactly as when the main thread reads them', async () => {
    const a = fill();
    const b = join(tempDir(), 'store');
    cpSync(a, b, { recursive: true });
    const onMain = await run(a, 0);
    let read: { mock: { calls: unknown[] } } | undefined;
    const onThreads = await run(b, (warn) => {
      const reader = storedReaderFor({ store: new FsStore(b), grades: new FsGradeCache(join(b, 'grades'), gradersVersion()), policy: DEFAULT_POLICY, cells: cells.length, threads: 2, warn })!;
      read = vi.spyOn(reader, 'read');
      return reader;
    });
    // Every single-turn cell went to the threads; later turns were read here.
    expect(read!.mock.calls).toHaveLength(cells.filter((c) => !c.chain?.length).length);
    expect(onThreads).toEqual(onMain);
    // What the comparison covers: each kind of entry turned up.
    const status = (s: string) => onMain.results.filter((r) => r.status === s).length;
    expect(status('ok')).toBeGreaterThan(10);
    expect(status('refused')).toBeGreaterThan(0);
    expect(onMain.results.filter((r) => !r.cached).length).toBeGreaterThan(0);
    expect(onMain.spent).toBeGreaterThan(0);
    expect(onMain.pending.length).toBeGreaterThan(0);
    expect(onMain.warnings.some((w) => /does not match its sha256/.test(w))).toBe(true);
    expect(cells.some((c) => c.chain?.length)).toBe(true);
  }, 60_000);

  it('fall back to the main thread when a reader thread dies, losing no cell', async () => {
    const a = fill();
    const b = join(tempDir(), 'store');
    cpSync(a, b, { recursive: true });
    const onMain = await run(a, 0);
    const setup = { storeDir: b, gradesDir: join(b, 'grades'), gradersVersion: gradersVersion(), policy: policyJson(DEFAULT_POLICY) };
    const fallen = await run(b, (warn) => new StoredReader(setup, 1, warn, new URL('./fixtures/failing-worker.ts', import.meta.url)));
    expect(fallen.results).toEqual(onMain.results);
    expect(fallen.pending).toEqual(onMain.pending);
    expect(fallen.warnings.filter((w) => /store reader/.test(w))).toEqual(['store reader exited (code 3); reading the store on the main thread from now on']);
  }, 60_000);
});

describe('StoredReader', () => {
  it('rejects reads once closed, and reads still waiting on a thread when it closes, with WorkerFailed', async () => {
    const reader = new StoredReader({ storeDir: tempDir(), gradesDir: tempDir(), gradersVersion: 'x', policy: '{}' }, 1, () => {});
    const waiting = reader.read({ key: 'a'.repeat(64), scenario: null });
    await Promise.resolve(); // the chunk goes out to the thread, which is still starting
    const rejected = expect(waiting).rejects.toBeInstanceOf(WorkerFailed);
    await reader.close();
    await rejected;
    await expect(reader.read({ key: 'a'.repeat(64), scenario: null })).rejects.toBeInstanceOf(WorkerFailed);
  });

  it('is not used for a small run, a store in memory, or 0 threads', () => {
    const dir = tempDir();
    const grades = new FsGradeCache(join(dir, 'grades'), gradersVersion());
    const o = { store: new FsStore(dir), grades, policy: DEFAULT_POLICY, warn: () => {} };
    expect(storedReaderFor({ ...o, cells: 10 })).toBeNull();
    expect(storedReaderFor({ ...o, cells: 10_000, threads: 0 })).toBeNull();
    expect(storedReaderFor({ ...o, store: new MemoryStore(), cells: 10_000, threads: 2 })).toBeNull();
    expect(() => new StoredReader({ storeDir: dir, gradesDir: dir, gradersVersion: 'x', policy: '{}' }, 0, () => {})).toThrow(RangeError);
  });
});
