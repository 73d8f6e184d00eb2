// `eval --cancel-batches`: ask the providers to cancel the open batches on this store (those of
// one run with --resume RUN_ID), then wait for them to end and store what they had already
// answered — those answers are paid for, and a later eval serves them from the store.

import { join } from 'node:path';
import type { ProviderConfig } from '../providers/types.ts';
import type { ResponseStore } from '../runner/store.ts';
import type { Suite } from '../suite/schema.ts';
import { batchClients } from './clients.ts';
import { pollUntilCollected, type Collecting } from './collect.ts';
import { BatchLog, OpenBatches } from './registry.ts';

export interface CancelOptions {
  suite: Suite;
  configs: Map<string, ProviderConfig | null>;
  store: ResponseStore;
  storeDir: string;
  /** Only this run's batches (--resume RUN_ID); else every open batch on the store. */
  runId?: string;
  /** Where the run's batches.jsonl is (with --resume). */
  runDir?: string;
  pollMs: number;
  stop: AbortSignal;
  say: (line: string) => void;
}

export async function cancelBatches(o: CancelOptions): Promise<{ canceled: number; stored: number; left: number }> {
  const open = new OpenBatches(o.storeDir);
  const clients = batchClients(o.suite, o.configs);
  const records = open.list((w) => o.say(`warning: ${w}`)).filter((r) => o.runId === undefined || r.runId === o.runId);
  if (!records.length) {
    o.say(`no open batches${o.runId ? ` of run ${o.runId}` : ''} in ${open.dir}`);
    return { canceled: 0, stored: 0, left: 0 };
  }
  const log = new BatchLog(o.runDir ? join(o.runDir, 'batches.jsonl') : join(open.dir, 'canceled.jsonl'));
  try {
    const reachable = [];
    for (const r of records) {
      const client = clients.get(r.model);
      if (!client) {
        o.say(`batch ${r.id} (${r.model}): no key for that model in this environment; not canceled`);
        continue;
      }
      await client.cancel(r.id);
      open.put({ ...r, cancelRequested: true });
      log.append({ type: 'cancel', at: new Date().toISOString(), id: r.id });
      o.say(`batch ${r.id} (${r.model}): cancel requested`);
      reachable.push(r);
    }
    const c: Collecting = { clients, store: o.store, open, log, runId: o.runId ?? 'canceled', pollMs: o.pollMs, stop: o.stop, say: o.say, collected: new Set(), failed: new Map() };
    const left = await pollUntilCollected(reachable, c);
    o.say(`${reachable.length - left.length} batch(es) canceled; ${c.collected.size} answers they had finished are in the store`);
    return { canceled: reachable.length, stored: c.collected.size, left: left.length };
  } finally {
    log.close();
  }
}
