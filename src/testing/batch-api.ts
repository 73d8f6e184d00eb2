// The two batch APIs, emulated beside the live ones (emulators.ts registers these routes on the
// same server, so one base URL serves both, as with the real services):
//
//   Anthropic Message Batches: POST /v1/messages/batches, GET /v1/messages/batches/{id},
//     POST …/{id}/cancel, GET …/{id}/results (JSONL; `results_url` is absolute, as the SDK needs).
//   OpenAI Batch API: POST /v1/files (multipart, purpose "batch"), POST /v1/batches,
//     GET /v1/batches/{id}, POST /v1/batches/{id}/cancel, GET /v1/files/{id}/content.
//
// A batch "runs" for `delayMs` after it is created (the script's, default 0) and then ends; its
// requests are answered with the same deterministic document the live API would send
// (defaultText), so a batch result and a live answer grade alike. The script can fail single
// requests (an error, or expired), expire the whole batch, and hold it in progress until
// released. Everything submitted is counted (`counts`, `submissions`): tests prove that nothing
// was submitted twice by asking how often each request body arrived.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalJson } from '../canonical.ts';
import { bearer, defaultText, lastOfRole, sendJson, str, textOf, tokens } from './emulator-core.ts';

export type BatchVendor = 'anthropic' | 'openai';

/** One request inside a batch, as the script sees it. */
export interface BatchItem {
  vendor: BatchVendor;
  batchId: string;
  customId: string;
  model: string;
  system: string;
  user: string;
  /** How many times this request (custom id and body) was submitted in a batch before (0 for the first). */
  attempt: number;
}

/** What happens to one request: answered (default), an error, or expired before it ran. */
export type ItemOutcome = { ok: true; text?: string } | { error: string; status?: number } | { expired: true };

export interface BatchScript {
  /** How long a batch stays in progress after it is created (default 0). */
  delayMs?: number;
  /** Hold every batch in progress until set back to false (a kill "between submit and results"). */
  hold?: boolean;
  /** Expire whole batches (every request expired; OpenAI status "expired"). */
  expire?: boolean;
  /** Decide one request's outcome; undefined means answered. */
  outcome?: (item: BatchItem) => ItemOutcome | undefined;
  /** Requests of a canceled batch that had been answered before the cancel (default: none). */
  doneBeforeCancel?: (item: BatchItem) => boolean;
}

export interface BatchCounts {
  batches: number;
  /** Requests received inside batches, over all batches. */
  requests: number;
  uploads: number;
  polls: number;
  cancels: number;
  resultDownloads: number;
}

interface EmulatedBatch {
  vendor: BatchVendor;
  id: string;
  createdAt: number;
  endsAt: number;
  items: Array<{ customId: string; body: Record<string, unknown>; item: BatchItem }>;
  canceled: boolean;
  /** Set when it ends: one outcome per custom id. */
  results: Map<string, ItemOutcome | { canceled: true }> | null;
  expired: boolean;
  inputFileId?: string;
  endpoint?: string;
}

export interface BatchApi {
  script: BatchScript;
  readonly counts: BatchCounts;
  /** Requests (custom id and canonical JSON body) → how many times each was submitted in a batch. */
  readonly submissions: Map<string, number>;
  /** Serve a batch route; false when the path is not one. */
  handle(incoming: IncomingMessage, res: ServerResponse): Promise<boolean>;
  reset(): void;
}

const ANTHROPIC_MAX = 100_000;
const OPENAI_MAX = 50_000;

