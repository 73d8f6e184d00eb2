// execute() over a store that already holds every response: nothing is requested, and on the
// second run nothing is graded — every grade comes from the grade cache, identical to the first.
// (Live requests, retries, Ctrl-C and the journal are covered end to end in eval.e2e.test.ts.)

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { scenariosOrThrow } from '../dataset/load.ts';
import { registryOrThrow } from '../registry/load.ts';
import type { Suite } from '../suite/schema.ts';
import { root } from '../testing/cli.ts';
import { execute } from './execute.ts';
import { withoutEvidence } from './grade-cache.ts';
import { MemoryGradeCache, type CachedGrade } from './grade-cache.ts';
import { gradeOutput } from './grade-worker.ts';
import { planCells } from './plan.ts';
import type { CellResult } from './results.ts';
import { DEFAULT_RETRY } from './retry.ts';
import { MemoryStore } from './store.ts';

class CountingCache extends MemoryGradeCache {
  puts = 0;
  override put(key: string, grade: CachedGrade): void {
    this.puts++;
    super.put(key, grade);
  }
}

it('re-running a stored and graded suite requests nothing and grades nothing', async () => {
  const suite = { prompt: 'pipeline-design-architect', versions: 'all', models: [{ provider: 'openai', model: 'gpt-5.6-terra' }], scenarios: 'all', samples: 3 } as Suite;
  const scenarios = scenariosOrThrow(join(root, 'datasets/scenarios')).slice(0, 6);
  const cells = planCells(suite, registryOrThrow(join(root, 'prompts')).filter((v) => v.meta.id === suite.prompt), scenarios);
  expect(cells.length).toBeGreaterThanOrEqual(32); // big enough to grade long outputs on the pool
  const dir = join(root, 'datasets/calibration');
  const docs = readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => readFileSync(join(dir, f), 'utf8'));
  const store = new MemoryStore();
  for (const [i, c] of cells.entries()) {
    const completion = { text: docs[i % docs.length]!, stopReason: 'end' as const, rawStopReason: 'completed', usage: { input: 100, output: 2000, cacheRead: 0, cacheWrite: 0 }, model: c.model.model, latencyMs: 1 };
    await store.put({ key: c.storeKey, provider: 'openai', model: c.model.model, sample: c.sample, completion, storedAt: '2026-11-27T10:00:00Z' });
  }
  const grades = new CountingCache();
  const run = async () => {
    const journal: CellResult[] = [];
    const execution = await execute({
      cells,
      providers: new Map([['openai:gpt-5.6-terra', null]]),
      store,
      scenarios: new Map(scenarios.map((s) => [s.id, s])),
      policy: DEFAULT_POLICY,
      retry: DEFAULT_RETRY,
      stop: new AbortController().signal,
      signal: new AbortController().signal,
      record: (r) => journal.push(r),
      grades,
      workers: 2,
    });
    expect(execution.pending).toEqual([]);
    expect(journal).toHaveLength(cells.length);
    return new Map(execution.results.map((r) => [r.id, { score: r.score, pass: r.pass, grades: r.grades, cached: r.cached }]));
  };

  const first = await run();
  expect(grades.puts).toBe(cells.length);
  const sample = cells[7]!;
  const expected = gradeOutput({ text: store.get(sample.storeKey)!.completion.text, scenario: scenarios.find((s) => s.id === sample.scenario)!, policy: DEFAULT_POLICY });
  expect(first.get(sample.id)).toEqual({ ...expected, grades: withoutEvidence(expected), cached: true });

  const second = await run();
  expect(grades.puts).toBe(cells.length);
  expect(second).toEqual(first);
}, 60_000);
