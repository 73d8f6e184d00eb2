// Retrying a provider call: retryable errors (429, 5xx, 529, timeouts, network, malformed) are
// tried again after the server's retry-after, else an exponential backoff with jitter; auth
// and bad-request errors are final at once. The SDKs' own retries are off, so this is the only
// retry policy. A wait between attempts ends the moment its signal fires (the first Ctrl-C):
// the next attempt would be a new paid request, which a user who pressed Ctrl-C did not want.
//
// Rate limiting is not a failure of the request: a 429 is retried for as long as the policy's
// rateLimitBudgetMs of wall time (10 minutes by default, counted from the cell's first 429)
// allows, and 429s do not use up maxAttempts. A storm of 429s costs waiting, not cells.

import { ProviderError } from '../providers/types.ts';

export interface RetryPolicy {
  /** Attempts for failures other than rate limiting. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a cell may keep being answered 429 (from its first) before it fails (default 10 minutes). */
  rateLimitBudgetMs?: number;
}

/** A retry's wait was cut short by its signal: the call was not made again. */
export class RetryAbandoned extends Error {
  override name = 'RetryAbandoned';
  constructor() {
    super('retry abandoned: the run is stopping');
  }
}

export const RATE_LIMIT_BUDGET_MS = 10 * 60_000;
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, rateLimitBudgetMs: RATE_LIMIT_BUDGET_MS };

export function delayFor(error: ProviderError, attempt: number, policy: RetryPolicy, random = Math.random): number {
  if (error.retryAfterMs !== undefined && error.retryAfterMs >= 0) return Math.min(error.retryAfterMs, policy.maxDelayMs * 4);
  const backoff = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return Math.round(backoff * (0.75 + random() * 0.25));
}

export async function withRetry<T>(
  call: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  /** `signal` ends a wait between attempts (rejecting with RetryAbandoned); it does not touch a call in progress. */
  hooks: { onRetry?: (error: ProviderError, attempt: number, delayMs: number) => void; signal?: AbortSignal } = {},
): Promise<T> {
  let failures = 0;
  let limited = 0;
  let limitedSince: number | null = null;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.retryable) throw error;
      let delay: number;
      if (error.kind === 'rate_limit') {
        limitedSince ??= Date.now();
        const left = limitedSince + (policy.rateLimitBudgetMs ?? RATE_LIMIT_BUDGET_MS) - Date.now();
        if (left <= 0) throw error;
        delay = Math.min(delayFor(error, ++limited, policy), left);
      } else {
        if (++failures >= policy.maxAttempts) throw error;
        delay = delayFor(error, failures, policy);
      }
      hooks.onRetry?.(error, attempt, delay);
      await sleep(delay, hooks.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new RetryAbandoned());
    const onAbort = () => (clearTimeout(timer), reject(new RetryAbandoned()));
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
