// Reading stored cells on other threads. A re-run of a stored and graded suite does, per cell,
// three things on the main thread: read and check the store entry (~0.2 ms for a 17 KB
// document: the read, JSON.parse, the sha256), look its grade up (~0.08 ms: a checksum and a
// JSON.parse), and record the result (~0.1 ms: the journal line). Measured on 10,000 cells
// (2 cores), that was 4 s of one core while the other sat idle. The first two need nothing but
// files, so they run here on worker threads (stored-worker.ts), which send back only what the
// main thread needs to record the cell; the main thread records.
//
// Jobs go out in chunks, round-robin over the threads, in the order the runner asks: replies
// come back in about the same order, so cells finish from the first on. A thread that fails
// (cannot start, dies) fails every job waiting with WorkerFailed, and the reader takes no more:
// the runner then reads on the main thread (execute.ts), so a broken reader only costs speed.

import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { GradePolicy } from '../../graders/grade.ts';
import { gradersVersion } from '../../graders/version.ts';
import { FsGradeCache, policyJson, type GradeCache } from './grade-cache.ts';
import { WorkerFailed } from './grade-pool.ts';
import { FsStore, type ResponseStore } from './store.ts';
import type { ReaderSetup, ReadJob, ReadReply, StoredState } from './stored-worker.ts';
import { startWorker } from './worker-entry.ts';

const MODULE = new URL('./stored-worker.ts', import.meta.url);

/**
 * Below this many cells a run reads its stored cells on the main thread: a thread costs ~0.1 s
 * to start from the bundle (~0.6 s from the sources), the main thread ~0.3 ms per stored cell.
 */
export const READER_MIN_CELLS = 1000;
/** Jobs per message: few enough that the first cells finish at once, enough that messages are few. */
const CHUNK = 64;

/**
 * The reader a run uses, or null to read on the main thread: a store and a grade cache on disk
 * (the threads read the files), and `threads` (default: 2, when the run has READER_MIN_CELLS
 * cells or more and there is a second core). Each thread holds its own copy of the grade-cache
 * file (~40 MB for 10,000 grades). Measured on 2 cores, re-running 10,000 stored cells, three
 * rounds alternating: 1 thread 6.7–7.3 s, 2 threads 6.3–7.1 s, 3 threads 6.5–7.2 s and 60 MB
 * more at peak (470–490 MB).
 */
export function storedReaderFor(o: { store: ResponseStore; grades: GradeCache; policy: GradePolicy; cells: number; threads?: number; warn: (message: string) => void }): StoredReader | null {
  const threads = o.threads ?? (o.cells >= READER_MIN_CELLS && availableParallelism() > 1 ? 2 : 0);
  if (threads < 1 || !(o.store instanceof FsStore) || !(o.grades instanceof FsGradeCache) || o.grades.gradersVersion !== gradersVersion()) return null;
  return new StoredReader({ storeDir: o.store.dir, gradesDir: o.grades.dir, gradersVersion: o.grades.gradersVersion, policy: policyJson(o.policy) }, threads, o.warn);
}

interface Chunk {
  id: number;
  jobs: ReadJob[];
  settle: Array<{ resolve: (state: StoredState) => void; reject: (error: Error) => void }>;
}

interface Thread {
  worker: Worker;
  /** Chunks sent and not yet answered, by id. */
  waiting: Map<number, Chunk>;
}

export class StoredReader {
  private threads: Thread[] | null = null;
  private filling: Chunk | null = null;
  private nextId = 1;
  private turn = 0;
  private failure: WorkerFailed | null = null;
  private readonly said = new Set<string>();

  constructor(
    private readonly setup: ReaderSetup,
    readonly size: number,
    /** Where the store's and grade cache's warnings go (each said once). */
    private readonly warn: (message: string) => void,
    /** The worker's module (tests substitute one that fails). */
    private readonly module: URL = MODULE,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`StoredReader: size must be a positive integer, not ${size}`);
  }

  /** The cell's stored answer and cached grade, as a thread found them. */
  read(job: ReadJob): Promise<StoredState> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      if (!this.filling) {
        this.filling = { id: this.nextId++, jobs: [], settle: [] };
        // A part-filled chunk goes out once the runner stops asking (its dispatch slice ends).
        queueMicrotask(() => this.send());
      }
      this.filling.jobs.push(job);
      this.filling.settle.push({ resolve, reject });
      if (this.filling.jobs.length >= CHUNK) this.send();
    });
  }

  /** Reject what is still waiting (WorkerFailed) and end the threads. */
  async close(): Promise<void> {
    const threads = this.threads ?? [];
    this.fail(new WorkerFailed('the store reader was closed'));
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private send(): void {
    const chunk = this.filling;
    if (!chunk) return;
    this.filling = null;
    if (this.failure) return chunk.settle.forEach((s) => s.reject(this.failure!));
    const threads = this.start();
    const thread = threads[this.turn++ % threads.length]!;
    if (thread.waiting.size === 0) thread.worker.ref();
    thread.waiting.set(chunk.id, chunk);
    thread.worker.postMessage({ id: chunk.id, jobs: chunk.jobs });
  }

  private start(): Thread[] {
    if (this.threads) return this.threads;
    this.threads = Array.from({ length: this.size }, () => {
      const worker = startWorker('stored-worker', this.module, { workerData: { promptgateStoreReader: this.setup } });
      const thread: Thread = { worker, waiting: new Map() };
      worker.unref();
      worker.on('message', (reply: ReadReply) => this.settle(thread, reply));
      worker.on('error', (error) => this.fail(new WorkerFailed(`store reader failed: ${error.message}`, { cause: error })));
      worker.on('exit', (code) => {
        if (this.threads?.includes(thread)) this.fail(new WorkerFailed(`store reader exited (code ${code})`));
      });
      return thread;
    });
    return this.threads;
  }

  private settle(thread: Thread, reply: ReadReply): void {
    for (const w of reply.warnings) if (!this.said.has(w)) (this.said.add(w), this.warn(w));
    const chunk = thread.waiting.get(reply.id);
    if (!chunk) return;
    thread.waiting.delete(reply.id);
    // Idle threads do not keep the process alive; one with a chunk to answer does.
    if (thread.waiting.size === 0) thread.worker.unref();
    chunk.settle.forEach((s, i) => s.resolve(reply.states[i]!));
  }

  /** Fail every job waiting; the reader takes no more. */
  private fail(error: WorkerFailed): void {
    this.failure ??= error;
    const threads = this.threads ?? [];
    this.threads = [];
    for (const t of threads) {
      for (const chunk of t.waiting.values()) chunk.settle.forEach((s) => s.reject(this.failure!));
      t.waiting.clear();
      void t.worker.terminate();
    }
  }
}
