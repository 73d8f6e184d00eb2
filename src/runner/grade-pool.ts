// Grading on every core: a fixed pool of worker threads, each grading one output at a time
// with one more queued behind it (so a worker never idles waiting for the next message). A
// full-length document costs ~20 ms of parse and graders; on the main thread that would stall
// the HTTP clients of every request in flight, and it would use one core.
//
// Workers start lazily, all at once, on the first job: a start costs ~0.1 s from the bundle
// (~0.6 s through tsx, from the sources) and runs in parallel with the main thread. Idle
// workers are unref'd, so a forgotten pool never keeps a process alive; busy ones are ref'd,
// so a pending grade does.
// A worker that dies (or cannot start) fails its jobs with WorkerFailed and the whole pool
// stops: the caller then grades inline (grading.ts), so a broken pool only costs speed.

import type { Worker } from 'node:worker_threads';
import { GradingLimit } from '../../graders/limits.ts';
import type { CachedGrade } from './grade-cache.ts';
import type { GradeJob, WorkerReply } from './grade-worker.ts';
import { startWorker } from './worker-entry.ts';

/** The worker's module (worker-entry.ts starts it from the bundle or the sources). */
const MODULE = new URL('./grade-worker.ts', import.meta.url);
/** Jobs sent to one worker ahead of its replies. */
const DEPTH = 2;
/**
 * Parsing markdown allocates heavily and dies young: with V8's default young generation a
 * grading worker spent so much in scavenges (run on helper threads) that ONE worker kept ~1.5
 * cores busy. A bigger nursery measured, on 2 cores, 37–39 → 41–56 docs/s with 2 workers, for
 * at most 64 MB more memory per worker.
 */
const YOUNG_GENERATION_MB = 64;

export class WorkerFailed extends Error {
  override name = 'WorkerFailed';
}

interface Pending {
  id: number;
  job: GradeJob;
  resolve: (grade: CachedGrade) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Map<number, Pending>;
}

export class GradePool {
  private slots: Slot[] | null = null;
  /** Jobs not yet sent; sent ones are cleared (so their text can be collected) and skipped by `head`. */
  private queue: Array<Pending | undefined> = [];
  private head = 0;
  private next = 1;
  private failure: WorkerFailed | null = null;

  constructor(
    readonly size: number,
    /** The worker's module (tests substitute one that fails). */
    private readonly module: URL = MODULE,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`GradePool: size must be a positive integer, not ${size}`);
  }

  grade(job: GradeJob): Promise<CachedGrade> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.next++, job, resolve, reject });
      this.pump();
    });
  }

  /** Jobs waiting for a worker (not yet sent). */
  get backlog(): number {
    return this.queue.length - this.head;
  }


  /** Reject what is still waiting (WorkerFailed) and end the workers. */
  async close(): Promise<void> {
    const slots = this.slots ?? [];
    this.fail(new WorkerFailed('the grading pool was closed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private start(): Slot[] {
    if (this.slots) return this.slots;
    this.slots = Array.from({ length: this.size }, () => {
      const worker = startWorker('grade-worker', this.module, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB }, workerData: { promptgateGradeWorker: true } });
      const slot: Slot = { worker, busy: new Map() };
      worker.unref();
      worker.on('message', (reply: WorkerReply) => this.settle(slot, reply));
      worker.on('error', (error) => this.fail(new WorkerFailed(`grading worker failed: ${error.message}`, { cause: error })));
      worker.on('exit', (code) => {
        if (this.slots?.includes(slot)) this.fail(new WorkerFailed(`grading worker exited (code ${code})`));
      });
      return slot;
    });
    return this.slots;
  }

  private pump(): void {
    for (const slot of this.start()) {
      while (slot.busy.size < DEPTH && this.head < this.queue.length) {
        const p = this.queue[this.head]!;
        this.queue[this.head++] = undefined;
        if (slot.busy.size === 0) slot.worker.ref();
        slot.busy.set(p.id, p);
        slot.worker.postMessage({ id: p.id, ...p.job });
      }
    }
    if (this.head === this.queue.length) (this.queue = []), (this.head = 0);
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    const p = slot.busy.get(reply.id);
    if (!p) return;
    slot.busy.delete(reply.id);
    if (slot.busy.size === 0) slot.worker.unref();
    if ('grade' in reply) p.resolve(reply.grade);
    else p.reject(reply.limit ? new GradingLimit(reply.error) : new Error(reply.error));
    this.pump();
  }

  /** Fail every job in flight or queued; the pool takes no more. */
  private fail(error: WorkerFailed): void {
    this.failure ??= error;
    const slots = this.slots ?? [];
    this.slots = [];
    for (const s of slots) {
      for (const p of s.busy.values()) p.reject(this.failure);
      s.busy.clear();
      void s.worker.terminate();
    }
    for (const p of this.queue.slice(this.head)) p?.reject(this.failure);
    this.queue = [];
    this.head = 0;
  }
}
