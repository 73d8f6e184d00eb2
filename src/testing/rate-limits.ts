// The emulators' rate limits: token buckets per vendor and model that refill continuously (as
// Anthropic documents its limits; OpenAI's behave alike), and the headers the real APIs send
// about them on every response.
//   Anthropic: requests, input tokens and output tokens per window. Output is reserved as the
//     request's max_tokens when it is admitted and the unused part given back when the answer
//     ends, as Anthropic does; input counts the whole prompt (cache reads included, which the
//     real API leaves out for most models: a stricter emulator, never a laxer one).
//   OpenAI: requests and tokens (input + max_tokens at admission, the unused output given back).
// A request a bucket cannot cover is answered 429 with retry-after (whole seconds, as the APIs
// send it) and the headers. `windowMs` is a minute, as the vendors' limits are, unless a bench
// compresses the clock (limits per 6 s, say) to measure a rate-limited run in seconds.

import type { ServerResponse } from 'node:http';
import type { Vendor } from './emulator-core.ts';

export interface RateLimitOptions {
  /** The window the limits are per (default 60,000 ms: per minute). */
  windowMs?: number;
  requests?: number;
  /** Anthropic: input tokens per window. */
  inputTokens?: number;
  /** Anthropic: output tokens per window, reserved as max_tokens at admission. */
  outputTokens?: number;
  /** OpenAI: input + output tokens per window, reserved as input + max_tokens at admission. */
  tokens?: number;
  /** Send the rate-limit headers (default true); false: a compatible server that sends none. */
  headers?: boolean;
}

export type EmulatorRateLimits = Partial<Record<Vendor, RateLimitOptions>>;

type Kind = 'requests' | 'input' | 'output' | 'tokens';

class Bucket {
  private level: number;
  private last: number;
  private readonly perMs: number;

  constructor(readonly limit: number, windowMs: number, now: number) {
    this.level = limit;
    this.last = now;
    this.perMs = limit / windowMs;
  }

  private refill(now: number): void {
    this.level = Math.min(this.limit, this.level + (now - this.last) * this.perMs);
    this.last = now;
  }

  /** ms until `n` is available (0: now). */
  waitFor(n: number, now: number): number {
    this.refill(now);
    return this.level >= n ? 0 : (n - this.level) / this.perMs;
  }

  take(n: number, now: number): void {
    this.refill(now);
    this.level -= n;
  }

  give(n: number, now: number): void {
    this.refill(now);
    this.level = Math.min(this.limit, this.level + n);
  }

  remaining(now: number): number {
    this.refill(now);
    return Math.max(0, Math.floor(this.level));
  }

  /** ms until the bucket is full again. */
  fullIn(now: number): number {
    this.refill(now);
    return (this.limit - this.level) / this.perMs;
  }
}

export interface Admission {
  ok: boolean;
  /** When refused: how long until every bucket could cover the request. */
  retryAfterMs: number;
  /** When admitted: the answer's real output, to give back the unused reservation. Once. */
  finish(outputTokens: number): void;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Map<Kind, Bucket>>();

