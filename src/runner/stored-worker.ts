// What a store-reading thread runs (stored-reader.ts): for a cell, read its entry from the
// response store, check it against its hash, and look its grade up in the grade cache — the
// work that made a re-run of 10,000 stored and graded cells spend 3 of its 4 s on the main
// thread. What comes back is what the main thread needs to record the cell: the answer without
// its text (whether the text is empty), the run that paid for it, and the grade without its
// evidence lines. Like grade-worker.ts, the message loop starts only in a thread marked so.

import { parentPort, workerData } from 'node:worker_threads';
import { textSha256 } from '../canonical.ts';
import { factsOf, type AnswerFacts } from './cell-result.ts';
import { FsGradeCache, gradeKeyOf, withoutEvidence, type Verdict } from './grade-cache.ts';
import { FsStore } from './store.ts';

/** Where the store and the grade cache are, and the parts of a grade key all cells share. */
export interface ReaderSetup {
  storeDir: string;
  gradesDir: string;
  gradersVersion: string;
  /** policyJson(policy) */
  policy: string;
}

/** One cell to look up: its store key, and its scenario's scenarioIdentity. */
export interface ReadJob {
  key: string;
  scenario: string | null;
}

export type StoredState =
  | { state: 'none' }
  /** `grade` null: stored but not graded under these graders and policy (the main thread grades it). */
  | { state: 'stored'; runId?: string; answer: AnswerFacts; grade: Verdict | null };

export interface ReadReply {
  id: number;
  states: StoredState[];
  /** What the store and grade cache said while reading (corrupt entries): the main thread prints them. */
  warnings: string[];
}

export class StoredLookup {
  private readonly store: FsStore;
  private readonly cache: FsGradeCache;

  constructor(
    private readonly setup: ReaderSetup,
    warn: (message: string) => void,
  ) {
    this.store = new FsStore(setup.storeDir, warn);
    this.cache = new FsGradeCache(setup.gradesDir, setup.gradersVersion, warn);
  }

  read(job: ReadJob): StoredState {
    const stored = this.store.get(job.key);
    if (!stored) return { state: 'none' };
    const { text } = stored.completion;
    // The store's check has just hashed the text (textSha256 remembers it): the key costs no second pass.
    const grade = this.cache.get(gradeKeyOf(textSha256(text), job.scenario, this.setup.gradersVersion, this.setup.policy));
    return {
      state: 'stored',
      ...(stored.runId !== undefined && { runId: stored.runId }),
      answer: factsOf(stored.completion),
      grade: grade && { score: grade.score, pass: grade.pass, grades: withoutEvidence(grade) },
    };
  }
}

if (parentPort && (workerData as { promptgateStoreReader?: ReaderSetup } | null)?.promptgateStoreReader) {
  const port = parentPort;
  const warnings: string[] = [];
  const lookup = new StoredLookup((workerData as { promptgateStoreReader: ReaderSetup }).promptgateStoreReader, (m) => warnings.push(m));
  port.on('message', ({ id, jobs }: { id: number; jobs: ReadJob[] }) => {
    const states = jobs.map((job) => lookup.read(job));
    port.postMessage({ id, states, warnings: warnings.splice(0) } satisfies ReadReply);
  });
}
