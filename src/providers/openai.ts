// GPT through the `openai` SDK 6.x (the last line that supports Node 20), and any
// OpenAI-compatible server (Ollama, vLLM, llama.cpp) through the same client with a base URL.
// One non-streamed call per completion: the Responses API by default, Chat Completions when the
// model asks for it. Usage is normalised to "uncached input": OpenAI counts cache reads and
// cache writes INSIDE input_tokens (Anthropic counts them beside it), so both are subtracted;
// otherwise cost would bill the cached part of every prompt twice.

import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { connectionFailure, guardedCall, httpFailure, otherFailure, watchedFetch } from './call.ts';
import { rateHeadersOf } from './rate-headers.ts';
import { redactingLogger } from './sdk-log.ts';
import { checkedUsage } from './usage.ts';
import { ProviderError, type Completion, type GenerationRequest, type Provider, type ProviderConfig, type StopReason, type Usage } from './types.ts';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export function createOpenAIProvider(config: ProviderConfig): Provider {
  const compatible = config.provider === 'openai-compatible';
  const vendor = compatible ? 'openai-compatible' : 'openai';
  // Local servers usually want no key, but the SDK insists on one.
  const apiKey = config.apiKey ?? (compatible ? 'not-needed' : undefined);
  const client = apiKey
    ? new OpenAI({
        apiKey,
        // Everything explicit, so that OPENAI_BASE_URL / _ORG_ID / _PROJECT_ID are not read here.
        baseURL: config.baseURL ?? DEFAULT_BASE_URL,
        organization: null,
        project: null,
        adminAPIKey: null,
        webhookSecret: null,
        logger: redactingLogger, // what the SDK logs is redacted too (sdk-log.ts)
        maxRetries: 0, // retries are the runner's policy
        timeout: config.timeoutMs,
        fetch: watchedFetch, // bytes arriving keep the idle limit from firing (call.ts)
      })
    : null;
  const call = config.api === 'chat' ? chat : responses;
  return {
    id: config.provider,
    async complete(request) {
      if (!client) throw new ProviderError('auth', `${vendor}: no API key given (set OPENAI_API_KEY or the model's apiKeyEnv)`);
      const started = performance.now();
      // Not streamed: the server is silent while the model writes, so the idle limit holds from the headers on.
      const idle = { ms: config.idleTimeoutMs ?? 60_000, fromStart: false };
      const answer = await guardedCall(vendor, config.timeoutMs, request.signal, (signal) => call(client, request, signal, compatible).catch(reportError(request)), (e) => toProviderError(vendor, e), idle, request.onSent);
      return { ...answer, latencyMs: Math.round(performance.now() - started) };
    },
  };
}

type Answer = Omit<Completion, 'latencyMs'>;

async function responses(client: OpenAI, request: GenerationRequest, signal: AbortSignal, compatible: boolean): Promise<Answer> {
  const params: ResponseCreateParamsNonStreaming = {
    model: request.model,
    instructions: request.system,
    input: request.history?.length ? [...request.history.map((h) => ({ role: h.role, content: h.text })), { role: 'user' as const, content: request.user }] : request.user,
    max_output_tokens: request.maxTokens,
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    // Nothing here needs the response kept server-side: a follow-up turn sends its history itself.
    ...(!compatible && { store: false }),
  };
  const { data: r, response } = await client.responses.create(params, { signal }).withResponse();
  request.onResponse?.({ status: response.status, headers: rateHeadersOf(response.headers), whole: true });
  if (!r || typeof r !== 'object' || !Array.isArray(r.output)) throw new ProviderError('malformed', 'responses: the body has no output array');
  if (r.status === 'failed') {
    throw new ProviderError('server', `responses: status "failed"${r.error ? `: ${r.error.code}: ${r.error.message}` : ''}`);
  }
  const refusal = r.output.flatMap((item) => (item.type === 'message' ? item.content : [])).find((part) => part.type === 'refusal');
  const incomplete = r.status === 'incomplete' ? (r.incomplete_details?.reason ?? 'incomplete') : null;
  // Only a length limit or the content filter ends an answer that can be graded as what the model
  // wrote. Anything else ("interrupted", a cancelled or unfinished response) is a document cut by
  // the service, not by the model: graded, it would count against the prompt. A retry may finish it.
  if (incomplete !== null && incomplete !== 'max_output_tokens' && incomplete !== 'content_filter') {
    throw new ProviderError('server', `responses: the answer is incomplete (${String(incomplete).slice(0, 80)}), not cut by max_output_tokens or the content filter`);
  }
  if (r.status != null && r.status !== 'completed' && r.status !== 'incomplete') throw new ProviderError('server', `responses: status "${String(r.status).slice(0, 80)}"; expected "completed"`);
  const stopReason: StopReason =
    incomplete === 'max_output_tokens' ? 'max_tokens'
    : incomplete === 'content_filter' || refusal ? 'refusal'
    : r.status === 'completed' ? 'end'
    : 'other';
  const u = r.usage;
  return {
    // A refusal carries its explanation instead of text; keep it so a report can show why.
    text: r.output_text || refusal?.refusal || '',
    stopReason,
    rawStopReason: incomplete ?? (refusal ? 'refusal' : (r.status ?? null)),
    usage: usageOf('responses', [u?.input_tokens, u?.output_tokens, u?.input_tokens_details?.cached_tokens, u?.input_tokens_details?.cache_write_tokens], {
      input: 'input_tokens',
      output: 'output_tokens',
      cacheRead: 'input_tokens_details.cached_tokens',
      cacheWrite: 'input_tokens_details.cache_write_tokens',
    }),
    model: r.model,
  };
}