  constructor(
    private readonly options: EmulatorRateLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  limits(vendor: Vendor): RateLimitOptions | undefined {
    return this.options[vendor];
  }

  private of(vendor: Vendor, model: string): Map<Kind, Bucket> | null {
    const o = this.options[vendor];
    if (!o) return null;
    const key = `${vendor}\n${model}`;
    let set = this.buckets.get(key);
    if (!set) {
      const now = this.clock();
      const w = o.windowMs ?? 60_000;
      const limits: Array<[Kind, number | undefined]> = vendor === 'anthropic' ? [['requests', o.requests], ['input', o.inputTokens], ['output', o.outputTokens]] : [['requests', o.requests], ['tokens', o.tokens]];
      set = new Map(limits.filter((l): l is [Kind, number] => l[1] !== undefined).map(([k, limit]) => [k, new Bucket(limit, w, now)]));
      this.buckets.set(key, set);
    }
    return set;
  }

  /** Take what a request needs from its buckets, or say how long until they could cover it. */
  admit(vendor: Vendor, model: string, inputTokens: number, maxTokens: number): Admission {
    const set = this.of(vendor, model);
    const none = { ok: true, retryAfterMs: 0, finish() {} };
    if (!set) return none;
    const now = this.clock();
    // A request larger than a whole bucket waits for a full one (the real API would refuse it).
    const cost = new Map<Kind, number>([['requests', 1], ['input', inputTokens], ['output', maxTokens], ['tokens', inputTokens + maxTokens]]);
    const need = (k: Kind, b: Bucket) => Math.min(cost.get(k)!, b.limit);
    const wait = Math.max(0, ...[...set].map(([k, b]) => b.waitFor(need(k, b), now)));
    if (wait > 0) return { ok: false, retryAfterMs: wait, finish() {} };
    for (const [k, b] of set) b.take(need(k, b), now);
    let done = false;
    return {
      ok: true,
      retryAfterMs: 0,
      finish: (output) => {
        if (done) return;
        done = true;
        const unused = Math.max(0, maxTokens - output);
        set.get('output')?.give(unused, this.clock());
        set.get('tokens')?.give(unused, this.clock());
      },
    };
  }

  /** The rate-limit headers as the vendor sends them, for the state now; {} when it sends none. */
  headers(vendor: Vendor, model: string): Record<string, string> {
    const set = this.of(vendor, model);
    if (!set || this.options[vendor]?.headers === false) return {};
    const now = this.clock();
    const out: Record<string, string> = {};
    for (const [kind, b] of set) {
      const fullIn = b.fullIn(now);
      if (vendor === 'anthropic') {
        const name = kind === 'requests' ? 'requests' : `${kind}-tokens`;
        out[`anthropic-ratelimit-${name}-limit`] = String(b.limit);
        out[`anthropic-ratelimit-${name}-remaining`] = String(b.remaining(now));
        // RFC 3339 with milliseconds: a compressed clock needs them, and the format allows them.
        out[`anthropic-ratelimit-${name}-reset`] = new Date(now + Math.ceil(fullIn)).toISOString();
      } else {
        out[`x-ratelimit-limit-${kind}`] = String(b.limit);
        out[`x-ratelimit-remaining-${kind}`] = String(b.remaining(now));
        out[`x-ratelimit-reset-${kind}`] = goDuration(fullIn);
      }
    }
    return out;
  }
}

/** ms as OpenAI writes its resets: "120ms", "1.5s", "6m0s", "1h2m3s". */
export function goDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total < 1000) return `${total}ms`;
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = (total % 60_000) / 1000;
  const sec = `${Number(s.toFixed(3))}s`;
  if (h) return `${h}h${m}m${sec}`;
  if (m) return `${m}m${sec}`;
  return sec;
}

/**
 * `res`, made to deliver what the vendor half writes at a model's pace, with the rate-limit
 * headers of the moment the response starts: a streamed answer (several writes) sends its first
 * event at once and the rest spread over `durationMs`; a JSON answer (one write) is held for
 * `durationMs`, as a non-streamed call is silent while the model writes. `finished` runs just
 * before the last bytes go out (the unused output reservation is given back then, so the
 * answer's own headers show it), or when the client goes away first.
 */
export function paced(res: ServerResponse, durationMs: number, headers: () => Record<string, string>, finished: () => void): ServerResponse {
  const held: Array<string | Buffer> = [];
  let head: { status: number; headers: Record<string, string | number> } | null = null;
  const writeHead = res.writeHead.bind(res) as (status: number, headers: Record<string, string | number>) => ServerResponse;
  const write = res.write.bind(res) as (chunk: string | Buffer) => boolean;
  const end = res.end.bind(res) as (chunk?: string | Buffer) => ServerResponse;
  let once = false;
  const finish = () => void (!once && ((once = true), finished()));
  res.on('close', finish);
  const start = (extra: Record<string, string>) => head && writeHead(head.status, { ...head.headers, ...extra });
  Object.assign(res, {
    writeHead: (status: number, h: Record<string, string | number> = {}) => ((head = { status, headers: h }), res),
    write: (chunk: string | Buffer) => (held.push(chunk), true),
    end: (chunk?: unknown) => {
      if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) held.push(chunk);
      if (held.length <= 1) {
        setTimeout(() => {
          if (res.destroyed) return;
          finish();
          start(headers());
          end(held[0]);
        }, durationMs);
        return res;
      }
      start(headers());
      write(held[0]!);
      const rest = held.slice(1);
      const step = durationMs / rest.length;
      const began = performance.now();
      // One timer at a time, each for the next piece's moment: timers set together for nearby
      // moments may fire out of order, and an event stream must not.
      let i = 0;
      const next = () => {
        if (res.destroyed) return;
        while (i < rest.length && performance.now() - began >= step * (i + 1)) {
          if (i === rest.length - 1) return void (finish(), end(rest[i++]!));
          write(rest[i++]!);
        }
        setTimeout(next, Math.max(0, began + step * (i + 1) - performance.now()));
      };
      next();
      return res;
    },
  });
  return res;
}
