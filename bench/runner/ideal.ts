// The limit-bound ideal of a rate-limited run: a client that knows the buckets exactly (the
// emulator's own RateLimiter, on a virtual clock), keeps at most `maxInFlight` requests out per
// provider, sends in plan order the moment every bucket can take the next request (never a 429),
// and has nothing else to do. Each request takes the emulator's latency plus its output at the
// emulator's tokens per second, and gives back its unused max_tokens when it ends, as the
// emulator does. The providers run side by side; the ideal is the later of their finishes.

import type { Vendor } from '../../src/testing/emulator-core.ts';
import { RateLimiter, type EmulatorRateLimits } from '../../src/testing/rate-limits.ts';

export interface IdealRequest {
  vendor: Vendor;
  model: string;
  input: number;
  maxTokens: number;
  output: number;
}

export function idealMs(requests: IdealRequest[], limits: EmulatorRateLimits, timing: { latencyMs: number; tokensPerSecond: number }, maxInFlight: number): number {
  let finish = 0;
  for (const vendor of ['anthropic', 'openai'] as const) {
    const mine = requests.filter((r) => r.vendor === vendor);
    if (mine.length) finish = Math.max(finish, simulate(mine, limits, timing, maxInFlight));
  }
  return finish;
}

function simulate(requests: IdealRequest[], limits: EmulatorRateLimits, timing: { latencyMs: number; tokensPerSecond: number }, maxInFlight: number): number {
  let now = 0;
  const limiter = new RateLimiter(limits, () => now);
  const flying: Array<{ end: number; done: () => void }> = [];
  let next = 0;
  let last = 0;
  while (next < requests.length || flying.length) {
    let retryIn = Infinity;
    while (next < requests.length && flying.length < maxInFlight) {
      const r = requests[next]!;
      const admission = limiter.admit(r.vendor, r.model, r.input, r.maxTokens);
      if (!admission.ok) {
        retryIn = Math.max(admission.retryAfterMs, 0.01); // no endless steps of rounding error
        break;
      }
      const end = now + timing.latencyMs + (r.output / timing.tokensPerSecond) * 1000;
      flying.push({ end, done: () => admission.finish(r.output) });
      next++;
    }
    flying.sort((a, b) => a.end - b.end);
    const at = Math.min(flying[0]?.end ?? Infinity, now + retryIn);
    if (at === Infinity) throw new Error('ideal: a request no bucket can ever take');
    now = at;
    while (flying.length && flying[0]!.end <= now) {
      const f = flying.shift()!;
      f.done();
      last = Math.max(last, f.end);
    }
  }
  return last;
}
