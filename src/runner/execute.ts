// Running the planned cells: served from the store when stored, else sent to the provider with
// a concurrency limit per provider (both providers at once), paced by the provider's rate-limit
// headers per model (limiter-pacer.ts), retries, and a spend cap. Each
// finished cell is graded and appended to the journal at once. The first Ctrl-C stops starting
// cells and lets requests in flight finish (they are being paid for); a second abandons them.
// Nothing finished is lost.
//
// Grading goes through grading.ts: a stored output graded before (same text, scenario, graders
// and policy) is not graded again, and long outputs are graded on worker threads. A provider's
// concurrency slot is released as soon as its answer is stored, before grading, so grading
// never holds up requests. Stored outputs that need grading wait for a place in a small window
// before their text is read (again), so regrading 10,000 stored outputs never holds 10,000
// documents in memory. In a run of 1,000+ cells, stored cells are read, checked and looked up in
// the grade cache on reader threads (stored-reader.ts); this thread only records them. Cells
// are dispatched in slices, yielding to the event loop every ~20 ms, so a big run stays
// responsive to Ctrl-C, progress redraws and answers arriving.
//
// Paid answers are never lost to a refused write (persist.ts): when the store or the journal
// cannot be written, the run halts — no new cell starts, retry waits are dropped — and what is
// in flight is held and written again until the disk takes it or the window passes. The first
// Ctrl-C drops retry waits too (a wait is not a request in flight: nothing is paid for yet).
//
// Spend counts every invocation of a run: the caller passes what the journal says was spent
// before, and an answer found in the store that THIS run paid for (an invocation killed between
// storing and journalling it) counts as paid, not as served from the store.

import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import type { Scenario } from '../dataset/schema.ts';
import { withPrevious } from '../dataset/turns.ts';
import type { GradePolicy } from '../../graders/grade.ts';
import { ProviderError, type Completion, type GenerationRequest, type Provider } from '../providers/types.ts';
import { scenarioIdentity, type CachedGrade, type GradeCache } from './grade-cache.ts';
import { costOf, errorResult, estimateCost, factsOf, resultOf, spendOf } from './cell-result.ts';
import { WorkerFailed } from './grade-pool.ts';
import { gradeCacheFor, Grading } from './grading.ts';
import { AdaptiveLimiter } from './limiter.ts';
import { Pacer } from './limiter-pacer.ts';
import { estimateTokens, type Cell } from './plan.ts';
import type { CellResult } from './results.ts';
import { Persister, type WriteFailureInfo } from './persist.ts';
import { RetryAbandoned, withRetry, type RetryPolicy } from './retry.ts';
import type { ResponseStore, StoredResponse } from './store.ts';
import { StoredReader, storedReaderFor } from './stored-reader.ts';

export type RunEvent =
  | { type: 'finished'; cell: Cell; result: CellResult }
  | { type: 'retry'; cell: Cell; error: ProviderError; attempt: number; delayMs: number }
  | { type: 'auth-failed'; model: string; message: string }
  | { type: 'budget-reached'; capUsd: number; spentUsd: number }
  | { type: 'write-failed'; where: string; reason: string; windowMs: number };

export interface ExecuteOptions {
  cells: Cell[];
  /** Provider per `provider:model`; null when the model has no credentials (store only). */
  providers: Map<string, Provider | null>;
  store: ResponseStore;
  scenarios: Map<string, Scenario>;
  policy: GradePolicy;
  retry: RetryPolicy;
  maxCostUsd?: number;
  /** Stop starting cells (the first Ctrl-C); requests in flight finish, as they are paid for. */
  stop: AbortSignal;
  /** Abandon requests in flight too (a second Ctrl-C). */
  signal: AbortSignal;
  /** Called once per finished cell, before anything else (the journal append); may throw a write failure. */
  record: (result: CellResult) => void;
  /** Where `record` writes, for messages. */
  recordWhere?: string;
  /** The run's id: store entries name the run that paid for them. */
  runId?: string;
  /** What earlier invocations of this run spent (from the journal): the cap counts it. */
  spentBeforeUsd?: number;
  /** How long a refused write is held and retried (default 60 s). */
  writeRetryMs?: number;
  onEvent?: (event: RunEvent) => void;
  /** Grades already computed. Default: `<store>/grades/` beside an FsStore, else in memory. */
  grades?: GradeCache;
  /** The window providers' rate limits are per (default: PROMPTGATE_RATE_WINDOW_MS, else a minute). */
  rateWindowMs?: number;
  /** Grading threads (default: one per core; 0 grades on the main thread). */
  workers?: number;
  /**
   * Threads that read and check stored cells and look up their grades (stored-reader.ts).
   * Default: 2 for a run of READER_MIN_CELLS cells or more on a store on disk and a machine with
   * a second core, else none; 0 reads on the main thread. Tests pass a reader of their own.
   */
  readers?: number | StoredReader;
  /** Where a grade-cache or grading-pool problem is reported (default: stderr). */
  warn?: (message: string) => void;
}

