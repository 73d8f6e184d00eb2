// Anthropic Message Batches through @anthropic-ai/sdk: `messages.batches.create` with one
// request per cell (custom_id = its store key), `retrieve` to poll, `results` to stream the
// JSONL results (the SDK follows the batch's results_url), `cancel`. Limits: 100,000 requests
// or 256 MB per batch.

import Anthropic from '@anthropic-ai/sdk';
import { redactingLogger } from '../providers/sdk-log.ts';
import type { ProviderConfig } from '../providers/types.ts';
import type { Cell } from '../runner/plan.ts';
import { anthropicCompletion } from './convert.ts';
import { anthropicParams } from './requests.ts';
import type { BatchClient, ItemResult } from './types.ts';

export function anthropicBatches(config: ProviderConfig, limits: { maxRequests?: number; maxBytes?: number } = {}): BatchClient {
  const client = new Anthropic({
    apiKey: config.apiKey ?? null,
    baseURL: config.baseURL ?? 'https://api.anthropic.com',
    // A retried create could submit the same batch twice; polls are simply repeated later.
    maxRetries: 0,
    timeout: config.timeoutMs,
    webhookKey: null,
    logger: redactingLogger,
  });
  const line = (cell: Cell) => JSON.stringify({ custom_id: cell.storeKey, params: anthropicParams(cell) });
  return {
    vendor: 'anthropic',
    maxRequests: limits.maxRequests ?? 100_000,
    maxBytes: limits.maxBytes ?? 256 * 1024 * 1024,
    line,
    async submit(cells, signal) {
      const batch = await client.messages.batches.create({ requests: cells.map((c) => ({ custom_id: c.storeKey, params: anthropicParams(c) })) }, { ...(signal && { signal }) });
      return batch.id;
    },
    async status(id) {
      const b = await client.messages.batches.retrieve(id);
      const n = b.request_counts;
      return {
        state: b.processing_status,
        ended: b.processing_status === 'ended',
        total: n.processing + n.succeeded + n.errored + n.canceled + n.expired,
        succeeded: n.succeeded,
        failed: n.errored + n.canceled + n.expired,
      };
    },
    async results(id, submittedAt) {
      const latencyMs = Math.max(0, Date.now() - Date.parse(submittedAt));
      const out: ItemResult[] = [];
      for await (const r of await client.messages.batches.results(id)) {
        const key = r.custom_id;
        const result = r.result;
        if (result.type === 'succeeded') {
          try {
            out.push({ key, completion: anthropicCompletion(result.message, latencyMs) });
          } catch (error) {
            out.push({ key, failure: 'errored', reason: (error as Error).message });
          }
        } else if (result.type === 'errored') {
          const e = result.error?.error;
          out.push({ key, failure: 'errored', reason: `${e?.type ?? 'error'}: ${e?.message ?? 'no message'}` });
        } else {
          out.push({ key, failure: result.type, reason: result.type === 'expired' ? 'expired before it ran (the batch reached its 24 h limit)' : 'canceled before it ran' });
        }
      }
      return out;
    },
    async cancel(id) {
      await client.messages.batches.cancel(id);
    },
  };
}
