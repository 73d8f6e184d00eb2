// The OpenAI half of the emulator: POST /v1/responses and POST /v1/chat/completions, JSON only
// (the providers do not stream OpenAI; a `stream: true` request gets a clear 400 rather than a
// silently wrong answer). `output_text` is left out of Responses bodies, as the real API does:
// the SDK computes it. Usage follows OpenAI's containment: input_tokens INCLUDES the cached
// and the cache-written tokens. A repeated system prompt (instructions / developer message) is
// a cache write the first time per model and a cache read afterwards, at any size unless given
// the real minimum (1,024 tokens).

import { bearer, cutBody, lastOfRole, sendJson, str, textOf, tokens, type Answer, type EmulatedRequest, type EmulatedUsage, type VendorApi } from './emulator-core.ts';

const RESPONSES = '/v1/responses';
const CHAT = '/v1/chat/completions';

export function openaiApi(minCacheable = 0): VendorApi {
  const cached = new Set<string>();
  let next = 1;
  const id = (prefix: string) => `${prefix}${String(next++).padStart(6, '0')}`;
  const now = () => Math.floor(Date.now() / 1000);

  const usageOf = (req: EmulatedRequest, answer: Answer): EmulatedUsage => {
    const system = tokens(req.system);
    const key = `${req.model}\n${req.system}`;
    const cacheable = system > 0 && system >= minCacheable;
    const hit = cacheable && cached.has(key);
    if (cacheable) cached.add(key);
    // Below the minimum the system prompt is plain input.
    return { input: tokens(req.user) + (cacheable ? 0 : system), output: tokens(answer.text), cacheRead: hit ? system : 0, cacheWrite: cacheable && !hit ? system : 0, ...answer.usage };
  };
  const total = (u: EmulatedUsage) => u.input + u.cacheRead + u.cacheWrite;

  const responseBody = (req: EmulatedRequest, a: Answer, u: EmulatedUsage) => ({
    id: id('resp_emu_'),
    object: 'response',
    created_at: now(),
    status: a.incomplete || a.stopReason === 'max_tokens' ? 'incomplete' : 'completed',
    model: req.model,
    output: [
      {
        type: 'message',
        id: id('msg_emu_'),
        status: a.stopReason === 'max_tokens' ? 'incomplete' : 'completed',
        role: 'assistant',
        content: a.stopReason === 'refusal' ? [{ type: 'refusal', refusal: a.text }] : [{ type: 'output_text', text: a.text, annotations: [], logprobs: [] }],
      },
    ],
    instructions: req.body.instructions ?? null,
    error: null,
    incomplete_details: a.incomplete ? { reason: a.incomplete } : a.stopReason === 'max_tokens' ? { reason: 'max_output_tokens' } : null,
    max_output_tokens: req.maxTokens,
    temperature: req.body.temperature ?? 1,
    top_p: 1,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    text: { format: { type: 'text' } },
    store: req.body.store ?? true,
    usage:
      a.rawUsage !== undefined
        ? (a.rawUsage ?? undefined)
        : {
            input_tokens: total(u),
            input_tokens_details: { cached_tokens: u.cacheRead, cache_write_tokens: u.cacheWrite },
            output_tokens: u.output,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: total(u) + u.output,
          },
  });

  const chatBody = (req: EmulatedRequest, a: Answer, u: EmulatedUsage) => ({
    id: id('chatcmpl-emu-'),
    object: 'chat.completion',
    created: now(),
    model: req.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: a.stopReason === 'refusal' ? null : a.text, refusal: a.stopReason === 'refusal' ? a.text : null, annotations: [] },
        finish_reason: a.incomplete ?? (a.stopReason === 'max_tokens' ? 'length' : 'stop'),
        logprobs: null,
      },
    ],
    usage: a.rawUsage !== undefined ? (a.rawUsage ?? undefined) : {
      prompt_tokens: total(u),
      completion_tokens: u.output,
      total_tokens: total(u) + u.output,
      prompt_tokens_details: { cached_tokens: u.cacheRead, cache_write_tokens: u.cacheWrite, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_emulator',
  });

  return {
    vendor: 'openai',
    paths: [RESPONSES, CHAT],
    requestIdHeader: 'x-request-id',
    apiKeyOf: (h) => bearer(h.authorization),
    promptOf: (path, body) =>
      path === RESPONSES
        ? {
            model: str(body.model),
            system: str(body.instructions),
            user: typeof body.input === 'string' ? body.input : textOf(lastOfRole(body.input, 'user')),
            maxTokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null,
          }
        : {
            model: str(body.model),
            system: textOf(lastOfRole(body.messages, 'developer', 'system')),
            user: textOf(lastOfRole(body.messages, 'user')),
            maxTokens: [body.max_completion_tokens, body.max_tokens].find((v): v is number => typeof v === 'number') ?? null,
          },
    invalid(req) {
      if (!req.model) return "you must provide a model parameter";
      if (req.body.stream === true) return 'emulator: streaming is not emulated for OpenAI; send stream: false';
      if (req.path === RESPONSES && req.body.input === undefined) return "Missing required parameter: 'input'.";
      if (req.path === CHAT && (!Array.isArray(req.body.messages) || req.body.messages.length === 0)) return "Missing required parameter: 'messages'.";
      return null;
    },
    errorBody: (status, message) => ({ error: { message, ...errorKind(status), param: null } }),
    answer(req, res, answer, requestId) {
      const u = usageOf(req, answer);
      sendJson(res, 200, req.path === RESPONSES ? responseBody(req, answer, u) : chatBody(req, answer, u), { 'x-request-id': requestId });
    },
    cut(_req, res, _answer, requestId, then) {
      cutBody(res, { 'x-request-id': requestId }, then);
    },
    reset() {
      cached.clear();
    },
  };
}

function errorKind(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 404) return { type: 'invalid_request_error', code: 'model_not_found' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}
