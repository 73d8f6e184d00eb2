// How the runner grades an output: from the grade cache when the same output was graded before
// against the same scenario, graders and policy; else on a worker thread, or on the main thread
// when that is faster; and the fresh grade goes into the cache.
//
// Inline or pool — measured on this machine (2 cores, Node 20.20):
// - grading costs ~1.2 ms per KB of markdown: ~1 ms for a short (~100-word) answer, ~20 ms for
//   a 2,500-word (~17 KB) document;
// - a worker costs ~0.6 s of CPU to start (tsx, then remark and the graders);
// - the runner benchmark (400 short answers at 320 requests/s) ran 1.35–1.46× its ideal time
//   grading inline, 1.78–2.21× handing answers to 1 or 2 workers whenever one was free, and
//   ~1.7× slower than inline sending them all to 2 workers (a backlog of 1–1.4 s after the
//   last answer): the workers' start-up and messages cost more than the grading they took
//   over, on cores the HTTP client and the emulator needed.
// So an output under INLINE_MAX_CHARS (~5 ms of grading, the blocking we accept) is graded
// inline, and a run of fewer than POOL_MIN_OUTPUTS cells grades everything inline (~30 full
// documents inline cost about one worker's start-up). Longer outputs of bigger runs go to the
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
