// The rate-limit headers both vendors send on every response (success or 429), read into one
// plain shape the runner's pacer can use. Two dialects:
//   Anthropic: anthropic-ratelimit-{requests,input-tokens,output-tokens,tokens}-{limit,remaining,reset},
//     the reset an RFC 3339 time at which the bucket is full again (its buckets refill continuously);
//   OpenAI: x-ratelimit-{limit,remaining,reset}-{requests,tokens}, the reset a duration until the
//     bucket is back to its initial state, Go style: "6m0s", "1s", "120ms", "1.5s", "1h2m3s".
// A header that is absent or unreadable leaves its bucket out (never a guess): an
// OpenAI-compatible server that sends none yields no buckets, and the runner falls back to
// reacting to 429s.

/** What a provider hands the runner about one response: its status and headers (names lower-cased). */
export interface ResponseInfo {
  status: number;
  headers: Record<string, string>;
  /**
   * The whole body had arrived when the headers were read (a non-streamed call): a server that
   * computes them as it sends counts this answer's own end in them (the unused output given back).
   */
  whole: boolean;
}

/** requests; input and output tokens (Anthropic); tokens (OpenAI: input + output together). */
export type BucketKind = 'requests' | 'input' | 'output' | 'tokens';

export interface BucketState {
  kind: BucketKind;
  limit: number;
  remaining: number;
  /** Epoch ms when the bucket is full again. */
  resetAt: number;
  /** The reset was given to the millisecond (RFC 3339 with a fraction, "120ms", "1.5s"): it tells the level finer than `remaining`, which is rounded down. */
  precise: boolean;
}

/** The headers worth passing on (rate limits and retry-after), from any headers object. */
export function rateHeadersOf(headers: { forEach(cb: (value: string, key: string) => void): void } | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((value, key) => {
    const k = key.toLowerCase();
    if (k.startsWith('anthropic-ratelimit-') || k.startsWith('x-ratelimit-') || k === 'retry-after' || k === 'retry-after-ms') out[k] = value;
  });
  return out;
}

/** The buckets the headers describe, as of `now` (the moment they were received). */
export function bucketsOf(headers: Record<string, string>, now = Date.now()): BucketState[] {
  const out: BucketState[] = [];
  const anthropic: Array<[BucketKind, string]> = [
    ['requests', 'requests'],
    ['input', 'input-tokens'],
    ['output', 'output-tokens'],
  ];
  for (const [kind, name] of anthropic) {
    const reset = headers[`anthropic-ratelimit-${name}-reset`];
    const b = bucket(kind, headers[`anthropic-ratelimit-${name}-limit`], headers[`anthropic-ratelimit-${name}-remaining`], rfc3339(reset), /\.\d/.test(reset ?? ''));
    if (b) out.push(b);
  }
  // The combined tokens-* family is "the most restrictive of input and output": only useful without them.
  if (!out.some((b) => b.kind === 'input' || b.kind === 'output')) {
    const b = bucket('tokens', headers['anthropic-ratelimit-tokens-limit'], headers['anthropic-ratelimit-tokens-remaining'], rfc3339(headers['anthropic-ratelimit-tokens-reset']), false);
    if (b) out.push(b);
  }
  for (const kind of ['requests', 'tokens'] as const) {
    const raw = headers[`x-ratelimit-reset-${kind}`];
    const reset = goDuration(raw);
    const b = bucket(kind, headers[`x-ratelimit-limit-${kind}`], headers[`x-ratelimit-remaining-${kind}`], reset === null ? null : now + reset, /ms|\./.test(raw ?? ''));
    if (b && !out.some((o) => o.kind === kind)) out.push(b);
  }
  return out;
}

function bucket(kind: BucketKind, limit: string | undefined, remaining: string | undefined, resetAt: number | null, precise: boolean): BucketState | null {
  const l = Number(limit);
  const r = Number(remaining);
  // Azure sends -1 for "no limit": no bucket.
  if (!limit || !remaining || !Number.isFinite(l) || !Number.isFinite(r) || l <= 0 || r < 0 || resetAt === null) return null;
  return { kind, limit: l, remaining: Math.min(r, l), resetAt, precise };
}

function rfc3339(value: string | undefined): number | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** A Go duration ("6m0s", "1s", "120ms", "1.5s", "1h2m3s") in ms; a bare number is seconds; null when unreadable. */
export function goDuration(value: string | undefined): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  if (!/^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$/.test(v)) return null;
  let ms = 0;
  for (const [, n, unit] of v.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) ms += Number(n) * UNIT_MS[unit!]!;
  return ms;
}
