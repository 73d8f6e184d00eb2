// The pacer against the emulators' own buckets on a fake clock: every request it admits is one
// the buckets take (none would be answered 429), it uses them fully (the run takes what the
// limits say, not more), the first request goes alone, and without headers nothing is held.

import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { idealMs } from '../../bench/runner/ideal.ts';
import { RateLimiter } from '../testing/rate-limits.ts';
import { Pacer } from './limiter-pacer.ts';

beforeEach(() => void vi.useFakeTimers({ now: 1_800_000_000_000 }));
afterEach(() => void vi.useRealTimers());

/** `n` requests of max_tokens 8,192 (100 used), each answered `ms` after it is sent, its headers streamed at once. */
async function run(n: number, limiter: RateLimiter, ms: number) {
  const pacer = new Pacer(1000);
  let refused = 0;
  let inFlight = 0;
  let peak = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: n }, async () => {
      const ticket = await pacer.admit({ input: 500, maxTokens: 8192 });
      ticket.sent();
      const admission = limiter.admit('anthropic', 'm', 500, 8192);
      if (!admission.ok) refused++;
      peak = Math.max(peak, ++inFlight);
      ticket.observe({ status: admission.ok ? 200 : 429, headers: limiter.headers('anthropic', 'm'), whole: false });
      await vi.advanceTimersByTimeAsync(0);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      admission.finish(100);
      ticket.finish(100);
    }),
  );
  return { refused, peak, ms: Date.now() - started };
}

it('admits only what the buckets can take, and as soon as they can', async () => {
  // 4 requests a second, 20,000 output tokens (two max_tokens reservations) a second.
  const limiter = new RateLimiter({ anthropic: { windowMs: 1000, requests: 4, inputTokens: 100_000, outputTokens: 20_000 } });
  const result = run(12, limiter, 300);
  await vi.runAllTimersAsync();
  const r = await result;
  expect(r.refused).toBe(0);
  expect(r.peak).toBeLessThanOrEqual(4); // the request bucket; output comes back (8,092 of 8,192 unused) as answers end
  // Against the bench's ideal: a client that knows the buckets, on the same emulator model.
  const ideal = idealMs(Array.from({ length: 12 }, () => ({ vendor: 'anthropic' as const, model: 'm', input: 500, maxTokens: 8192, output: 100 })), { anthropic: { windowMs: 1000, requests: 4, inputTokens: 100_000, outputTokens: 20_000 } }, { latencyMs: 300, tokensPerSecond: 1e9 }, 12);
  expect(ideal).toBeGreaterThan(2000);
  expect(r.ms).toBeGreaterThanOrEqual(ideal);
  expect(r.ms).toBeLessThanOrEqual(ideal * 1.05);
});

it('without rate-limit headers nothing is held back after the first answer', async () => {
  const pacer = new Pacer(1000);
  const first = await pacer.admit({ input: 500, maxTokens: 8192 });
  let second = false;
  void pacer.admit({ input: 500, maxTokens: 8192 }).then(() => (second = true));
  await vi.advanceTimersByTimeAsync(10);
  expect(second).toBe(false); // the probe is out: the limits are unknown
  first.observe({ status: 200, headers: {}, whole: true });
  await vi.advanceTimersByTimeAsync(0);
  expect(second).toBe(true);
  expect(pacer.paced).toBe(false);
});
