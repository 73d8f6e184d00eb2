// Batch mode's part of a run, before the runner grades it: the cells that need an answer are
// sent through the providers' batch APIs at half the price, polled, and their answers put in the
// response store; then the runner (execute.ts) finds them there and grades, journals and
// reports them exactly as it does live answers.
//
// - Batches already open on this store (an interrupted invocation, or an earlier eval of the
//   same suite) are polled, never submitted again: their requests are left out of new batches.
// - Each new batch is on record (registry.ts) the moment its id is known.
// - Requests a batch ended without answering (errored, expired, canceled) are recorded with
//   their reason and either go to a new batch (`retry: batch`, up to `rounds` times) or are left
//   to the runner, which asks for them live (`retry: live`, the default).
// - The spend cap counts batches at the batch price: what does not fit is not submitted.
// - Ctrl-C stops submitting and polling; the batches keep running at the provider.

import { WriteFailed } from '../errors.ts';
import { estimateCost } from '../runner/cell-result.ts';
import { modelKey } from '../runner/execute.ts';
import { describeWriteFailure, isWriteFailure } from '../runner/write-failure.ts';
import type { Cell } from '../runner/plan.ts';
import { pollUntilCollected, type Collecting, type Failure } from './collect.ts';
import { atBatchPrice } from './price.ts';
import { splitIntoBatches } from './split.ts';
import type { BatchRecord } from './types.ts';

export interface BatchPhaseOptions extends Omit<Collecting, 'collected' | 'failed'> {
  /** Cells that need an answer (not in the store). Those of a model without a batch client are left alone. */
  cells: Cell[];
  retry: 'live' | 'batch';
  /** New batches for failed requests when retry is "batch" (default 2). */
  rounds?: number;
  maxCostUsd?: number;
  spentBeforeUsd?: number;
  warn?: (message: string) => void;
}

export interface BatchPhase {
  /** Store keys answered by a batch in this invocation. */
  collected: Set<string>;
  /** Store keys still without an answer after the batches, with why (the runner asks for them live). */
  failed: Map<string, Failure>;
  /** Batches still running (interrupted). */
  left: BatchRecord[];
  submitted: number;
  adopted: number;
  /** Cells not submitted because the spend cap would not cover them. */
  overBudget: number;
}

export async function runBatches(opts: BatchPhaseOptions): Promise<BatchPhase> {
  const c: Collecting = { ...opts, collected: new Set(), failed: new Map() };
  const at = () => new Date().toISOString();
  const wanted = new Map(opts.cells.map((cell) => [cell.storeKey, cell]));
  // Open batches on this store for models we can poll: whoever submitted them, they are collected.
  const adopted = opts.open.list(opts.warn).filter((r) => opts.clients.has(r.model));
  for (const r of adopted) {
    opts.log.append({ type: 'adopted', at: at(), id: r.id, model: r.model, submittedBy: r.runId, requests: r.entries.length });
    opts.say(`batch ${r.id} (${r.model}, ${r.entries.length} requests) was submitted ${r.runId === opts.runId ? 'earlier by this run' : `by run ${r.runId}`}: polling it, not submitting again`);
  }
  const covered = new Set(adopted.flatMap((r) => r.entries.map((e) => e.key)));
  let left = await submitAndCollect(opts.cells.filter((cell) => opts.clients.has(modelKey(cell)) && !covered.has(cell.storeKey)), adopted, c, opts);
  let submitted = left.submitted;
  let overBudget = left.overBudget;
  for (let round = 0; opts.retry === 'batch' && round < (opts.rounds ?? 2) && !opts.stop.aborted && left.open.length === 0; round++) {
    const again = [...c.failed.keys()].map((k) => wanted.get(k)).filter((cell): cell is Cell => cell !== undefined);
    if (!again.length) break;
    opts.say(`${again.length} requests failed inside a batch: submitting them in a new batch`);
    left = await submitAndCollect(again, [], c, opts);
    submitted += left.submitted;
    overBudget += left.overBudget;
  }
  return { collected: c.collected, failed: c.failed, left: left.open, submitted, adopted: adopted.length, overBudget };
}

async function submitAndCollect(cells: Cell[], already: BatchRecord[], c: Collecting, opts: BatchPhaseOptions) {
  const active = [...already];
  let submitted = 0;
  let overBudget = 0;
  // The spend cap: batches are billed at the batch price, and what does not fit is not sent.
  let room = opts.maxCostUsd === undefined ? Infinity : opts.maxCostUsd - (opts.spentBeforeUsd ?? 0);
  const affordable = cells.filter((cell) => {
    const cost = estimateCost(atBatchPrice(cell)) ?? 0;
    if (cost > room) return (overBudget++, false);
    room -= cost;
    return true;
  });
  for (const chunk of splitIntoBatches(affordable, (m) => opts.clients.get(m)!)) {
    if (opts.stop.aborted) break;
    const client = opts.clients.get(chunk.model)!;
    let id: string;
    try {
      id = await client.submit(chunk.cells);
    } catch (error) {
      const reason = `the batch could not be submitted: ${(error as Error)?.message ?? String(error)}`;
      opts.say(`${chunk.model}: ${reason}; its ${chunk.cells.length} requests are asked for live`);
      for (const cell of chunk.cells) c.failed.set(cell.storeKey, { batch: '', failure: 'errored', reason });
      continue;
    }
    const record: BatchRecord = { id, vendor: client.vendor, model: chunk.model, runId: opts.runId, submittedAt: new Date().toISOString(), entries: chunk.cells.map((cell) => ({ key: cell.storeKey, sample: cell.sample })) };
    // On record at once: a kill from here on leaves a batch the next eval polls, never re-submits.
    try {
      opts.open.put(record);
      opts.log.append({ type: 'submitted', at: record.submittedAt, id, vendor: record.vendor, model: record.model, requests: record.entries.length, keys: record.entries.map((e) => e.key) });
    } catch (error) {
      if (!isWriteFailure(error)) throw error;
      // A batch nobody knows about would be paid for and never collected: cancel it, then stop.
      const canceled = await client.cancel(id).then(() => 'it was canceled', (e: unknown) => `canceling it failed too (${(e as Error).message}); cancel it in the provider's console`);
      throw new WriteFailed(`cannot record batch ${id} (${describeWriteFailure(error)}) in ${opts.open.dir}; ${canceled}. Free space and run again`);
    }
    for (const cell of chunk.cells) c.failed.delete(cell.storeKey);
    opts.say(`submitted batch ${id} (${chunk.model}, ${chunk.cells.length} requests)`);
    active.push(record);
    submitted++;
  }
  const open = await pollUntilCollected(active, c);
  return { open, submitted, overBudget };
}
