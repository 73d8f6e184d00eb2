// Claude through @anthropic-ai/sdk 1.x (API version 2026-10-21). One streamed Messages call per
// completion: streaming because the SDK refuses long non-streamed calls (max_tokens above ~21k
// without an explicit timeout) and because a cut stream is then visible as such. The system
// prompt is one text block marked for prompt caching, so samples of one prompt version reuse it.
// Never sends temperature/top_p/top_k: API 2026-10-21 answers them with a 400.
// Raw stream events are accumulated here rather than through `messages.stream()`, whose helper
// re-wraps transport failures as generic AnthropicErrors and cannot tell "cut" from "done".

import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { connectionFailure, guardedCall, httpFailure, otherFailure, watchedFetch } from './call.ts';
import { rateHeadersOf } from './rate-headers.ts';
import { redactingLogger } from './sdk-log.ts';
import { checkedUsage } from './usage.ts';
import { ProviderError, type Completion, type GenerationRequest, type Provider, type ProviderConfig, type StopReason } from './types.ts';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';
const DEFAULT_IDLE_MS = 60_000;

export function createAnthropicProvider(config: ProviderConfig): Provider {
  // Without a key the SDK would go looking for credentials in profiles and config files: refuse instead.
  const client = config.apiKey
    ? new Anthropic({
        apiKey: config.apiKey,
        baseURL: config.baseURL ?? DEFAULT_BASE_URL, // explicit, so ANTHROPIC_BASE_URL is not read here
        maxRetries: 0, // retries are the runner's policy
        timeout: config.timeoutMs,
        webhookKey: null,
        logger: redactingLogger, // what the SDK logs is redacted too (sdk-log.ts)
        fetch: watchedFetch, // bytes arriving keep the idle limit from firing (call.ts)
      })
    : null;
  return {
    id: 'anthropic',
    async complete(request) {
      if (!client) throw new ProviderError('auth', 'anthropic: no API key given (set ANTHROPIC_API_KEY or the model\'s apiKeyEnv)');
      const started = performance.now();
      // Streamed: headers come at once and events (pings included) keep coming, so the idle limit holds from the start.
      const idle = { ms: config.idleTimeoutMs ?? DEFAULT_IDLE_MS, fromStart: true };
      const message = await guardedCall('anthropic', config.timeoutMs, request.signal, (signal) => streamMessage(client, request, signal).catch(reportError(request)), toProviderError, idle, request.onSent);
      return toCompletion(message, Math.round(performance.now() - started));
    },
  };
}

/** What the stream told us, accumulated the way the SDK's MessageStream does it. */
interface Streamed {
  model: string;
  /** Text by content-block index; other block kinds (thinking, tool use) are left out. */
  texts: string[];
  stopReason: string | null;
  usage: { input_tokens: number | null; output_tokens: number | null; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null };
}

