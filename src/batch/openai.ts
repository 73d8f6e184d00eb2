// The OpenAI Batch API through the `openai` SDK: the requests as a JSONL file uploaded with
// purpose "batch" (`files.create`), `batches.create` on the Responses endpoint (or Chat
// Completions for a model with api: chat) with the 24 h window, `batches.retrieve` to poll,
// `files.content` for the output and error files, `batches.cancel`. One model per batch;
// limits: 50,000 requests or 200 MB per input file.

import OpenAI, { toFile } from 'openai';
import { redactingLogger } from '../providers/sdk-log.ts';
import type { ProviderConfig } from '../providers/types.ts';
import type { Cell } from '../runner/plan.ts';
import { chatCompletion, responsesCompletion } from './convert.ts';
import { openaiBody, openaiEndpoint } from './requests.ts';
import type { BatchClient, ItemResult } from './types.ts';

export function openaiBatches(config: ProviderConfig, limits: { maxRequests?: number; maxBytes?: number } = {}): BatchClient {
  const client = new OpenAI({
    apiKey: config.apiKey ?? '',
    baseURL: config.baseURL ?? 'https://api.openai.com/v1',
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    logger: redactingLogger,
    maxRetries: 0, // a retried create could submit the same batch twice
    timeout: config.timeoutMs,
  });
  const line = (cell: Cell) => JSON.stringify({ custom_id: cell.storeKey, method: 'POST', url: openaiEndpoint(cell), body: openaiBody(cell) });
  const endpoints = new Map<string, string>();
  return {
    vendor: 'openai',
    maxRequests: limits.maxRequests ?? 50_000,
    maxBytes: limits.maxBytes ?? 200 * 1024 * 1024,
    line,
    async submit(cells, signal) {
      const options = signal ? { signal } : {};
      const text = `${cells.map(line).join('\n')}\n`;
      const file = await client.files.create({ file: await toFile(Buffer.from(text), 'promptgate-batch.jsonl'), purpose: 'batch' }, options);
      const batch = await client.batches.create({ input_file_id: file.id, endpoint: openaiEndpoint(cells[0]!), completion_window: '24h' }, options);
      endpoints.set(batch.id, batch.endpoint);
      return batch.id;
    },
    async status(id) {
      const b = await client.batches.retrieve(id);
      endpoints.set(id, b.endpoint);
      const n = b.request_counts ?? { total: 0, completed: 0, failed: 0 };
      return { state: b.status, ended: ['completed', 'failed', 'expired', 'cancelled'].includes(b.status), total: n.total, succeeded: n.completed, failed: n.failed, ...(b.status === 'failed' && { reason: b.errors?.data?.[0]?.message }) };
    },
    async results(id, submittedAt) {
      const latencyMs = Math.max(0, Date.now() - Date.parse(submittedAt));
      const b = await client.batches.retrieve(id);
      const chat = b.endpoint === '/v1/chat/completions';
      const out: ItemResult[] = [];
      for (const fileId of [b.output_file_id, b.error_file_id]) {
        if (!fileId) continue;
        const text = await (await client.files.content(fileId)).text();
        for (const raw of text.split('\n')) {
          if (!raw.trim()) continue;
          out.push(itemOf(JSON.parse(raw) as OutputLine, chat, latencyMs));
        }
      }
      return out;
    },
    async cancel(id) {
      await client.batches.cancel(id);
    },
  };
}

interface OutputLine {
  custom_id: string;
  response: { status_code: number; body: unknown } | null;
  error: { code?: string | null; message?: string | null } | null;
}

function itemOf(l: OutputLine, chat: boolean, latencyMs: number): ItemResult {
  const key = l.custom_id;
  if (l.response && l.response.status_code === 200) {
    try {
      return { key, completion: chat ? chatCompletion(l.response.body as never, latencyMs) : responsesCompletion(l.response.body as never, latencyMs) };
    } catch (error) {
      return { key, failure: 'errored', reason: (error as Error).message };
    }
  }
  if (l.response) {
    const e = (l.response.body as { error?: { message?: string; code?: string | null } } | null)?.error;
    return { key, failure: 'errored', reason: `HTTP ${l.response.status_code}${e?.code ? ` ${e.code}` : ''}: ${e?.message ?? 'no message'}` };
  }
  const code = l.error?.code ?? 'error';
  const failure = code === 'batch_expired' ? 'expired' : code === 'batch_cancelled' ? 'canceled' : 'errored';
  return { key, failure, reason: `${code}: ${l.error?.message ?? 'no message'}` };
}
