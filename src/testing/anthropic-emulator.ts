// The Anthropic half of the emulator: POST /v1/messages, as JSON or as the SSE event sequence the
// SDK expects (every event with an `event:` line; the SDK ignores events without one). Accepts
// both auth styles (`x-api-key` from SDK 0.x, `Authorization: Bearer` from 1.x) and both API
// versions, and rejects temperature/top_p/top_k under 2026-10-21 as the real API does.
// Prompt caching: a system prompt marked with cache_control is a cache write the first time
// (per model) and a cache read afterwards. Real Claude only caches prompts of at least 1,024
// tokens (Sonnet/Opus class); the emulator caches any size unless given that minimum, so that
// small test prompts show both cases.

import type { ServerResponse } from 'node:http';
import { bearer, chunks, cutBody, endCut, lastOfRole, sendJson, startSse, str, textOf, tokens, type Answer, type EmulatedRequest, type EmulatedUsage, type VendorApi } from './emulator-core.ts';

const VERSIONS = ['2023-06-01', '2026-10-21'];
const REMOVED_IN_2026_10_21 = ['temperature', 'top_p', 'top_k'];
const STOP_REASON = { end: 'end_turn', max_tokens: 'max_tokens', refusal: 'refusal' } as const;
const ERROR_TYPE: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 402: 'billing_error', 403: 'permission_error', 404: 'not_found_error',
  413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 504: 'timeout_error', 529: 'overloaded_error',
};

export function anthropicApi(minCacheable = 0): VendorApi {
  const cached = new Set<string>();
  let nextMessage = 1;

  const usageOf = (req: EmulatedRequest, answer: Answer): EmulatedUsage => {
    const system = tokens(req.system);
    const blocks = Array.isArray(req.body.system) ? (req.body.system as Array<Record<string, unknown>>) : [];
    const cacheable = blocks.some((b) => b.cache_control) && system >= minCacheable;
    const key = `${req.model}\n${req.system}`;
    const hit = cacheable && cached.has(key);
    if (cacheable) cached.add(key);
    return {
      input: tokens(req.user) + (cacheable ? 0 : system),
      output: tokens(answer.text),
      cacheRead: hit ? system : 0,
      cacheWrite: cacheable && !hit ? system : 0,
      ...answer.usage,
    };
  };

  const message = (req: EmulatedRequest, answer: Answer, u: EmulatedUsage, streaming: boolean) => ({
    id: `msg_emu_${String(nextMessage++).padStart(6, '0')}`,
    type: 'message',
    role: 'assistant',
    model: req.model,
    content: streaming ? [] : [{ type: 'text', text: answer.text, citations: null }],
    stop_reason: streaming ? null : (answer.incomplete ?? STOP_REASON[answer.stopReason]),
    stop_sequence: null,
    stop_details: streaming ? null : stopDetails(answer),
    container: null,
    usage: answer.rawUsage !== undefined ? (answer.rawUsage ?? undefined) : {
      input_tokens: u.input,
      output_tokens: streaming ? 1 : u.output,
      cache_creation_input_tokens: u.cacheWrite,
      cache_read_input_tokens: u.cacheRead,
      cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite, ephemeral_1h_input_tokens: 0 },
      output_tokens_details: { thinking_tokens: 0 },
      server_tool_use: null,
      service_tier: 'standard',
      inference_geo: null,
      speed: null,
    },
  });

  /** message_start .. the text deltas; the caller finishes (or cuts) the stream. */
  const openStream = (req: EmulatedRequest, res: ServerResponse, answer: Answer, requestId: string, u: EmulatedUsage) => {
    const send = startSse(res, { 'request-id': requestId });
    send('message_start', { type: 'message_start', message: message(req, answer, u, true) });
    send('ping', { type: 'ping' });
    send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } });
    const pieces = chunks(answer.text);
    return { send, pieces, delta: (text: string) => send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }) };
  };

  return {
    vendor: 'anthropic',
    paths: ['/v1/messages'],
    requestIdHeader: 'request-id',
    apiKeyOf: (h) => h['x-api-key'] || bearer(h.authorization),
    promptOf: (_path, body) => ({
      model: str(body.model),
      system: typeof body.system === 'string' ? body.system : textOf(body.system),
      user: textOf(lastOfRole(body.messages, 'user')),
      maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : null,
    }),
    invalid(req) {
      const version = req.headers['anthropic-version'];
      if (!version) return 'anthropic-version: header is required';
      if (!VERSIONS.includes(version)) return `anthropic-version: "${version}" is not a valid version`;
      if (version === '2026-10-21') {
        const removed = REMOVED_IN_2026_10_21.find((f) => f in req.body);
        if (removed) return `${removed}: Extra inputs are not permitted (removed in anthropic-version 2026-10-21)`;
      }
      if (!req.model) return 'model: Field required';
      if (!Number.isInteger(req.body.max_tokens) || (req.body.max_tokens as number) < 0) return 'max_tokens: Field required (a non-negative integer)';
      if (!Array.isArray(req.body.messages) || req.body.messages.length === 0) return 'messages: at least one message is required';
      if (Array.isArray(req.body.system) && req.body.system.some((b: { text?: unknown }) => !b?.text)) return 'system: text content blocks must be non-empty';
      return null;
    },
    errorBody: (status, message, requestId) => ({ type: 'error', error: { type: ERROR_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message }, request_id: requestId }),
    answer(req, res, answer, requestId) {
      const u = usageOf(req, answer);
      if (req.body.stream !== true) return sendJson(res, 200, message(req, answer, u, false), { 'request-id': requestId });
      const { send, pieces, delta } = openStream(req, res, answer, requestId, u);
      for (const piece of pieces) delta(piece);
      send('content_block_stop', { type: 'content_block_stop', index: 0 });
      send('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: answer.incomplete ?? STOP_REASON[answer.stopReason], stop_sequence: null, stop_details: stopDetails(answer) },
        usage: answer.rawUsage !== undefined ? (answer.rawUsage ?? undefined) : { output_tokens: u.output, input_tokens: u.input, cache_creation_input_tokens: u.cacheWrite, cache_read_input_tokens: u.cacheRead },
      });
      send('message_stop', { type: 'message_stop' });
      res.end();
    },
    cut(req, res, answer, requestId, then) {
      if (req.body.stream !== true) return cutBody(res, { 'request-id': requestId }, then);
      const { pieces, delta } = openStream(req, res, answer, requestId, usageOf(req, answer));
      // A reset comes after about half of the answer; a cut or a stall after three pieces.
      for (const piece of pieces.slice(0, then === 'reset' ? Math.ceil(pieces.length / 2) : 3)) delta(piece);
      endCut(res, then);
    },
    streamError(req, res, answer, requestId, error) {
      if (req.body.stream !== true) return false;
      const { send, pieces, delta } = openStream(req, res, answer, requestId, usageOf(req, answer));
      for (const piece of pieces.slice(0, 2)) delta(piece);
      send('error', { type: 'error', error });
      res.end();
      return true;
    },
    reset() {
      cached.clear();
    },
  };
}

const stopDetails = (a: Answer) => (a.stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null);
