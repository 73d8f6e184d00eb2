// `eval` in batch mode (`mode: batch` in the suite, or --batch): the batch phase before the
// runner, and what the command says about it. Returns the cells for the runner, those answered
// by a batch priced at the batch price — the runner then finds their answers in the store and
// grades, journals and reports them like any other, so a batch run ends with the same
// results.json, reports and gate as a live one.

import { join } from 'node:path';
import { modelKey } from '../runner/execute.ts';
import type { Cell } from '../runner/plan.ts';
import type { ResponseStore } from '../runner/store.ts';
import type { Suite } from '../suite/schema.ts';
import type { ProviderConfig } from '../providers/types.ts';
import { batchClients } from './clients.ts';
import { runBatches } from './phase.ts';
import { atBatchPrice } from './price.ts';
import { BatchLog, collectedKeys, OpenBatches, readBatchLog } from './registry.ts';

export interface BatchModeOptions {
  /** The cells this invocation runs. */
  cells: Cell[];
  configs: Map<string, ProviderConfig | null>;
  suite: Suite;
  store: ResponseStore;
  storeDir: string;
  runId: string;
  runDir: string;
  pollMs: number;
  stop: AbortSignal;
  say: (line: string) => void;
  warn: (message: string) => void;
  spentBeforeUsd: number;
  /** The command that resumes this run. */
  resume: string;
}

export interface BatchMode {
  cells: Cell[];
  /** Batches left running (interrupted). */
  left: number;
}

export async function batchMode(o: BatchModeOptions): Promise<BatchMode> {
  const clients = batchClients(o.suite, o.configs);
  const file = join(o.runDir, 'batches.jsonl');
  const log = new BatchLog(file);
  const open = new OpenBatches(o.storeDir);
  const wanted = o.cells.filter((c) => clients.has(modelKey(c)) && !o.store.has(c.storeKey));
  const unbatched = [...new Set(o.cells.filter((c) => !clients.has(modelKey(c)) && o.configs.get(modelKey(c))).map((c) => c.model.label))];
  if (unbatched.length) o.say(`no batch API for ${unbatched.join(', ')}: those cells run live`);
  let phase;
  try {
    phase = await runBatches({
      cells: wanted,
      clients,
      store: o.store,
      open,
      log,
      runId: o.runId,
      pollMs: o.pollMs,
      stop: o.stop,
      say: o.say,
      warn: o.warn,
      retry: o.suite.batch?.retry ?? 'live',
      ...(o.suite.batch?.rounds !== undefined && { rounds: o.suite.batch.rounds }),
      ...(o.suite.budgetUsd !== undefined && { maxCostUsd: o.suite.budgetUsd }),
      spentBeforeUsd: o.spentBeforeUsd,
    });
  } finally {
    log.close();
  }
  // Only this run's requests: an adopted batch may hold another plan's too.
  const ours = new Set(wanted.map((c) => c.storeKey));
  const failed = [...phase.failed].filter(([key]) => ours.has(key)).map(([, f]) => f);
  if (failed.length && !o.stop.aborted) {
    const reasons = new Map<string, number>();
    for (const f of failed) reasons.set(`${f.failure}: ${f.reason}`, (reasons.get(`${f.failure}: ${f.reason}`) ?? 0) + 1);
    o.say(`${failed.length} requests got no answer from their batch; asking for them live:\n${[...reasons].map(([r, n]) => `  ${n} × ${r}`).join('\n')}`);
  }
  if (phase.overBudget) o.say(`${phase.overBudget} cells were not submitted: the spend cap would not cover them`);
  if (phase.left.length) {
    const cancel = `${o.resume} --cancel-batches`;
    o.say(
      `${phase.left.length} batch${phase.left.length > 1 ? 'es are' : ' is'} left running at the provider (${phase.left.map((b) => b.id).join(', ')}); nothing is submitted again:\n` +
        `  collect the answers: ${o.resume}  (or run the suite again)\n  cancel them:         ${cancel}`,
    );
  }
  // Every answer this run collected from a batch, in any invocation, is billed at the batch price.
  const batched = collectedKeys(readBatchLog(file));
  return { cells: o.cells.map((c) => (batched.has(c.storeKey) ? atBatchPrice(c) : c)), left: phase.left.length };
}
