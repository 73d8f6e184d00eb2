// Pacing requests by the provider's own rate-limit headers, so that its buckets are used fully
// but never overdrawn (one Pacer per provider and model: the vendors' limits are per model).
//
// Each response (a 429 included) says, per bucket — requests, input tokens, output tokens, or
// OpenAI's tokens — the limit, what remains and when it is full again (rate-headers.ts). The
// pacer keeps a model of each bucket: the level the last response reported, refilled at the
// bucket's rate since, minus what it has admitted since. A request is admitted when every
// bucket can cover its cost — 1 request, its estimated input, and its max_tokens of output,
// which Anthropic reserves at admission and gives back, less what the answer used, at its end —
// else it waits, in order, until the model says the buckets can. So no request is sent that the
// provider would answer 429, as far as the headers tell.
//
// A bucket refills at its limit per minute, which is what the vendors' limits are (a bench whose
// emulator compresses the clock says so with PROMPTGATE_RATE_WINDOW_MS). The reported level is
// taken as of the moment the response arrives, less what the server may not have counted yet:
// every request out whose own response has not come — unless, for a non-streamed answer (whose
// headers are written at its end), it went out more than SKEW_MS before. When in doubt a request
// is taken off again: a request too few, never one too many. Until the first response the
// buckets are unknown, so one request goes alone (a probe: a first wave of 8 could overdraw a
// small bucket); the rest
// follow as soon as its headers arrive — at once for a stream, at its end otherwise. A provider
// whose first response carries no rate-limit headers (an OpenAI-compatible server) is not paced
// at all: the runner falls back to retry-after and halving its concurrency on 429 (limiter.ts).
// Paced, a 429's retry-after pauses every request to the provider until then.

import { retryAfterMs } from '../providers/call.ts';
import { bucketsOf, type BucketKind, type ResponseInfo } from '../providers/rate-headers.ts';
import { RetryAbandoned } from './retry.ts';

export interface Cost {
  input: number;
  maxTokens: number;
}

export interface Ticket {
  /** Pass to the provider call (GenerationRequest.onResponse). */
  observe: (info: ResponseInfo) => void;
  /** Pass to the provider call (GenerationRequest.onSent). */
  sent: () => void;
  /** The answer arrived with this many output tokens (null: no answer); gives back the unused reservation. */
  finish: (outputTokens: number | null) => void;
}

interface Bucket {
  limit: number;
  /** Refill per ms. */
  perMs: number;
  /** The level the server last reported (at `at`), adjusted for what was answered since. */
  level: number;
  at: number;
}

/**
 * Requests sent this recently may not be in a non-streamed answer's counts yet: still on their way
 * to the server, held up by a busy event loop or network. Generous: a second of a minute's window.
 */
const SKEW_MS = 1000;

/** The window the vendors' limits are per: a minute, unless a bench's emulator compresses it. */
export function rateWindowMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.PROMPTGATE_RATE_WINDOW_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 60_000;
}

const need = (kind: BucketKind, c: Cost) => (kind === 'requests' ? 1 : kind === 'input' ? c.input : kind === 'output' ? c.maxTokens : c.input + c.maxTokens);

export class Pacer {
  private readonly buckets = new Map<BucketKind, Bucket>();
  /** Headers seen on some response: the buckets are the provider's, not assumed. */
  private learned = false;
  /** The first response carried no rate-limit headers: not paced. */
  private headerless = false;
  /** The probe (the first request) is out and nothing has been heard yet. */
  private probing = false;
  private pausedUntil = 0;
  private readonly queue: Array<{ cost: Cost; resolve: (t: Ticket) => void; reject: (e: Error) => void; signal: AbortSignal | undefined; onAbort: () => void }> = [];
  /** Admitted requests not yet surely counted by the server: sentAt is when they went out (null: not yet). */
  private readonly sent: Array<{ sentAt: number | null; cost: Cost; id: number; counted: boolean }> = [];
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;

  constructor(
    private readonly windowMs = rateWindowMs(),
    private readonly clock: () => number = Date.now,
  ) {}

  /** Paced by the provider's headers (they were seen), rather than by 429s. */
  get paced(): boolean {
    return this.learned && !this.headerless;
  }

