// A document past a grading bound (graders/limits.ts) is that cell's grading error, the same
// whether it was graded inline or on a worker thread — and nothing is cached for it, so a later
// run with other limits grades it afresh.

import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { GradingLimit, MAX_DOCUMENT_BYTES } from '../../graders/limits.ts';
import { MemoryGradeCache } from './grade-cache.ts';
import { GradePool } from './grade-pool.ts';
import { Grading } from './grading.ts';

const huge = `# Huge\n\n${'word '.repeat(MAX_DOCUMENT_BYTES / 5 + 10)}\n`;

describe('Grading past the size cap', () => {
  it('inline: rejects with a GradingLimit that says how big and what the cap is; caches nothing', async () => {
    const cache = new MemoryGradeCache();
    const grading = new Grading({ policy: DEFAULT_POLICY, cache, workers: 0 });
    await expect(grading.grade(huge, null)).rejects.toThrow(GradingLimit);
    await expect(grading.grade(huge, null)).rejects.toThrow(/the document is 1\.0 MiB, over the 1 MiB grading limit; not graded/);
    expect(grading.lookup(huge, null)).toBeNull();
  });

  it('on a worker: the same GradingLimit crosses the thread boundary, and the pool keeps working', async () => {
    const pool = new GradePool(1);
    const grading = new Grading({ policy: DEFAULT_POLICY, cache: new MemoryGradeCache(), pool });
    try {
      await expect(grading.grade(huge, null)).rejects.toThrow(GradingLimit);
      const fine = await grading.grade(`# Fine\n\n${'A sentence of an answer. '.repeat(400)}\n`, null);
      expect(fine.score).toBeGreaterThanOrEqual(0);
      expect(grading.stats.pooled).toBe(1);
    } finally {
      await grading.close();
    }
  }, 60_000);
});
