// (d) Grading many new outputs on worker threads: `count` outputs, each a ~2,500-word
// calibration document made unique by a trailing comment, so that every one misses the grade
// cache. Graded through the runner's own path (Grading: hash, cache miss, pool, cache put) on
// 1 worker and on 2. Both pools are started and warmed before the clock starts (a pool's
// start-up, ~0.6 s once per run, is reported apart), and the two alternate in rounds of
// count ÷ rounds outputs, so that a passing load on the machine hits both alike. Also measured:
// how many cores the process kept busy — V8 collects garbage on helper threads, so even ONE
// grading worker keeps more than one core busy, and 2 workers on 2 cores cannot double it.

import { join } from 'node:path';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { resolveScenario } from '../../src/dataset/load.ts';
import { FsGradeCache } from '../../src/runner/grade-cache.ts';
import { GradePool } from '../../src/runner/grade-pool.ts';
import { Grading } from '../../src/runner/grading.ts';
import { root, temp } from './util.ts';

export interface GradingRun {
  workers: number;
  docs: number;
  ms: number;
  docsPerSecond: number;
  startupMs: number;
  /** Cores the whole process kept busy while grading (CPU time ÷ wall time). */
  coresBusy: number;
}

export async function measureGrading(texts: string[], count: number, workerCounts: number[], rounds: number): Promise<GradingRun[]> {
  const scenario = resolveScenario('ecommerce-hybrid', join(root, 'datasets/scenarios'));
  let serial = 0;
  const next = () => `${texts[serial % texts.length]}\n<!-- new output ${serial++} -->\n`;
  const setups = await Promise.all(
    workerCounts.map(async (workers) => {
      const cache = new FsGradeCache(join(temp('grading'), 'grades'), 'bench');
      const grading = new Grading({ policy: DEFAULT_POLICY, cache, pool: new GradePool(workers) });
      const started = performance.now();
      // Warm-up: a few outputs per worker, so that each has loaded the graders and JIT-compiled them.
      await Promise.all(Array.from({ length: workers * 4 }, () => grading.grade(next(), scenario)));
      return { workers, cache, grading, startupMs: performance.now() - started, ms: 0, docs: 0, cpuMs: 0 };
    }),
  );
  try {
    for (let round = 0; round < rounds; round++) {
      for (const s of setups) {
        const n = Math.round(count / rounds);
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        await Promise.all(Array.from({ length: n }, () => s.grading.grade(next(), scenario)));
        const cpu = process.cpuUsage(cpu0);
        s.cpuMs += (cpu.user + cpu.system) / 1000;
        s.ms += performance.now() - t0;
        s.docs += n;
      }
    }
    for (const s of setups) if (s.grading.stats.inline) throw new Error(`grading bench: ${s.grading.stats.inline} outputs were graded inline, not on the pool`);
    return setups.map((s) => ({ workers: s.workers, docs: s.docs, ms: s.ms, docsPerSecond: (s.docs / s.ms) * 1000, startupMs: s.startupMs, coresBusy: s.cpuMs / s.ms }));
  } finally {
    for (const s of setups) (await s.grading.close(), s.cache.close());
  }
}