export interface Execution {
  results: CellResult[];
  /** Cells not run: no credentials, interrupted, or the spend cap reached. */
  pending: Cell[];
  budgetReached: boolean;
  /** Spent by this run in all its invocations (spentBeforeUsd included). */
  spentUsd: number;
  /** The first refused write, when the run was halted by one. */
  writeFailure: WriteFailureInfo | null;
  /** Paid answers that could not be written to the store (held past the window). */
  unsaved: number;
  /** Finished cells that could not be written to the journal. */
  unrecorded: number;
}

export const modelKey = (c: Pick<Cell, 'model'>) => `${c.model.provider}:${c.model.model}`;

/** Yield to the event loop after this long of synchronous dispatching. */
const SLICE_MS = 20;

export async function execute(opts: ExecuteOptions): Promise<Execution> {
  const limiters = new Map<string, AdaptiveLimiter>();
  for (const c of opts.cells) {
    const max = Math.max(limiters.get(c.model.provider)?.max ?? 0, c.model.concurrency ?? 4);
    limiters.set(c.model.provider, new AdaptiveLimiter(max));
  }
  // One pacer per provider and model: the vendors' rate limits are per model (limiter-pacer.ts).
  const pacers = new Map<string, Pacer>();
  const pacerOf = (cell: Cell) => {
    let p = pacers.get(modelKey(cell));
    if (!p) pacers.set(modelKey(cell), (p = new Pacer(opts.rateWindowMs)));
    return p;
  };
  const warn = opts.warn ?? ((m: string) => void process.stderr.write(`warning: ${m}\n`));
  const ownCache = opts.grades ? null : gradeCacheFor(opts.store, warn);
  const grading = new Grading({ policy: opts.policy, cache: opts.grades ?? ownCache!, expected: opts.cells.length, warn, ...(opts.workers !== undefined && { workers: opts.workers }) });
  let reader = opts.readers instanceof StoredReader ? opts.readers : storedReaderFor({ store: opts.store, grades: opts.grades ?? ownCache!, policy: opts.policy, cells: opts.cells.length, warn, ...(opts.readers !== undefined && { threads: opts.readers }) });
  // At most this many stored outputs are read and waiting for a grade: enough to keep every
  // grading thread busy, few enough that a regrade of 10,000 never holds them all in memory.
  const gradeWindow = new AdaptiveLimiter(4 * Math.max(4, opts.workers ?? availableParallelism()));
  // Every request in flight (and every retry wait) listens for the second Ctrl-C: on a signal of
  // our own, so that 16 or 64 of them are not reported as a listener leak.
  const abandon = new AbortController();
  setMaxListeners(0, abandon.signal);
  const onAbandon = () => abandon.abort(opts.signal.reason);
  if (opts.signal.aborted) onAbandon();
  else opts.signal.addEventListener('abort', onAbandon, { once: true });
  // Waits (retry-after, backoff) end at the first Ctrl-C, a write failure or the second Ctrl-C.
  const waits = new AbortController();
  setMaxListeners(0, waits.signal);
  const endWaits = () => waits.abort(new RetryAbandoned());
  if (opts.stop.aborted) endWaits();
  else opts.stop.addEventListener('abort', endWaits, { once: true });
  abandon.signal.addEventListener('abort', endWaits, { once: true });
  const writeRetryMs = opts.writeRetryMs ?? 60_000;
  const persist = new Persister({
    windowMs: writeRetryMs,
    signal: abandon.signal,
    onFailure: (failure) => {
      endWaits();
      opts.onEvent?.({ type: 'write-failed', ...failure, windowMs: writeRetryMs });
    },
  });
  const halted = () => opts.stop.aborted || persist.failure !== null;
  const results: CellResult[] = [];
  const pending: Cell[] = [];
  const deadModels = new Map<string, string>();
  let spent = opts.spentBeforeUsd ?? 0;
  let reserved = 0;
  let budgetReached = false;
  let unsaved = 0;
  let unrecorded = 0;

  const finish = (cell: Cell, result: CellResult): void | Promise<void> => {
    const done = () => {
      results.push(result);
      opts.onEvent?.({ type: 'finished', cell, result });
    };
    const written = persist.write(opts.recordWhere ?? 'the journal', () => opts.record(result));
    if (written === true) return done();
    return Promise.resolve(written).then((ok) => {
      if (!ok) unrecorded++;
      // Kept in memory either way: results.json (and its reports) still show it.
      done();
    });
  };
  // A later turn is graded against the facts in force at that turn, with the answer it revises
  // (src/dataset/turns.ts; graders/revision.ts): the turn before's answer, from the store.
  const scenarioOf = (cell: Cell): Scenario | null => {
    const before = cell.chain?.at(-1);
    return withPrevious(opts.scenarios.get(cell.scenario) ?? null, before && opts.store.get(before.storeKey)?.completion.text);
  };
  const gradeAndFinish = async (cell: Cell, completion: Completion, cached: boolean) => {
    let graded: CachedGrade;
    try {
      graded = await grading.grade(completion.text, scenarioOf(cell));
    } catch (error) {
      // Paid for all the same: the cost stays on the record (and in the run's spend).
      return finish(cell, errorResult(cell, `grading failed: ${describe(error)}`, cached ? 0 : costOf(cell, completion)));
    }
    await finish(cell, resultOf(cell, factsOf(completion), cached, graded));
  };

  /**
   * Whether a stored answer counts as served from the store: not when this run paid for it (in an
   * earlier invocation), which the spend then counts.
   */
  const served = (cell: Cell, paidBy: string | undefined, answer: Pick<Completion, 'usage'>): boolean => {
    if (opts.runId === undefined || paidBy !== opts.runId) return true;
    spent += spendOf(cell, answer);
    return false;
  };

  /** A stored cell whose grade is cached finishes here (synchronously unless its record is held). */
  const fromStore = (cell: Cell): 'none' | 'ungraded' | void | Promise<void> => {
    const stored = opts.store.get(cell.storeKey);
    if (!stored) return 'none';
    const graded = grading.lookup(stored.completion.text, scenarioOf(cell));
    if (!graded) return 'ungraded';
    return finish(cell, resultOf(cell, factsOf(stored.completion), served(cell, stored.runId, stored.completion), graded));
  };

  /** fromStore, with the reading and the grade lookup done by the reader's threads. */
  const fromReader = async (cell: Cell): Promise<'none' | 'ungraded' | void> => {
    const scenario = scenarioIdentity(opts.scenarios.get(cell.scenario) ?? null);
    let found;
    try {
      found = await reader!.read({ key: cell.storeKey, scenario });
    } catch (error) {
      if (!(error instanceof WorkerFailed)) throw error;
      // A reader that cannot run costs speed, never a cell: read here from now on.
      if (reader) warn(`${error.message}; reading the store on the main thread from now on`);
      reader = null;
      return fromStore(cell);
    }
    if (found.state === 'none') return 'none';
    if (!found.grade) return 'ungraded';
    grading.stats.cacheHits++;
    return finish(cell, resultOf(cell, found.answer, served(cell, found.runId, found.answer), found.grade));
  };

  const gradeStored = async (cell: Cell): Promise<boolean> => {
    await gradeWindow.acquire();
    try {
      const stored = opts.store.get(cell.storeKey);
      if (!stored) return false;
      await gradeAndFinish(cell, stored.completion, served(cell, stored.runId, stored.completion));
      return true;
    } finally {
      gradeWindow.release();
    }
  };

  /** The provider's answer, stored and paid for; null when the cell ended otherwise. */
  const request = async (cell: Cell, history?: GenerationRequest['history']): Promise<Completion | null> => {
    const provider = opts.providers.get(modelKey(cell)) ?? null;
    if (!provider || halted()) return (pending.push(cell), null);
    const dead = deadModels.get(modelKey(cell));
    if (dead) return (await finish(cell, errorResult(cell, dead)), null);

    const limiter = limiters.get(cell.model.provider)!;
    await limiter.acquire();
    try {
      if (halted() || budgetReached) return (pending.push(cell), null);
      const late = deadModels.get(modelKey(cell));
      if (late) return (await finish(cell, errorResult(cell, late)), null);
      const estimate = estimateCost(cell) ?? 0;
      if (opts.maxCostUsd !== undefined && spent + reserved + estimate > opts.maxCostUsd) {
        budgetReached = true;
        opts.onEvent?.({ type: 'budget-reached', capUsd: opts.maxCostUsd, spentUsd: spent });
        return (pending.push(cell), null);
      }
      reserved += estimate;
      try {
        const pacer = pacerOf(cell);
        const completion = await withRetry(async () => {
          const ticket = await pacer.admit({ input: estimateTokens(cell.request.system + cell.request.user + (history ?? []).map((h) => h.text).join('')), maxTokens: cell.request.maxTokens }, waits.signal);
          try {
            const answer = await provider.complete({ ...cell.request, ...(history && { history }), signal: abandon.signal, onResponse: ticket.observe, onSent: ticket.sent });
            ticket.finish(answer.usage.unreported ? null : answer.usage.output);
            return answer;
          } catch (error) {
            ticket.finish(null);
            throw error;
          }
        }, opts.retry, {
          signal: waits.signal,
          onRetry: (error, attempt, delayMs) => {
            // Paced by the headers, a 429 is the pacer's business (it pauses for retry-after);
            // without them, concurrency halves (AIMD) as before.
            if (error.kind === 'rate_limit' && !pacer.paced) limiter.rateLimited();
            opts.onEvent?.({ type: 'retry', cell, error, attempt, delayMs });
          },
        });
        limiter.succeeded();
        spent += spendOf(cell, completion);
        const entry: StoredResponse = { key: cell.storeKey, provider: cell.model.provider, model: cell.model.model, sample: cell.sample, completion, storedAt: new Date().toISOString(), ...(opts.runId && { runId: opts.runId }) };
        if (!(await persist.write(opts.store.dir ?? 'the response store', () => opts.store.put(entry)))) {
          // Held past the window: the answer is gone, but what it cost is on record (and counted
          // by --resume), and the cell, an error, runs again on --resume.
          unsaved++;
          await finish(cell, errorResult(cell, `answer paid for but not saved: ${persist.failure?.reason ?? 'write refused'} (${persist.failure?.where ?? 'the store'})`, costOf(cell, completion)));
          return null;
        }
        return completion;
      } finally {
        reserved -= estimate;
      }
    } catch (error) {
      // Abandoned (second Ctrl-C) or a retry wait dropped (Ctrl-C, a write failure): not run.
      if (opts.signal.aborted || error instanceof RetryAbandoned) return (pending.push(cell), null);
      if (error instanceof ProviderError && error.kind === 'auth' && !deadModels.has(modelKey(cell))) {
        const message = `authentication failed for ${cell.model.label} (${error.message}); check ${keyVariable(cell)}`;
        deadModels.set(modelKey(cell), message);
        opts.onEvent?.({ type: 'auth-failed', model: cell.model.label, message });
      }
      await finish(cell, errorResult(cell, deadModels.get(modelKey(cell)) ?? describe(error)));
      return null;
    } finally {
      limiter.release();
    }
  };

  /**
   * A later turn's conversation so far: each earlier user message and the stored answer to it,
   * once the turn before has finished here. A string says why the turn cannot be sent; null means
   * the turn before was not run (no key, a spend cap), so this one is not run either.
   */
  const historyOf = async (cell: Cell): Promise<GenerationRequest['history'] | string | null> => {
    const before = cell.chain!.at(-1)!;
    await started.get(before.cell);
    if (pending.some((c) => c.id === before.cell)) return null;
    const history: Array<{ role: 'user' | 'assistant'; text: string }> = [];
    for (const [i, turn] of cell.chain!.entries()) {
      const answer = opts.store.get(turn.storeKey)?.completion;
      if (!answer) return `turn ${i + 1} of the conversation has no answer (it failed), so turn ${cell.turn} was not sent`;
      if (answer.stopReason === 'refusal' || answer.text.trim() === '') return `turn ${i + 1} of the conversation was refused, so turn ${cell.turn} was not sent`;
      history.push({ role: 'user', text: turn.user }, { role: 'assistant', text: answer.text });
    }
    return history;
  };

  const runCell = async (cell: Cell): Promise<void> => {
    // After a refused write nothing new starts: each cell more would need the same disk.
    if (persist.failure) return void pending.push(cell);
    // A later turn is graded with the answer before it (scenarioOf): read here.
    const state = reader && !cell.chain?.length ? await fromReader(cell) : fromStore(cell);
    if (state !== 'none' && state !== 'ungraded') return state;
    if (state === 'ungraded' && (await gradeStored(cell))) return;
    let history: GenerationRequest['history'];
    if (cell.chain?.length) {
      const h = await historyOf(cell);
      if (h === null || persist.failure) return void pending.push(cell);
      if (typeof h === 'string') return finish(cell, errorResult(cell, h));
      history = h;
    }
    const completion = await request(cell, history);
    if (completion) await gradeAndFinish(cell, completion, false);
  };

  // Each cell's run, by id: a later turn waits for the turn before (plan order puts it first).
  const started = new Map<string, Promise<void>>();
  try {
    const running: Promise<void>[] = [];
    let sliceStart = performance.now();
    for (const cell of opts.cells) {
      const run = runCell(cell);
      started.set(cell.id, run.catch(() => {}));
      running.push(run);
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    await Promise.all(running);
  } finally {
    opts.signal.removeEventListener('abort', onAbandon);
    opts.stop.removeEventListener('abort', endWaits);
    await Promise.all([grading.close(), reader?.close()]);
    ownCache?.close?.();
  }
  return { results, pending, budgetReached, spentUsd: spent, writeFailure: persist.failure, unsaved, unrecorded };
}

function describe(error: unknown): string {
  if (error instanceof ProviderError) return `${error.kind}${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}`;
  return (error as Error)?.message ?? String(error);
}

export function keyVariable(cell: Pick<Cell, 'model'>): string {
  return cell.model.apiKeyEnv ?? (cell.model.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');
}