async function streamMessage(client: Anthropic, request: GenerationRequest, signal: AbortSignal): Promise<Streamed> {
  const { data: stream, response } = await client.messages
    .create(
      {
        model: request.model,
        max_tokens: request.maxTokens,
        // An empty text block is a 400, so an empty prompt sends no system at all.
        ...(request.system ? { system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }] } : {}),
        messages: [...(request.history ?? []).map((h) => ({ role: h.role, content: h.text })), { role: 'user', content: request.user }],
        stream: true,
      },
      { signal },
    )
    .withResponse();
  request.onResponse?.({ status: response.status, headers: rateHeadersOf(response.headers), whole: false });
  if (!response.headers.get('content-type')?.includes('text/event-stream')) {
    throw new ProviderError('malformed', `anthropic: expected an event stream, got ${response.headers.get('content-type') ?? 'no content type'}`, response.status);
  }
  let streamed: Streamed | null = null;
  for await (const event of stream) {
    if (event.type === 'message_start') {
      streamed = { model: event.message.model, texts: [], stopReason: event.message.stop_reason, usage: { ...event.message.usage } };
      continue;
    }
    if (!streamed) throw new ProviderError('malformed', `anthropic: stream event ${event.type} before message_start`);
    switch (event.type) {
      case 'content_block_start':
        if (event.content_block.type === 'text') streamed.texts[event.index] = event.content_block.text;
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') streamed.texts[event.index] = (streamed.texts[event.index] ?? '') + event.delta.text;
        break;
      case 'message_delta': {
        streamed.stopReason = event.delta.stop_reason;
        // Cumulative totals: overwrite when present, never add.
        // Absent usage is left absent (usage.ts makes the cost unknown), not a crash.
        const { output_tokens, input_tokens, cache_read_input_tokens, cache_creation_input_tokens } = event.usage ?? {};
        streamed.usage.output_tokens = output_tokens;
        if (input_tokens != null) streamed.usage.input_tokens = input_tokens;
        if (cache_read_input_tokens != null) streamed.usage.cache_read_input_tokens = cache_read_input_tokens;
        if (cache_creation_input_tokens != null) streamed.usage.cache_creation_input_tokens = cache_creation_input_tokens;
        break;
      }
      case 'message_stop':
        return streamed;
    }
  }
  // The SDK's iterator ends quietly on an abort; the guard reports those. Otherwise the server
  // closed the stream early: the document is incomplete, and a retry may well get all of it.
  if (signal.aborted) throw signal.reason as Error;
  throw new ProviderError('network', streamed ? 'anthropic: stream ended before message_stop' : 'anthropic: stream ended before message_start');
}

function toCompletion(m: Streamed, latencyMs: number): Completion {
  // A turn the service paused (pause_turn) or ended without saying why is not a finished
  // document: graded, it would count against the prompt. A retry may finish it.
  if (m.stopReason === 'pause_turn' || m.stopReason == null) {
    throw new ProviderError('server', `anthropic: the answer is incomplete (stop_reason ${m.stopReason === null ? 'missing' : m.stopReason})`);
  }
  return {
    text: m.texts.join(''),
    stopReason: stopReasonOf(m.stopReason),
    rawStopReason: m.stopReason,
    usage: checkedUsage(
      'anthropic',
      { input: m.usage.input_tokens, output: m.usage.output_tokens, cacheRead: m.usage.cache_read_input_tokens, cacheWrite: m.usage.cache_creation_input_tokens },
      { input: 'input_tokens', output: 'output_tokens', cacheRead: 'cache_read_input_tokens', cacheWrite: 'cache_creation_input_tokens' },
    ),
    model: m.model,
    latencyMs,
  };
}

function stopReasonOf(raw: string | null): StopReason {
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
      return 'end';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    case 'refusal':
      return 'refusal';
    default:
      return 'other';
  }
}

/** An HTTP error's status and rate-limit headers go to the request's observer too (a 429 carries them). */
function reportError(request: GenerationRequest) {
  return (error: unknown): never => {
    if (error instanceof APIError && error.status !== undefined && error.headers) request.onResponse?.({ status: error.status, headers: rateHeadersOf(error.headers), whole: true });
    throw error;
  };
}

function toProviderError(error: unknown): Error {
  if (error instanceof APIConnectionTimeoutError) return new ProviderError('timeout', `anthropic: ${error.message}`);
  if (error instanceof APIConnectionError) return connectionFailure('anthropic', error);
  // Only reached if the SDK aborted on its own: the guard turns caller aborts into AbortErrors first.
  if (error instanceof APIUserAbortError) return new ProviderError('network', `anthropic: ${error.message}`);
  if (error instanceof APIError) {
    const where = error.status === undefined ? 'error event in the stream' : String(error.status);
    const id = error.requestID ? ` (request-id ${error.requestID})` : '';
    return httpFailure('anthropic', {
      status: error.status,
      headers: error.headers,
      type: error.type,
      code: error.errorCode,
      message: `${where} ${error.type ?? 'error'}: ${error.apiMessage ?? error.message}${id}`,
    });
  }
  return otherFailure('anthropic', error);
}