export function batchApi(minCacheable = 0): BatchApi {
  const batches = new Map<string, EmulatedBatch>();
  const files = new Map<string, { text: string; purpose: string }>();
  const submissions = new Map<string, number>();
  const cached = new Set<string>();
  const counts: BatchCounts = { batches: 0, requests: 0, uploads: 0, polls: 0, cancels: 0, resultDownloads: 0 };
  let next = 1;
  const newId = (prefix: string) => `${prefix}${String(next++).padStart(6, '0')}`;
  const api: BatchApi = { script: {}, counts, submissions, handle, reset };

  function reset(): void {
    batches.clear();
    files.clear();
    submissions.clear();
    cached.clear();
    Object.assign(counts, { batches: 0, requests: 0, uploads: 0, polls: 0, cancels: 0, resultDownloads: 0 });
    api.script = {};
  }

  /** Whether the batch has ended by now; ending computes its results, once. */
  function settle(b: EmulatedBatch): boolean {
    if (b.results) return true;
    if (!b.canceled && (api.script.hold || Date.now() < b.endsAt)) return false;
    b.results = new Map();
    b.expired = !b.canceled && Boolean(api.script.expire);
    for (const { customId, item } of b.items) {
      const canceled = b.canceled && !api.script.doneBeforeCancel?.(item);
      b.results.set(customId, canceled ? { canceled: true } : b.expired ? { expired: true } : (api.script.outcome?.(item) ?? { ok: true }));
    }
    return true;
  }

  function submit(vendor: BatchVendor, requests: Array<{ customId: string; body: Record<string, unknown> }>, extra: Partial<EmulatedBatch> = {}): EmulatedBatch {
    const id = newId(vendor === 'anthropic' ? 'msgbatch_emu_' : 'batch_emu_');
    const items = requests.map(({ customId, body }) => {
      const key = `${vendor} ${customId} ${canonicalJson(body)}`;
      const attempt = submissions.get(key) ?? 0;
      submissions.set(key, attempt + 1);
      return { customId, body, item: { vendor, batchId: id, customId, attempt, ...promptOf(vendor, body) } };
    });
    counts.batches++;
    counts.requests += items.length;
    const b: EmulatedBatch = { vendor, id, createdAt: Date.now(), endsAt: Date.now() + (api.script.delayMs ?? 0), items, canceled: false, results: null, expired: false, ...extra };
    batches.set(id, b);
    return b;
  }

  /** Token counts of one answered request; a repeated system prompt is a cache read, as live. */
  function usageOf(vendor: BatchVendor, item: BatchItem, body: Record<string, unknown>, text: string) {
    const system = tokens(item.system);
    const marked = vendor === 'openai' || (Array.isArray(body.system) && body.system.some((b: { cache_control?: unknown }) => b?.cache_control));
    const cacheable = marked && system > 0 && system >= minCacheable;
    const key = `${item.model}\n${item.system}`;
    const hit = cacheable && cached.has(key);
    if (cacheable) cached.add(key);
    return { input: tokens(item.user) + (cacheable ? 0 : system), output: tokens(text), cacheRead: hit ? system : 0, cacheWrite: cacheable && !hit ? system : 0 };
  }

  // ---- Anthropic -------------------------------------------------------------------------

  const anthropicBatch = (b: EmulatedBatch, base: string) => {
    const ended = settle(b);
    const tally = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    if (!ended) tally.processing = b.items.length;
    else for (const o of b.results!.values()) tally['ok' in o ? 'succeeded' : 'error' in o ? 'errored' : 'canceled' in o ? 'canceled' : 'expired']++;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : b.canceled ? 'canceling' : 'in_progress',
      request_counts: tally,
      created_at: iso(b.createdAt),
      expires_at: iso(b.createdAt + 86_400_000),
      ended_at: ended ? iso(Date.now()) : null,
      cancel_initiated_at: b.canceled ? iso(Date.now()) : null,
      archived_at: null,
      results_url: ended ? `${base}/v1/messages/batches/${b.id}/results` : null,
    };
  };

  const anthropicLine = (b: EmulatedBatch, customId: string, body: Record<string, unknown>, item: BatchItem) => {
    const o = b.results!.get(customId)!;
    if ('canceled' in o) return { custom_id: customId, result: { type: 'canceled' } };
    if ('expired' in o) return { custom_id: customId, result: { type: 'expired' } };
    if ('error' in o) return { custom_id: customId, result: { type: 'errored', error: { type: 'error', error: { type: o.status === 529 ? 'overloaded_error' : o.status && o.status < 500 ? 'invalid_request_error' : 'api_error', message: o.error } } } };
    const text = o.text ?? defaultText(item);
    const u = usageOf('anthropic', item, body, text);
    const message = {
      id: newId('msg_emu_b'),
      type: 'message',
      role: 'assistant',
      model: item.model,
      content: [{ type: 'text', text, citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: u.input, output_tokens: u.output, cache_read_input_tokens: u.cacheRead, cache_creation_input_tokens: u.cacheWrite, service_tier: 'batch' },
    };
    return { custom_id: customId, result: { type: 'succeeded', message } };
  };

  async function anthropic(method: string, path: string, incoming: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
    const fail = (status: number, message: string) => sendJson(res, status, { type: 'error', error: { type: status === 404 ? 'not_found_error' : status === 401 ? 'authentication_error' : 'invalid_request_error', message } });
    if (!(incoming.headers['x-api-key'] || bearer(incoming.headers.authorization))) return fail(401, 'emulator: no API key');
    if (!incoming.headers['anthropic-version']) return fail(400, 'anthropic-version: header is required');
    if (method === 'POST' && path === '/v1/messages/batches') {
      const body = JSON.parse((await readBody(incoming)).toString('utf8') || '{}') as { requests?: Array<{ custom_id?: unknown; params?: Record<string, unknown> }> };
      const requests = Array.isArray(body.requests) ? body.requests : [];
      if (requests.length === 0) return fail(400, 'requests: at least one request is required');
      if (requests.length > ANTHROPIC_MAX) return fail(413, `requests: at most ${ANTHROPIC_MAX} requests per batch`);
      const ids = new Set<string>();
      for (const [i, r] of requests.entries()) {
        const id = str(r.custom_id);
        if (!/^[a-zA-Z0-9_-]{1,64}$/.test(id)) return fail(400, `requests.${i}.custom_id: 1 to 64 characters of [a-zA-Z0-9_-]`);
        if (ids.has(id)) return fail(400, `requests.${i}.custom_id: "${id}" is not unique in the batch`);
        ids.add(id);
        const p = r.params ?? {};
        if (!str(p.model) || !Number.isInteger(p.max_tokens) || (p.max_tokens as number) < 1 || !Array.isArray(p.messages)) return fail(400, `requests.${i}.params: model, max_tokens (≥ 1) and messages are required`);
      }
      return sendJson(res, 200, anthropicBatch(submit('anthropic', requests.map((r) => ({ customId: str(r.custom_id), body: r.params! }))), base));
    }
    const m = /^\/v1\/messages\/batches\/([^/]+)(\/cancel|\/results)?$/.exec(path);
    const b = m ? batches.get(m[1]!) : undefined;
    if (!m || !b || b.vendor !== 'anthropic') return fail(404, `emulator: no message batch ${m?.[1] ?? path}`);
    if (method === 'GET' && !m[2]) return (counts.polls++, sendJson(res, 200, anthropicBatch(b, base)));
    if (method === 'POST' && m[2] === '/cancel') {
      counts.cancels++;
      if (!b.results) b.canceled = true;
      return sendJson(res, 200, anthropicBatch(b, base));
    }
    if (method === 'GET' && m[2] === '/results') {
      if (!settle(b)) return fail(400, `emulator: batch ${b.id} has not ended yet`);
      counts.resultDownloads++;
      const lines = b.items.map(({ customId, body, item }) => JSON.stringify(anthropicLine(b, customId, body, item)));
      res.writeHead(200, { 'content-type': 'application/binary' });
      return void res.end(`${lines.join('\n')}\n`);
    }
    return fail(404, `emulator: no route ${method} ${path}`);
  }

  // ---- OpenAI ----------------------------------------------------------------------------

  const openaiBatch = (b: EmulatedBatch) => {
    const ended = settle(b);
    let completed = 0;
    let failed = 0;
    if (ended) for (const o of b.results!.values()) 'ok' in o ? completed++ : failed++;
    if (ended) writeOutputFiles(b);
    const at = Math.floor(b.createdAt / 1000);
    const status = !ended ? (b.canceled ? 'cancelling' : 'in_progress') : b.canceled ? 'cancelled' : b.expired ? 'expired' : 'completed';
    const files = outputsOf.get(b.id);
    return {
      id: b.id,
      object: 'batch',
      endpoint: b.endpoint,
      input_file_id: b.inputFileId,
      completion_window: '24h',
      status,
      created_at: at,
      in_progress_at: at,
      expires_at: at + 86_400,
      ...(ended && { completed_at: Math.floor(Date.now() / 1000) }),
      output_file_id: files?.output ?? null,
      error_file_id: files?.error ?? null,
      errors: null,
      request_counts: { total: b.items.length, completed, failed },
      metadata: null,
    };
  };

  const outputsOf = new Map<string, { output: string | null; error: string | null }>();
  function writeOutputFiles(b: EmulatedBatch): void {
    if (outputsOf.has(b.id)) return;
    const out: string[] = [];
    const err: string[] = [];
    for (const { customId, body, item } of b.items) {
      const o = b.results!.get(customId)!;
      const lineId = newId('batch_req_emu_');
      if ('ok' in o) {
        const text = o.text ?? defaultText(item);
        const u = usageOf('openai', item, body, text);
        const total = u.input + u.cacheRead + u.cacheWrite;
        const response = {
          id: newId('resp_emu_b'),
          object: 'response',
          status: 'completed',
          model: item.model,
          output: [{ type: 'message', id: newId('msg_emu_b'), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] }],
          incomplete_details: null,
          error: null,
          usage: { input_tokens: total, input_tokens_details: { cached_tokens: u.cacheRead, cache_write_tokens: u.cacheWrite }, output_tokens: u.output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: total + u.output },
        };
        out.push(JSON.stringify({ id: lineId, custom_id: customId, response: { status_code: 200, request_id: newId('req_emu_b'), body: response }, error: null }));
      } else if ('error' in o) {
        const status = o.status ?? 500;
        err.push(JSON.stringify({ id: lineId, custom_id: customId, response: { status_code: status, request_id: newId('req_emu_b'), body: { error: { message: o.error, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null } } }, error: null }));
      } else {
        const code = 'canceled' in o ? 'batch_cancelled' : 'batch_expired';
        err.push(JSON.stringify({ id: lineId, custom_id: customId, response: null, error: { code, message: `emulator: ${code === 'batch_expired' ? 'this request could not be executed before the completion window expired' : 'the batch was cancelled'}` } }));
      }
    }
    const save = (lines: string[], name: string) => {
      if (!lines.length) return null;
      const id = newId('file-emu-');
      files.set(id, { text: `${lines.join('\n')}\n`, purpose: name });
      return id;
    };
    outputsOf.set(b.id, { output: save(out, 'batch_output'), error: save(err, 'batch_error') });
  }

  async function openai(method: string, path: string, incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const fail = (status: number, message: string) => sendJson(res, status, { error: { message, type: 'invalid_request_error', param: null, code: null } });
    if (!bearer(incoming.headers.authorization)) return fail(401, 'emulator: no API key');
    if (method === 'POST' && path === '/v1/files') {
      const raw = await readBody(incoming);
      const form = await new Response(raw, { headers: { 'content-type': incoming.headers['content-type'] ?? '' } }).formData().catch(() => null);
      const file = form?.get('file');
      if (!form || form.get('purpose') !== 'batch' || !file || typeof file === 'string') return fail(400, "emulator: expected multipart fields purpose=batch and file");
      counts.uploads++;
      const text = await file.text();
      const id = newId('file-emu-');
      files.set(id, { text, purpose: 'batch' });
      return sendJson(res, 200, { id, object: 'file', bytes: Buffer.byteLength(text), created_at: Math.floor(Date.now() / 1000), filename: file.name, purpose: 'batch', status: 'processed' });
    }
    const content = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
    if (method === 'GET' && content) {
      const f = files.get(content[1]!);
      if (!f) return fail(404, `emulator: no file ${content[1]}`);
      counts.resultDownloads++;
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return void res.end(f.text);
    }
    if (method === 'POST' && path === '/v1/batches') {
      const body = JSON.parse((await readBody(incoming)).toString('utf8') || '{}') as Record<string, unknown>;
      const input = files.get(str(body.input_file_id));
      if (!input) return fail(400, `input_file_id: no file ${str(body.input_file_id)}`);
      if (body.endpoint !== '/v1/responses' && body.endpoint !== '/v1/chat/completions') return fail(400, `endpoint: ${String(body.endpoint)} is not emulated`);
      if (body.completion_window !== '24h') return fail(400, 'completion_window: must be "24h"');
      const lines = input.text.split('\n').filter((l) => l.trim());
      if (lines.length > OPENAI_MAX) return fail(400, `input file: at most ${OPENAI_MAX} requests per batch`);
      const requests: Array<{ customId: string; body: Record<string, unknown> }> = [];
      const ids = new Set<string>();
      const models = new Set<string>();
      for (const [i, line] of lines.entries()) {
        let r: { custom_id?: unknown; method?: unknown; url?: unknown; body?: Record<string, unknown> };
        try {
          r = JSON.parse(line);
        } catch {
          return fail(400, `input file line ${i + 1}: not JSON`);
        }
        if (r.method !== 'POST' || r.url !== body.endpoint || !r.body) return fail(400, `input file line ${i + 1}: method POST, url ${String(body.endpoint)} and body are required`);
        if (ids.has(str(r.custom_id))) return fail(400, `input file line ${i + 1}: custom_id "${str(r.custom_id)}" is not unique`);
        ids.add(str(r.custom_id));
        models.add(str(r.body.model));
        requests.push({ customId: str(r.custom_id), body: r.body });
      }
      if (models.size > 1) return fail(400, 'input file: every request of a batch must use the same model');
      return sendJson(res, 200, openaiBatch(submit('openai', requests, { inputFileId: str(body.input_file_id), endpoint: str(body.endpoint) })));
    }
    const m = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
    const b = m ? batches.get(m[1]!) : undefined;
    if (!m || !b || b.vendor !== 'openai') return fail(404, `emulator: no batch ${m?.[1] ?? path}`);
    if (method === 'GET' && !m[2]) return (counts.polls++, sendJson(res, 200, openaiBatch(b)));
    if (method === 'POST' && m[2]) {
      counts.cancels++;
      if (!b.results) b.canceled = true;
      return sendJson(res, 200, openaiBatch(b));
    }
    return fail(404, `emulator: no route ${method} ${path}`);
  }

  async function handle(incoming: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (incoming.url ?? '/').split('?')[0]!;
    const method = incoming.method ?? 'GET';
    const base = `http://${incoming.headers.host ?? '127.0.0.1'}`;
    if (path.startsWith('/v1/messages/batches')) return (await anthropic(method, path, incoming, res, base), true);
    if (path.startsWith('/v1/batches') || path.startsWith('/v1/files')) return (await openai(method, path, incoming, res), true);
    return false;
  }

  return api;
}

function promptOf(vendor: BatchVendor, body: Record<string, unknown>): { model: string; system: string; user: string } {
  if (vendor === 'anthropic') {
    return { model: str(body.model), system: typeof body.system === 'string' ? body.system : textOf(body.system), user: textOf(lastOfRole(body.messages, 'user')) };
  }
  if (body.input !== undefined) return { model: str(body.model), system: str(body.instructions), user: typeof body.input === 'string' ? body.input : textOf(lastOfRole(body.input, 'user')) };
  return { model: str(body.model), system: textOf(lastOfRole(body.messages, 'developer', 'system')), user: textOf(lastOfRole(body.messages, 'user')) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}