  /** Wait until every bucket can cover `cost` (and any retry-after pause has passed); RetryAbandoned when `signal` fires first. */
  admit(cost: Cost, signal?: AbortSignal): Promise<Ticket> {
    if (signal?.aborted) return Promise.reject(new RetryAbandoned());
    return new Promise<Ticket>((resolve, reject) => {
      const entry = {
        cost,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.queue.indexOf(entry);
          if (i >= 0) this.queue.splice(i, 1);
          reject(new RetryAbandoned());
          this.pump();
        },
      };
      signal?.addEventListener('abort', entry.onAbort, { once: true });
      this.queue.push(entry);
      this.pump();
    });
  }

  /** ms until `cost` could be admitted (0: now). */
  waitFor(cost: Cost, now = this.clock()): number {
    let wait = Math.max(0, this.pausedUntil - now);
    if (this.headerless) return wait;
    if (!this.learned) return this.probing ? Infinity : wait;
    for (const [kind, b] of this.buckets) {
      const level = this.level(kind, b, now);
      const n = Math.min(need(kind, cost), b.limit);
      if (level < n) wait = Math.max(wait, (n - level) / b.perMs);
    }
    return wait;
  }

  private pump(): void {
    if (this.timer) (clearTimeout(this.timer), (this.timer = null));
    while (this.queue.length) {
      const head = this.queue[0]!;
      const now = this.clock();
      const wait = this.waitFor(head.cost, now);
      if (wait === Infinity) return; // the probe's answer pumps again
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(wait)));
        return;
      }
      this.queue.shift();
      head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve(this.take(head.cost, now));
    }
  }

  /**
   * A bucket's level as the server will see it: the last reported level refilled (up to the
   * limit) since, less every request not yet counted in it. Those are taken off after the cap,
   * not before: a request still on its way did not stop the server's bucket filling up to full.
   */
  private level(kind: BucketKind, b: Bucket, now: number): number {
    const pending = this.sent.reduce((sum, x) => sum + Math.min(need(kind, x.cost), b.limit), 0);
    return Math.min(b.limit, b.level + (now - b.at) * b.perMs) - pending;
  }

  private take(cost: Cost, _now: number): Ticket {
    const id = this.nextId++;
    if (!this.learned && !this.headerless) this.probing = true;
    const entry = { sentAt: null as number | null, cost, id, counted: false };
    this.sent.push(entry);
    let refundSeen = false;
    let done = false;
    return {
      observe: (info) => {
        if (this.observe(info, id) && info.whole && info.status < 400) refundSeen = true;
      },
      sent: () => void (entry.sentAt = this.clock()),
      finish: (output) => {
        if (done) return;
        done = true;
        this.probing = false; // a probe that failed without a response: the next request probes
        const t = this.clock();
        const i = this.sent.indexOf(entry);
        if (i >= 0) {
          // Answered (or failed), so counted by now, though no headers said so: into the level.
          this.sent.splice(i, 1);
          if (output !== null) for (const [kind, b] of this.buckets) this.adjust(b, t, -Math.min(need(kind, cost), b.limit));
        }
        // The unused output reservation comes back, unless this answer's own headers (sent after
        // its end) already counted it.
        if (output !== null && !refundSeen) {
          const unused = Math.max(0, cost.maxTokens - output);
          for (const kind of ['output', 'tokens'] as const) {
            const b = this.buckets.get(kind);
            if (b) this.adjust(b, t, unused);
          }
        }
        this.pump();
      },
    };
  }

  private adjust(b: Bucket, now: number, delta: number): void {
    b.level = Math.min(b.limit, b.level + (now - b.at) * b.perMs) + delta;
    b.at = now;
  }

  /** A response's headers replace the model of each bucket they describe. True when they did. */
  private observe(info: ResponseInfo, own: number): boolean {
    const now = this.clock();
    this.probing = false;
    const reported = bucketsOf(info.headers, now);
    // Paced, a 429's retry-after holds every request to the provider; without the headers each
    // cell waits out its own (the 429 path as it was: retry.ts, limiter.ts).
    if (info.status === 429 && (reported.length || this.learned)) {
      const after = retryAfterMs({ get: (name) => info.headers[name] ?? null });
      if (after !== undefined) this.pausedUntil = Math.max(this.pausedUntil, now + after);
    }
    if (!reported.length) {
      if (!this.learned) this.headerless = true;
      this.pump();
      return false;
    }
    this.headerless = false;
    this.learned = true;
    // Forget what is surely counted: answered, or out for longer than the skew.
    const mine = this.sent.find((x) => x.id === own);
    if (mine) mine.counted = true;
    // A request sent before this one may still have arrived after it (a new connection is slower
    // than a kept-alive one): only its own response, or a long enough wait, says it was counted.
    for (const x of this.sent) if (info.whole && x.sentAt !== null && x.sentAt < now - SKEW_MS) x.counted = true;
    for (let i = this.sent.length - 1; i >= 0; i--) if (this.sent[i]!.counted) this.sent.splice(i, 1);
    for (const r of reported) {
      const perMs = r.limit / this.windowMs;
      // remaining is rounded down (a bucket of 0.9 requests says 0); a reset to the millisecond
      // says where in [remaining, remaining + 1) the level is: limit − time to full × rate.
      const level = r.precise ? Math.min(r.remaining + 0.999, Math.max(r.remaining, r.limit - (r.resetAt - now) * perMs)) : r.remaining;
      this.buckets.set(r.kind, { limit: r.limit, perMs, level, at: now });
    }
    this.pump();
    return true;
  }
}
