// The runner's grading: cached grades are not graded again; short outputs and small runs grade
// inline, long outputs of big runs on the pool; a pool that breaks falls back to inline.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { resolveScenario } from '../dataset/load.ts';
import { root, tempDir } from '../testing/cli.ts';
import { FsGradeCache, MemoryGradeCache } from './grade-cache.ts';
import { GradePool } from './grade-pool.ts';
import { gradeOutput } from './grade-worker.ts';
import { gradeCacheFor, Grading, INLINE_MAX_CHARS, POOL_MIN_OUTPUTS } from './grading.ts';
import { FsStore, MemoryStore } from './store.ts';

const scenario = resolveScenario('ecommerce-hybrid');
const long = readFileSync(join(root, 'datasets/calibration/good-atx-numbered.md'), 'utf8');
const short = '# Short\n\nA short answer.';
const policy = DEFAULT_POLICY;

describe('Grading', () => {
  it('grades an output once: the second time it comes from the cache, also in a new process', async () => {
    const dir = join(tempDir(), 'grades');
    const first = new Grading({ policy, cache: new FsGradeCache(dir, 'v1'), workers: 0 });
    const graded = await first.grade(short, scenario);
    expect(graded).toEqual(gradeOutput({ text: short, scenario, policy }));
    expect(await first.grade(short, scenario)).toEqual(graded);
    expect(first.stats).toEqual({ cacheHits: 1, inline: 1, pooled: 0 });
    const again = new Grading({ policy, cache: new FsGradeCache(dir, 'v1'), gradersVersion: 'v1', workers: 0 });
    expect(again.lookup(short, scenario)).toBeNull(); // graded under the real graders' version, not 'v1'
    const same = new Grading({ policy, cache: new FsGradeCache(dir, 'v1'), workers: 0 });
    expect(same.lookup(short, scenario)).toEqual(graded);
    expect(same.lookup(short, null)).toBeNull();
  });

  it('grades short outputs, and every output of a small run, inline; long outputs of a big run on the pool', async () => {
    expect(short.length).toBeLessThan(INLINE_MAX_CHARS);
    expect(long.length).toBeGreaterThan(INLINE_MAX_CHARS);
    const small = new Grading({ policy, cache: new MemoryGradeCache(), workers: 2, expected: POOL_MIN_OUTPUTS - 1 });
    await small.grade(long, scenario);
    expect(small.stats.inline).toBe(1);
    await small.close();

    const big = new Grading({ policy, cache: new MemoryGradeCache(), workers: 2, expected: 1000 });
    try {
      const [a, b] = await Promise.all([big.grade(long, scenario), big.grade(short, scenario)]);
      expect(a).toEqual(gradeOutput({ text: long, scenario, policy }));
      expect(b).toEqual(gradeOutput({ text: short, scenario, policy }));
      expect(big.stats).toEqual({ cacheHits: 0, inline: 1, pooled: 1 });
    } finally {
      await big.close();
    }
  }, 30_000);

  it('falls back to inline grading, with one warning, when a worker dies', async () => {
    const warnings: string[] = [];
    const pool = new GradePool(1, new URL('./fixtures/failing-worker.ts', import.meta.url));
    const grading = new Grading({ policy, cache: new MemoryGradeCache(), pool, warn: (w) => warnings.push(w) });
    const grades = await Promise.all([grading.grade(long, scenario), grading.grade(`${long}\n\nmore`, scenario)]);
    expect(grades[0]).toEqual(gradeOutput({ text: long, scenario, policy }));
    expect(grading.stats.inline).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/grading worker exited \(code 3\); grading on the main thread/);
    await grading.close();
  }, 30_000);
});

describe('gradeCacheFor', () => {
  it('keeps grades in <store>/grades beside a store on disk, in memory otherwise', () => {
    const dir = join(tempDir(), 'store');
    const cache = gradeCacheFor(new FsStore(dir));
    expect(cache).toBeInstanceOf(FsGradeCache);
    expect((cache as FsGradeCache).file.startsWith(join(dir, 'grades'))).toBe(true);
    expect(gradeCacheFor(new MemoryStore())).toBeInstanceOf(MemoryGradeCache);
  });
});
