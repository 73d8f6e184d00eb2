// How the runner grades an output: from the grade cache when the same output was graded before
// against the same scenario, graders and policy; else on a worker thread, or on the main thread
// when that is faster; and the fresh grade goes into the cache.
//
// Inline or pool — measured on this machine (2 cores, Node 20.20):
// - grading costs ~1 ms per KB of markdown: ~0.9 ms for a short (~100-word) answer, ~18 ms for
//   a 2,500-word (~17 KB) document; the markdown parse is 75–90% of it;
// - a worker costs ~0.1 s to start from the bundle (it was ~0.6 s through tsx);
// - the runner benchmark (400 short answers at ~300 requests/s, the emulator on the same two
//   cores), three interleaved runs each: grading inline 2.00–2.12 s, every answer sent to ONE
//   worker 1.98–2.14 s (no better), to TWO workers 2.15–2.57 s (worse: the workers took the
//   core the HTTP client and the emulator needed). The same requests through the bare SDK took
//   1.56–1.64 s, so grading inline is not what holds a live run back.
// So an output under INLINE_MAX_CHARS (~5 ms of grading, the blocking we accept) is graded
// inline, and a run of fewer than POOL_MIN_OUTPUTS cells grades everything inline (set when a
// worker took 0.6 s to start, ~30 full documents' grading; with the bundle's 0.1 s it could be
// lower — not re-measured). Longer outputs of bigger runs go to the
// pool, started on the first of them: grading many full documents — a regrade, a big live run —
// uses every core and never holds the event loop for more than a few milliseconds.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { GradePolicy } from '../../graders/grade.ts';
import { gradersVersion } from '../../graders/version.ts';
import type { Scenario } from '../dataset/schema.ts';
import { FsGradeCache, gradeKey, MemoryGradeCache, type CachedGrade, type GradeCache } from './grade-cache.ts';
import { GradePool, WorkerFailed } from './grade-pool.ts';
import { gradeOutput } from './grade-worker.ts';
import { FsStore, type ResponseStore } from './store.ts';

export const INLINE_MAX_CHARS = 4096;
export const POOL_MIN_OUTPUTS = 32;

export interface GradingOptions {
  policy: GradePolicy;
  cache: GradeCache;
  /** Grading threads; 0 always grades inline. Default: one per core. */
  workers?: number;
  /** The most outputs this run can grade (its cell count): a small run grades inline. */
  expected?: number;
  /** A pool to use instead of starting one (tests). */
  pool?: GradePool | null;
  /** Default: the graders' source hash. */
  gradersVersion?: string;
  warn?: (message: string) => void;
}

export interface GradingStats {
  cacheHits: number;
  inline: number;
  pooled: number;
}

export class Grading {
  readonly stats: GradingStats = { cacheHits: 0, inline: 0, pooled: 0 };
  private pool: GradePool | null;
  private readonly version: string;

  constructor(private readonly opts: GradingOptions) {
    const workers = opts.workers ?? availableParallelism();
    this.pool = opts.pool !== undefined ? opts.pool : workers > 0 && (opts.expected ?? Infinity) >= POOL_MIN_OUTPUTS ? new GradePool(workers) : null;
    this.version = opts.gradersVersion ?? gradersVersion();
  }

  /** The cached grade of this output, or null (with the key to grade it under). */
  lookup(text: string, scenario: Scenario | null): CachedGrade | null {
    const grade = this.opts.cache.get(this.key(text, scenario));
    if (grade) this.stats.cacheHits++;
    return grade;
  }

  /** The output's grade: cached, else graded (inline or on a worker) and cached. */
  async grade(text: string, scenario: Scenario | null): Promise<CachedGrade> {
    const key = this.key(text, scenario);
    const cached = this.opts.cache.get(key);
    if (cached) return (this.stats.cacheHits++, cached);
    const job = { text, scenario, policy: this.opts.policy };
    let grade: CachedGrade;
    if (!this.pool || text.length < INLINE_MAX_CHARS) {
      grade = gradeOutput(job);
      this.stats.inline++;
    } else {
      try {
        grade = await this.pool.grade(job);
        this.stats.pooled++;
      } catch (error) {
        if (!(error instanceof WorkerFailed)) throw error;
        // A pool that cannot run costs speed, never a grade: carry on inline.
        if (this.pool) this.opts.warn?.(`${error.message}; grading on the main thread from now on`);
        this.pool = null;
        grade = gradeOutput(job);
        this.stats.inline++;
      }
    }
    this.opts.cache.put(key, grade);
    return grade;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }

  private key(text: string, scenario: Scenario | null): string {
    return gradeKey({ text, scenario, gradersVersion: this.version, policy: this.opts.policy });
  }
}

/** The grade cache that belongs with a response store: `<store>/grades/` for a store on disk. */
export function gradeCacheFor(store: ResponseStore, warn?: (message: string) => void): GradeCache & { close?(): void } {
  return store instanceof FsStore ? new FsGradeCache(join(store.dir, 'grades'), gradersVersion(), warn) : new MemoryGradeCache();
}
