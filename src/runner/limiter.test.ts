import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter } from './limiter.ts';
import { delayFor, withRetry, DEFAULT_RETRY } from './retry.ts';
import { ProviderError } from '../providers/types.ts';

describe('AdaptiveLimiter', () => {
  it('never lets more than the limit run at once', async () => {
    const limiter = new AdaptiveLimiter(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        await limiter.acquire();
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        limiter.release();
      }),
    );
    expect(peak).toBe(3);
    expect(limiter.inFlight).toBe(0);
  });

  it('halves on rate limiting, never below 1, and grows back after successes', () => {
    const limiter = new AdaptiveLimiter(8);
    limiter.rateLimited();
    expect(limiter.limit).toBe(4);
    limiter.rateLimited();
    limiter.rateLimited();
    limiter.rateLimited();
    expect(limiter.limit).toBe(1);
    limiter.succeeded();
    expect(limiter.limit).toBe(2);
    for (let i = 0; i < 100; i++) limiter.succeeded();
    expect(limiter.limit).toBe(8);
  });
});

describe('retries', () => {
  it('honours retry-after, else backs off exponentially with jitter', () => {
    expect(delayFor(new ProviderError('rate_limit', 'slow down', 429, 1500), 1, DEFAULT_RETRY)).toBe(1500);
    expect(delayFor(new ProviderError('server', 'boom', 500), 1, DEFAULT_RETRY, () => 1)).toBe(1000);
    expect(delayFor(new ProviderError('server', 'boom', 500), 3, DEFAULT_RETRY, () => 1)).toBe(4000);
    expect(delayFor(new ProviderError('server', 'boom', 500), 3, DEFAULT_RETRY, () => 0)).toBe(3000);
    expect(delayFor(new ProviderError('server', 'boom', 500), 20, DEFAULT_RETRY, () => 1)).toBe(30_000);
  });

  it('retries retryable errors, gives up on auth at once', async () => {
    let calls = 0;
    const policy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
    await expect(withRetry(async () => (calls++, Promise.reject(new ProviderError('server', 'x', 500))), policy)).rejects.toThrow('x');
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry(async () => (calls++, Promise.reject(new ProviderError('auth', 'bad key', 401))), policy)).rejects.toThrow('bad key');
    expect(calls).toBe(1);
    calls = 0;
    expect(await withRetry(async () => (++calls < 2 ? Promise.reject(new ProviderError('rate_limit', 'x', 429, 1)) : 'ok'), policy)).toBe('ok');
  });

  it('429s do not use up the attempts: a cell fails on rate limits only when its wall-time budget is spent', async () => {
    let calls = 0;
    const policy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, rateLimitBudgetMs: 10_000 };
    expect(await withRetry(async () => (++calls < 10 ? Promise.reject(new ProviderError('rate_limit', 'x', 429, 1)) : 'ok'), policy)).toBe('ok');
    expect(calls).toBe(10);
    calls = 0;
    const started = Date.now();
    await expect(withRetry(async () => (calls++, Promise.reject(new ProviderError('rate_limit', 'still limited', 429, 20))), { ...policy, rateLimitBudgetMs: 100 })).rejects.toThrow('still limited');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(calls).toBeGreaterThan(2);
  });
});
