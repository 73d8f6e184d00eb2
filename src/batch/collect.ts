// Polling submitted batches until they end, and collecting what they answered: each answer is
// put in the response store under its cell's key (paid for by the run that collects it), each
// request without an answer is recorded with its reason. A batch's record leaves the store's
// list of open batches only once all its answers are stored: a kill or a refused write while
// collecting means the next eval collects it again (results stay downloadable for 29 days).
//
// Progress is one line per batch whenever its state or counts change.

import { redactSecrets } from '../redact.ts';
import { oneLine } from '../text.ts';
import type { ResponseStore } from '../runner/store.ts';
import type { BatchLog, OpenBatches } from './registry.ts';
import type { BatchClient, BatchRecord, BatchStatus } from './types.ts';

export interface Failure {
  batch: string;
  failure: 'errored' | 'expired' | 'canceled';
  reason: string;
}

export interface Collecting {
  clients: Map<string, BatchClient>;
  store: ResponseStore;
  open: OpenBatches;
  log: BatchLog;
  runId: string;
  pollMs: number;
  stop: AbortSignal;
  say: (line: string) => void;
  /** Keys answered (stored) so far. */
  collected: Set<string>;
  /** Keys a batch ended without answering, with why. */
  failed: Map<string, Failure>;
}

const now = () => new Date().toISOString();

/** Poll `active` until every batch has ended and been collected, or the stop signal. Returns those still open. */
export async function pollUntilCollected(active: BatchRecord[], c: Collecting): Promise<BatchRecord[]> {
  const shown = new Map<string, string>();
  let waiting = [...active];
  while (waiting.length && !c.stop.aborted) {
    const still: BatchRecord[] = [];
    for (const record of waiting) {
      if (c.stop.aborted) {
        still.push(record);
        continue;
      }
      const client = c.clients.get(record.model)!;
      let status: BatchStatus;
      try {
        status = await client.status(record.id);
      } catch (error) {
        // A poll that fails (network, 5xx) is asked again next time: the batch runs on regardless.
        c.say(`batch ${record.id}: could not poll it (${message(error)}); trying again`);
        still.push(record);
        continue;
      }
      const line = describe(record, status);
      if (shown.get(record.id) !== line) c.say(line);
      shown.set(record.id, line);
      if (!status.ended) {
        still.push(record);
        continue;
      }
      try {
        await collect(record, status, client, c);
      } catch (error) {
        c.say(`batch ${record.id}: its results could not be read or stored (${message(error)}); trying again`);
        still.push(record);
      }
    }
    waiting = still;
    if (waiting.length) await sleep(c.pollMs, c.stop);
  }
  return waiting;
}

async function collect(record: BatchRecord, status: BatchStatus, client: BatchClient, c: Collecting): Promise<void> {
  const items = await client.results(record.id, record.submittedAt);
  const colon = record.model.indexOf(':');
  const provider = record.model.slice(0, colon);
  const model = record.model.slice(colon + 1);
  const sampleOf = new Map(record.entries.map((e) => [e.key, e.sample]));
  const answered: string[] = [];
  const failures: Array<{ key: string } & Failure> = [];
  for (const item of items) {
    if (!sampleOf.has(item.key)) continue; // not a request of ours (a custom id we never sent)
    if ('completion' in item) {
      // Our keys masked in what the service sent back, as for a live answer (providers/index.ts).
      const completion = { ...item.completion, text: redactSecrets(item.completion.text), model: redactSecrets(item.completion.model) };
      await c.store.put({ key: item.key, provider, model, sample: sampleOf.get(item.key)!, completion, storedAt: now(), runId: c.runId });
      answered.push(item.key);
    } else {
      failures.push({ key: item.key, batch: record.id, failure: item.failure, reason: oneLine(item.reason).slice(0, 300) });
    }
  }
  // A request the results do not mention (a batch that failed as a whole) has no answer either.
  const mentioned = new Set(items.map((i) => i.key));
  for (const e of record.entries) {
    if (!mentioned.has(e.key)) failures.push({ key: e.key, batch: record.id, failure: 'errored', reason: status.reason ? `the batch failed: ${oneLine(status.reason)}` : `no result for this request (batch ${status.state})` });
  }
  c.log.append({ type: 'ended', at: now(), id: record.id, status });
  if (answered.length) c.log.append({ type: 'collected', at: now(), id: record.id, keys: answered });
  for (const f of failures) c.log.append({ type: 'failed', at: now(), id: record.id, key: f.key, failure: f.failure, reason: f.reason });
  for (const key of answered) (c.collected.add(key), c.failed.delete(key));
  for (const { key, ...f } of failures) if (!c.collected.has(key)) c.failed.set(key, f);
  c.open.remove(record.id);
}

export function describe(record: BatchRecord, s: BatchStatus): string {
  const done = s.ended ? `${s.succeeded} succeeded, ${s.failed} failed` : s.succeeded + s.failed > 0 ? `${s.succeeded} succeeded, ${s.failed} failed, ${Math.max(0, s.total - s.succeeded - s.failed)} to go` : `${s.total || record.entries.length} requests`;
  return `batch ${record.id} (${record.model}): ${s.state} · ${done}`;
}

function message(error: unknown): string {
  return oneLine((error as Error)?.message ?? String(error)).slice(0, 200);
}

/** Wait `ms`, or less when `stop` fires. */
export function sleep(ms: number, stop: AbortSignal): Promise<void> {
  if (stop.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => (clearTimeout(timer), stop.removeEventListener('abort', done), resolve());
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}
