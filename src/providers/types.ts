// The one plain shape every provider returns, and the errors they raise. Providers are thin:
// they turn one request into one completion through the vendor's official SDK and map the
// vendor's response and errors onto these types. Retries, caching, cost and concurrency live in
// the runner, never here (the SDKs' own retries are switched off).

import { redact } from '../redact.ts';
import { oneLine } from '../text.ts';
import type { ResponseInfo } from './rate-headers.ts';

export type ProviderId = 'anthropic' | 'openai' | 'openai-compatible' | 'reference';

export interface GenerationRequest {
  model: string;
  /** The prompt version's text, sent as the system prompt (marked for prompt caching where supported). */
  system: string;
  /** The scenario rendered through the version's user template (or a follow-up turn's message). */
  user: string;
  /**
   * The conversation before `user`, oldest first, for a later turn of a multi-turn scenario: the
   * earlier user messages and the model's answers to them (src/dataset/turns.ts).
   */
  history?: ReadonlyArray<{ role: 'user' | 'assistant'; text: string }>;
  maxTokens: number;
  /** Sent only where the API accepts it (Anthropic API 2026-10-21 rejects it). */
  temperature?: number;
  signal?: AbortSignal;
  /**
   * Told the status and rate-limit headers of every HTTP response to this request, errors
   * included (rate-headers.ts): how the runner's pacer learns the provider's buckets.
   */
  onResponse?: (info: ResponseInfo) => void;
  /** Told when the request goes out (handed to fetch). */
  onSent?: () => void;
}

/** Why the model stopped, normalised across vendors. */
export type StopReason = 'end' | 'max_tokens' | 'refusal' | 'other';

export interface Usage {
  /** Uncached input tokens. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** The provider reported no token counts (some compatible servers): the counts are 0 and the cost is unknown, never $0. */
  unreported?: true;
}

export interface Completion {
  text: string;
  stopReason: StopReason;
  /** The vendor's own stop reason ("end_turn", "length", "max_output_tokens"...). */
  rawStopReason: string | null;
  usage: Usage;
  /** The model as the API reported it. */
  model: string;
  latencyMs: number;
}

export interface Provider {
  id: ProviderId;
  complete(request: GenerationRequest): Promise<Completion>;
}

export type ProviderErrorKind =
  | 'auth' // 401/403: a bad or missing key; never retried, fails the model fast
  | 'rate_limit' // 429
  | 'overloaded' // 529, 503
  | 'server' // other 5xx
  | 'timeout' // no answer in time
  | 'network' // connection refused, reset, cut mid-stream
  | 'bad_request' // 400, 404, 422: the request itself is wrong; never retried
  | 'malformed'; // a response the SDK or we could not read

export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    /** From retry-after-ms / retry-after, when the server sent one. */
    readonly retryAfterMs?: number,
  ) {
    // The boundary where a provider's text enters promptgate's data: an error body may echo our
    // request (a gateway repeating the Authorization header), so secrets are masked here, once,
    // before the message reaches a cell's error, the journal, a report or the terminal.
    super(oneLine(redact(message)));
  }

  get retryable(): boolean {
    return this.kind !== 'auth' && this.kind !== 'bad_request';
  }
}

export interface ProviderConfig {
  provider: Exclude<ProviderId, 'reference'>;
  /** Where to send requests; undefined means the vendor's default (the caller resolves *_BASE_URL). */
  baseURL?: string;
  /** Resolved from the environment by the caller; never stored anywhere. */
  apiKey?: string;
  /** OpenAI only: Responses (default) or Chat Completions. */
  api?: 'responses' | 'chat';
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** Give a connection up (and retry) when it sends no byte for this long, in ms (default 60 s). */
  idleTimeoutMs?: number;
}