async function chat(client: OpenAI, request: GenerationRequest, signal: AbortSignal, compatible: boolean): Promise<Answer> {
  const params: ChatCompletionCreateParamsNonStreaming = {
    model: request.model,
    // OpenAI's own models take "developer" and max_completion_tokens; local servers (Ollama,
    // llama.cpp) know only the older "system" role and max_tokens.
    messages: [
      { role: compatible ? 'system' : 'developer', content: request.system },
      ...(request.history ?? []).map((h) => ({ role: h.role, content: h.text })),
      { role: 'user', content: request.user },
    ],
    ...(compatible ? { max_tokens: request.maxTokens } : { max_completion_tokens: request.maxTokens }),
    ...(request.temperature !== undefined && { temperature: request.temperature }),
  };
  const { data: c, response } = await client.chat.completions.create(params, { signal }).withResponse();
  request.onResponse?.({ status: response.status, headers: rateHeadersOf(response.headers), whole: true });
  const choice = Array.isArray(c?.choices) ? c.choices[0] : undefined;
  if (!choice?.message) throw new ProviderError('malformed', 'chat completions: the body has no choices[0].message');
  const { message, finish_reason } = choice;
  const refused = message.refusal != null || finish_reason === 'content_filter';
  const stopReason: StopReason = refused ? 'refusal' : finish_reason === 'length' ? 'max_tokens' : finish_reason === 'stop' ? 'end' : 'other';
  const u = c.usage;
  return {
    text: message.content || message.refusal || '',
    stopReason,
    rawStopReason: finish_reason ?? null,
    usage: usageOf('chat completions', [u?.prompt_tokens, u?.completion_tokens, u?.prompt_tokens_details?.cached_tokens, u?.prompt_tokens_details?.cache_write_tokens], {
      input: 'prompt_tokens',
      output: 'completion_tokens',
      cacheRead: 'prompt_tokens_details.cached_tokens',
      cacheWrite: 'prompt_tokens_details.cache_write_tokens',
    }),
    model: c.model,
  };
}

/** OpenAI's input total includes cache reads and writes; ours is the uncached rest. Checked first (usage.ts). */
function usageOf(api: string, [total, output, cached, written]: unknown[], names: Parameters<typeof checkedUsage>[2]): Usage {
  const u = checkedUsage(api, { input: total, output, cacheRead: cached, cacheWrite: written }, names);
  return u.unreported ? u : { ...u, input: Math.max(0, u.input - u.cacheRead - u.cacheWrite) };
}

/** An HTTP error's status and rate-limit headers go to the request's observer too (a 429 carries them). */
function reportError(request: GenerationRequest) {
  return (error: unknown): never => {
    if (error instanceof APIError && error.status !== undefined && error.headers) request.onResponse?.({ status: error.status, headers: rateHeadersOf(error.headers), whole: true });
    throw error;
  };
}

function toProviderError(vendor: string, error: unknown): Error {
  if (error instanceof APIConnectionTimeoutError) return new ProviderError('timeout', `${vendor}: ${error.message}`);
  if (error instanceof APIConnectionError) return connectionFailure(vendor, error);
  // Only reached if the SDK aborted on its own: the guard turns caller aborts into AbortErrors first.
  if (error instanceof APIUserAbortError) return new ProviderError('network', `${vendor}: ${error.message}`);
  if (error instanceof APIError) {
    const id = error.requestID ? ` (x-request-id ${error.requestID})` : '';
    return httpFailure(vendor, { status: error.status, headers: error.headers, type: error.type, code: error.code, message: `${error.message}${id}` });
  }
  return otherFailure(vendor, error);
}
