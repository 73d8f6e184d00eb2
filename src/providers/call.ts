// What both vendor providers need around one SDK call: a deadline over the WHOLE call, a prompt
// abort, and the vendor-neutral half of error mapping (HTTP status, retry-after, transport and
// parse failures). The SDKs' own `timeout` only covers the wait for response headers: a stream
// that stalls after its first byte would otherwise hang for ever, so the deadline lives here.
//
// Beside the deadline, an idle limit: a connection that sends no byte for `idleMs` is given up
// (a retryable timeout) long before the total deadline — one stalled stream once held a whole
// run for minutes. Bytes are seen through `watchedFetch`, the fetch both SDKs are given: it
// reports each chunk of the response body to the call it belongs to (found through
// AsyncLocalStorage, since an SDK client is shared by every call in flight).

import { AsyncLocalStorage } from 'node:async_hooks';
import { ProviderError, type ProviderErrorKind } from './types.ts';

/** How long a call may go without receiving a byte, and whether that holds from the start. */
export interface IdleLimit {
  ms: number;
  /**
   * true: from the moment the request is sent (a streamed call, whose headers come at once);
   * false: from the response headers on (a non-streamed call is silent while the model writes).
   */
  fromStart: boolean;
}

const activity = new AsyncLocalStorage<{ touch: () => void; sent: (() => void) | undefined }>();

/**
 * fetch, reporting the response headers and each body chunk to the guarded call that made the
 * request (no-op outside one). The body is passed through untouched.
 */
export const watchedFetch: typeof fetch = async (input, init) => {
  const call = activity.getStore();
  // The moment the request really leaves, for the pacer: later than its admission when the
  // event loop was busy in between (limiter-pacer.ts).
  call?.sent?.();
  const response = await fetch(input, init);
  if (!call) return response;
  const { touch } = call;
  touch();
  if (!response.body) return response;
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        touch();
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};

/**
 * Run `call` with a signal that fires when the caller aborts or `timeoutMs` passes, whichever
 * is first, and settle at that moment even if the SDK is slow to notice. A caller's abort
 * rejects with an error named 'AbortError' (never wrapped); the deadline rejects with
 * ProviderError 'timeout'; anything else the call throws goes through `toError`.
 */
export async function guardedCall<T>(
  vendor: string,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
  toError: (error: unknown) => Error,
  idle?: IdleLimit,
  /** Called when the request is handed to fetch. */
  sent?: () => void,
): Promise<T> {
  if (outer?.aborted) throw abortError(outer.reason);
  const controller = new AbortController();
  let stop: (error: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  const halt = (error: Error) => {
    controller.abort(error);
    stop(error);
  };
  const onAbort = () => halt(abortError(outer?.reason));
  outer?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => halt(new ProviderError('timeout', `${vendor}: no complete answer within ${timeoutMs} ms`)), timeoutMs);
  let idleTimer: NodeJS.Timeout | undefined;
  // Re-armed on every chunk: a timer's refresh() is cheaper than clearing and setting one.
  const touch = idle
    ? () => {
        if (idleTimer) idleTimer.refresh();
        else idleTimer = setTimeout(() => halt(new ProviderError('timeout', `${vendor}: the connection went silent (no data for ${idle.ms / 1000} s); given up to try again`)), idle.ms);
      }
    : () => {};
  if (idle?.fromStart) touch();
  try {
    return await Promise.race([activity.run({ touch, sent }, () => call(controller.signal)), stopped]);
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason as Error;
    throw error instanceof ProviderError ? error : toError(error);
  } finally {
    clearTimeout(timer);
    clearTimeout(idleTimer);
    outer?.removeEventListener('abort', onAbort);
  }
}

/** The caller's abort reason when it is already an AbortError, else an AbortError carrying it. */
export function abortError(reason: unknown): Error {
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('The operation was aborted', { cause: reason });
  error.name = 'AbortError';
  return error;
}

interface HttpFailure {
  status: number | undefined;
  headers: { get(name: string): string | null } | undefined;
  /** The vendor's error type ("overloaded_error", "insufficient_quota"...), when known. */
  type: string | null | undefined;
  /** The vendor's error code, when known (Anthropic error.details.error_code, OpenAI error.code). */
  code: string | null | undefined;
  message: string;
}

/** An HTTP error response (or an error event inside a stream, which has no status) as a ProviderError. */
export function httpFailure(vendor: string, f: HttpFailure): ProviderError {
  const quota = f.code === 'enforced_spend_limit_reached' || f.code === 'insufficient_quota' || f.type === 'insufficient_quota';
  // An exhausted quota or spend limit is a 429 that no retry can fix: fail the model fast.
  const kind: ProviderErrorKind = quota ? 'auth' : f.status !== undefined ? kindOfStatus(f.status) : kindOfType(f.type);
  const retryAfter = kind === 'rate_limit' || kind === 'overloaded' ? retryAfterMs(f.headers) : undefined;
  return new ProviderError(kind, `${vendor}: ${f.message}`, f.status, retryAfter);
}

export function kindOfStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500 || status === 409) return 'server'; // 409: a transient conflict the vendors ask to retry
  return 'bad_request';
}

function kindOfType(type: string | null | undefined): ProviderErrorKind {
  switch (type) {
    case 'overloaded_error':
      return 'overloaded';
    case 'rate_limit_error':
      return 'rate_limit';
    case 'timeout_error':
      return 'timeout';
    case 'authentication_error':
    case 'permission_error':
    case 'billing_error':
      return 'auth';
    case 'invalid_request_error':
    case 'not_found_error':
    case 'request_too_large':
      return 'bad_request';
    default:
      return 'server';
  }
}

/** `retry-after-ms` (ms), else `retry-after` (seconds or an HTTP date), as ms; undefined when absent. */
export function retryAfterMs(headers: HttpFailure['headers']): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after')?.trim();
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * A failure that is not an HTTP error: the connection dropped (undici's "terminated", socket
 * error codes) → network; anything else — bad JSON, a body of the wrong shape the SDK tripped
 * over — → malformed.
 */
export function otherFailure(vendor: string, error: unknown): ProviderError {
  if (isDisconnect(error)) return new ProviderError('network', `${vendor}: connection lost before the answer was complete (${messages(error)})`);
  return new ProviderError('malformed', `${vendor}: unreadable response (${messages(error)})`);
}

/** The connection could not be made, or broke before the response headers. */
export function connectionFailure(vendor: string, error: Error): ProviderError {
  return new ProviderError('network', `${vendor}: ${messages(error)}`);
}

/** An error's message and its causes', "terminated: other side closed". */
function messages(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e && depth < 4; e = (e as Error).cause, depth++) parts.push(e instanceof Error ? e.message : String(e));
  return parts.join(': ');
}

function isDisconnect(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as Error).cause, depth++) {
    const { message, code } = e as { message?: unknown; code?: unknown };
    if (message === 'terminated' || message === 'fetch failed') return true;
    if (typeof code === 'string' && /^(UND_ERR|ECONN|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)/.test(code)) return true;
  }
  return false;
}
